import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from opora.core import contributions, planner
from opora.core.calendar import current_year


class Command(BaseCommand):
    help = "Загрузить демонстрационный регион (Томская область по документам-образцам)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Напечатать счётчики в JSON.")
        parser.add_argument("--schools", type=int, default=300, help="Сколько школ в регионе.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # Demo logins with published passwords must never reach a real region's database.
            raise CommandError(
                "Демонстрационные данные нельзя загружать в рабочую базу (OPORA_ENV=production): "
                "в них есть входы с опубликованными паролями."
            )
        # Every app contributes its loader (apps.py); each is idempotent, so a second run
        # finds everything in place and adds nothing.
        demo = contributions.Demo(year=current_year(), schools=options["schools"])
        with transaction.atomic():
            for loader in contributions.demo_loaders():
                loader.load(demo)
        planner.refresh()  # the planner learns the sizes of what was just loaded
        if options["json"]:
            self.stdout.write(json.dumps(demo.figures, ensure_ascii=False))
            return
        figures = ", ".join(f"{demo.labels[key]} {value}" for key, value in demo.figures.items())
        self.stdout.write(f"Демо загружено: {figures}.")
        self.stdout.write("Демо-входы (логин / пароль — роль):")
        for username, password, role in demo.logins:
            self.stdout.write(f"  {username:<10} / {password} — {role}")
