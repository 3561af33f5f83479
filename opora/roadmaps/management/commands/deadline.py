import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from opora.roadmaps.deadlines import parse_deadline
from opora.roadmaps.periods import PeriodError, check_year


class Command(BaseCommand):
    help = "Разобрать срок мероприятия: «Май-июнь 2021 Май-июнь 2022», «ежемесячно» …"

    def add_arguments(self, parser):
        parser.add_argument("text")
        parser.add_argument("--period", type=int, help="Год периода дорожной карты.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        period = None
        if options["period"] is not None:
            try:
                y = check_year(options["period"])
            except PeriodError as exc:
                raise CommandError(f"--period: {exc.message}") from exc
            period = (date(y, 1, 1), date(y, 12, 31))
        schedule = parse_deadline(options["text"], period)
        if options["json"]:
            self.stdout.write(json.dumps(schedule.to_dict(), ensure_ascii=False))
            return
        if not schedule.understood:
            self.stdout.write(f"Не распознано: {schedule.note}")
            return
        periods = "; ".join(f"{p.start:%d.%m.%Y}–{p.end:%d.%m.%Y}" for p in schedule.periods)
        self.stdout.write(
            f"{schedule.kind}: {periods or '—'}"
            + (f", повтор: {schedule.recurrence}" if schedule.recurrence else "")
        )
