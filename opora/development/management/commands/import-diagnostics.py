import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opora.accounts.actors import command_actor
from opora.core.intake.files import UploadError, read_bytes
from opora.development.importing import apply_diagnostics_import, plan_diagnostics_import


class Command(BaseCommand):
    help = "Импорт диагностики профессиональных компетенций из XLSX/CSV: всё или ничего."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True, help="Год диагностики.")
        parser.add_argument(
            "--title",
            default="Диагностика профессиональных компетенций",
            help="Название диагностики.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Только проверить.")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--user", default="", help="От чьего имени (для истории изменений).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            with path.open("rb") as file:
                data = read_bytes(file)
            plan = plan_diagnostics_import(
                data, path.name, title=options["title"], year=options["year"]
            )
        except FileNotFoundError as exc:
            raise CommandError(f"Файл не найден: {path}") from exc
        except OSError as exc:
            raise CommandError(f"Файл не прочитан: {path} ({exc.strerror})") from exc
        except UploadError as exc:
            raise CommandError(str(exc)) from exc
        result = {
            "results": len(plan.rows),
            "teachers": plan.teachers,
            "new_teachers": plan.new_teachers,
            "new_areas": plan.new_areas,
            "rejected": [r.to_dict() for r in plan.rejected],
            "dry_run": options["dry_run"],
        }
        if not plan.rejected and not options["dry_run"]:
            actor = command_actor(options["user"] or _operator(), "development.import_diagnostics")
            apply_diagnostics_import(actor, plan)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"Результатов: {len(plan.rows)}, педагогов: {plan.teachers} "
                f"(новых: {plan.new_teachers}), отклонено строк: {len(plan.rejected)}"
                + (" (проверка, ничего не записано)" if options["dry_run"] else "")
            )
            for r in plan.rejected:
                self.stderr.write(f"  строка {r.line} ({r.code or '—'}): {r.reason}")
        if plan.rejected:
            if not options["json"]:
                self.stderr.write("Файл отклонён: ничего не записано.")
            sys.exit(1)


def _operator() -> str:
    """The diagnostics are the regional operator's: by default the first operator writes."""
    from opora.accounts.models import Role, User

    user = (
        User.objects.filter(is_active=True)
        .filter(role=Role.OPERATOR)
        .order_by("pk")
        .values_list("username", flat=True)
        .first()
    )
    return user or ""
