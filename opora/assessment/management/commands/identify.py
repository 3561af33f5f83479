import json

from django.core.management.base import BaseCommand, CommandError

from opora.assessment import engine, services
from opora.assessment.models import Methodology


class Command(BaseCommand):
    help = "Рассчитать списки ШНОР и ШНСУ на год по методике (ничего не сохраняет)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--methodology", default="", help="Название методики.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        if o["methodology"]:
            m = Methodology.objects.filter(name=o["methodology"]).order_by("-version").first()
            if m is None:
                raise CommandError(f"Методика «{o['methodology']}» не найдена.")
        else:
            m = services.default_methodology()
        result, _, seconds = services.compute(o["year"], engine.Params.from_dict(m.params))
        out = {
            "year": o["year"],
            "low_results": sorted(result.low_results),
            "unfavourable": sorted(result.unfavourable),
            "biased": sorted(result.biased),
            "seconds": round(seconds, 3),
        }
        if o["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        self.stdout.write(
            f"{o['year']}: ШНОР — {len(out['low_results'])}, ШНСУ — {len(out['unfavourable'])}, "
            f"признаки необъективности — {len(out['biased'])} ({out['seconds']} с; {m})"
        )
