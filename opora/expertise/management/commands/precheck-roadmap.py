import json

from django.core.management.base import BaseCommand, CommandError

from opora.expertise.models import CriteriaSet
from opora.expertise.precheck import precheck_roadmap
from opora.roadmaps.models import Roadmap

SECTIONS = [
    ("deadlines", "Срок не распознан"),
    ("executors", "Исполнители не указаны или не распознаны"),
    ("columns", "Нет показателя или результата"),
    ("period", "Срок вне периода карты"),
]


class Command(BaseCommand):
    help = (
        "Предпроверка дорожной карты: сроки, исполнители, показатели, период, обязательные "
        "разделы и покрытие рекомендаций и тем критериев мероприятиями."
    )
    # A read-only report: the project-wide system checks would only slow the command down.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("roadmap", help="Номер (id) дорожной карты.")
        parser.add_argument(
            "--set", dest="criteria_set", default="", help="Набор критериев (id) для тем."
        )
        parser.add_argument("--json", action="store_true", help="Напечатать результат в JSON.")

    def handle(self, *args, **o):
        roadmap = self._roadmap(o["roadmap"])
        criteria_set = None
        if o["criteria_set"]:
            criteria_set = CriteriaSet.objects.filter(pk=_int(o["criteria_set"])).first()
            if criteria_set is None:
                raise CommandError(f"Набор критериев № {o['criteria_set']} не найден.")
        result = precheck_roadmap(roadmap, criteria_set)
        if o["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self._print(result)

    def _roadmap(self, value: str) -> Roadmap:
        pk = _int(value)
        roadmap = Roadmap.objects.filter(pk=pk).first() if pk else None
        if roadmap is None:
            raise CommandError(f"Дорожная карта № {value} не найдена.")
        return roadmap

    def _print(self, r: dict) -> None:
        out = self.stdout.write
        out(f"Дорожная карта № {r['roadmap']['id']}: {r['roadmap']['title']}")
        if r["criteria_set"]:
            out(f"Критерии: {r['criteria_set']['name']} ({r['criteria_set']['year']})")
        for key, title in SECTIONS:
            out(f"{title}: {len(r[key])}")
            for e in r[key]:
                detail = e.get("problem") or e.get("missing_text") or e.get("deadline_text", "")
                out(f"  № {e['number'] or 'б/н'} {e['text'][:80]} — {detail}")
        for s in r["sections"]:
            state = f"есть («{s['section'][:60]}»)" if s["found"] else "НЕТ"
            out(f"Раздел «{s['text']}»: {state}")
        out("Покрытие:")
        for c in r["coverage"]:
            mark = "+" if c["covered"] else "−"
            events = ", ".join(f"№ {e['number'] or 'б/н'} ({e['score']})" for e in c["events"])
            out(f"  {mark} {c['text'][:100]}" + (f" → {events}" if events else ""))


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None
