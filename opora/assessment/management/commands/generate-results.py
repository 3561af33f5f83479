import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opora.assessment.synthetic import generate
from opora.registry.models import School


class Command(BaseCommand):
    help = "Записать синтетические результаты ВПР (для демо и замеров; данные помечены как синтетические)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schools",
            type=int,
            default=0,
            help="Сколько школ; 0 — все школы реестра с их кодами.",
        )
        parser.add_argument("--years", required=True, help="Годы, например 2024-2026.")
        parser.add_argument("--out", required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        try:
            first, _, last = o["years"].partition("-")
            years = range(int(first), int(last or first) + 1)
        except ValueError as exc:
            raise CommandError("Годы указываются так: 2024-2026.") from exc
        if not years or years.start < 2000 or years.stop > 2101 or len(years) > 20:
            raise CommandError(
                "Годы указываются так: 2024-2026 (от 2000 до 2100, не больше 20 лет)."
            )
        codes = None
        n = o["schools"]
        if n < 0:
            raise CommandError("Число школ не может быть отрицательным.")
        if n == 0:
            codes = list(School.objects.order_by("code").values_list("code", flat=True))
            n = len(codes)
            if not n:
                raise CommandError("В реестре нет школ: укажите --schools N.")
        out = Path(o["out"])
        out.mkdir(parents=True, exist_ok=True)
        info = generate(n, years, out, seed=o["seed"], codes=codes)
        info = {k: v for k, v in info.items() if k not in ("codes", "passports")}
        if o["json"]:
            self.stdout.write(json.dumps(info, ensure_ascii=False, default=str))
        else:
            self.stdout.write(f"Синтетические данные записаны в {out}: {info}")
