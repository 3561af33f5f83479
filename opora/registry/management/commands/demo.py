import importlib
import json

from django.core.management.base import BaseCommand
from django.db import transaction

from opora.accounts.models import User
from opora.registry.demo import load_demo
from opora.registry.models import Person

# Later parts of the programme add their demo data (each loader is idempotent).
DEMO_PARTS = [
    "opora.interviews.demo",
    "opora.expertise.demo",
    "opora.monitoring.demo",
    "opora.assessment.demo",
]


class Command(BaseCommand):
    help = "Загрузить демонстрационный регион (Томская область по документам-образцам)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Напечатать счётчики в JSON.")
        parser.add_argument("--schools", type=int, default=300, help="Сколько школ в регионе.")

    def handle(self, *args, **options):
        from opora.core.calendar import current_year
        from opora.roadmaps.demo import load_demo_roadmaps

        with transaction.atomic():
            counts, logins = load_demo(target_schools=options["schools"])
            roadmaps = load_demo_roadmaps(current_year())
            for module in DEMO_PARTS:
                importlib.import_module(module).load(current_year())
            # The later parts add logins and people of their own (the second expert): count
            # after all of them, or a second run reports more than the first.
            counts.users = User.objects.count()
            counts.people = Person.objects.count()
        if options["json"]:
            self.stdout.write(
                json.dumps({**counts.to_dict(), "roadmaps": roadmaps}, ensure_ascii=False)
            )
            return
        self.stdout.write(
            f"Демо загружено: муниципалитетов {counts.municipalities}, школ {counts.schools}, "
            f"в списках этого года {counts.listed_schools}, сотрудников {counts.people}, "
            f"пользователей {counts.users}, дорожных карт {roadmaps}."
        )
        self.stdout.write("Демо-входы (логин / пароль — роль):")
        for username, password, role in logins:
            self.stdout.write(f"  {username:<10} / {password} — {role}")
