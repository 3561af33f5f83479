import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opora.accounts.actors import command_actor
from opora.core.intake.files import UploadError, read_bytes
from opora.registry.importing import apply_school_import, plan_school_import


class Command(BaseCommand):
    help = "Импорт реестра школ и паспортов из XLSX/CSV: всё или ничего."
    # A data tool, called from scripts: the project's checks (which import every page and its
    # Excel/Word libraries, two seconds) are `opora check`'s job, not every import's.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True, help="Учебный год паспорта.")
        parser.add_argument("--dry-run", action="store_true", help="Только проверить.")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--user", default="", help="От чьего имени (для истории изменений).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            with path.open("rb") as file:  # read no more than the size limit
                data = read_bytes(file)
            plan = plan_school_import(data, options["year"], path.name)
        except FileNotFoundError as exc:
            raise CommandError(f"Файл не найден: {path}") from exc
        except OSError as exc:  # a folder, no permission, a broken disk
            raise CommandError(f"Файл не прочитан: {path} ({exc.strerror})") from exc
        except UploadError as exc:
            raise CommandError(str(exc)) from exc
        result = {
            "created": plan.created,
            "updated": plan.updated,
            "rejected": [r.to_dict() for r in plan.rejected],
            "dry_run": options["dry_run"],
        }
        if not plan.rejected and not options["dry_run"]:
            actor = command_actor(options["user"], "registry.import_registry")
            apply_school_import(actor, plan)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"Добавлено: {plan.created}, обновлено: {plan.updated}, "
                f"отклонено строк: {len(plan.rejected)}"
                + (" (проверка, ничего не записано)" if options["dry_run"] else "")
            )
            for r in plan.rejected:
                self.stderr.write(f"  строка {r.line} ({r.code or '—'}): {r.reason}")
        if plan.rejected:
            if not options["json"]:
                self.stderr.write("Файл отклонён: ничего не записано.")
            sys.exit(1)
