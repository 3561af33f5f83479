import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from opora.accounts.actors import command_actor
from opora.registry.matching import municipality_matcher
from opora.registry.models import Municipality, School
from opora.roadmaps.importing import apply_roadmap_import, plan_roadmap_import
from opora.roadmaps.periods import PeriodError, parse_period, read_period
from opora.roadmaps.table_reader import (
    ColumnsNeeded,
    RoadmapFileError,
    parse_columns,
    read_roadmap,
)


class Command(BaseCommand):
    help = "Импорт дорожной карты из .docx/.xlsx: разделы, мероприятия, сроки, исполнители."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--level", choices=["region", "municipality", "school"], required=True)
        parser.add_argument(
            "--owner", required=True, help="Орган (регион), муниципалитет или код/название школы."
        )
        parser.add_argument("--title", default="")
        parser.add_argument("--period", default="", help="Год или годы: 2023, 2020-2021.")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--user", default="")
        parser.add_argument(
            "--columns",
            default="",
            help="Колонки таблицы: «number,text,deadline,executors» по порядку (- пропускает "
            "колонку) или «3=deadline;Кто отвечает=executors».",
        )

    def handle(self, *args, **o):
        path = Path(o["file"])
        if not path.exists():
            raise CommandError(f"Файл не найден: {path}")
        try:
            columns = parse_columns(o["columns"]) if o["columns"] else None
        except ValueError as exc:
            raise CommandError(f"--columns: {exc}") from exc
        try:
            parsed = read_roadmap(path, columns=columns)
        except ColumnsNeeded as exc:
            shown = "; ".join(f"{i}. {name}" for i, name in enumerate(exc.headers, start=1))
            raise CommandError(
                f"{exc} Колонки: {shown}. Укажите их через --columns, например "
                "--columns number,text,deadline,executors."
            ) from exc
        except RoadmapFileError as exc:
            raise CommandError(str(exc)) from exc
        try:
            typed = read_period(o["period"])
        except PeriodError as exc:
            raise CommandError(f"--period: {exc.message}") from exc
        period = typed or parse_period(o["title"]) or parse_period(parsed.title)
        if period is None:
            raise CommandError("Не удалось определить период карты: укажите --period 2023.")
        municipality = school = None
        if o["level"] == "municipality":
            match = municipality_matcher(list(Municipality.objects.all())).match(o["owner"])
            if match.target is None:
                raise CommandError(f"Муниципалитет «{o['owner']}» не найден в реестре.")
            municipality = match.target
        elif o["level"] == "school":
            school = (
                School.objects.filter(code=o["owner"]).first()
                or School.objects.filter(short_name__iexact=o["owner"]).first()
            )
            if school is None:
                raise CommandError(f"Школа «{o['owner']}» не найдена (укажите код ОО).")
        plan = plan_roadmap_import(
            parsed, period, municipality or (school.municipality if school else None)
        )
        roadmap_id = None
        if not o["dry_run"]:
            with transaction.atomic():
                roadmap = apply_roadmap_import(
                    command_actor(o["user"]),
                    plan,
                    level=o["level"],
                    title=o["title"],
                    municipality=municipality,
                    school=school,
                    owner_name=o["owner"],
                    source_name=path.name,
                )
            roadmap_id = roadmap.pk
        result = {
            "roadmap": roadmap_id,
            "period": [period[0].isoformat(), period[1].isoformat()],
            **plan.to_dict(),
        }
        if o["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        events = len(plan.events)
        understood = sum(1 for e in plan.events if e.deadline["understood"])
        self.stdout.write(
            f"Разделов: {len(plan.sections)}, мероприятий: {events}, "
            f"сроков распознано: {understood} из {events}"
            + (f"; сохранена карта № {roadmap_id}" if roadmap_id else " (проверка, не сохранено)")
        )
        for w in plan.warnings:
            self.stderr.write(f"  ! {w}")
