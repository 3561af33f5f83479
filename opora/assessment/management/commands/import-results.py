import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opora.accounts.actors import command_actor
from opora.assessment import services
from opora.assessment.models import BatchStatus


class Command(BaseCommand):
    help = "Импорт результатов ВПР/ОГЭ/ЕГЭ/РМ (по обучающимся или по школам) из CSV/XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Загрузить корректные строки, пропустив ошибочные.",
        )
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--user", default="")

    def handle(self, *args, **o):
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        user = command_actor(o["user"])
        # Imported in place (no copy of a national file) and read once; a file already
        # loaded is found by its checksum and changes nothing.
        batch, already = services.import_file(user, path, valid_only=o["valid_only"])
        existing = batch if already else None
        result = {
            "batch": batch.pk if batch.status == BatchStatus.DONE else None,
            "rows": batch.rows,
            "schools": batch.schools,
            "rejected": batch.rejected,
            "rejected_total": batch.rejected_count,
            "already_imported": existing is not None,
        }
        if o["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif batch.status == BatchStatus.DONE:
            note = " (этот файл уже был загружен — ничего не изменено)" if existing else ""
            self.stdout.write(f"Пакет № {batch.pk}: строк {batch.rows}, школ {batch.schools}{note}")
        if batch.status != BatchStatus.DONE:
            # stderr even with --json: stdout keeps the one JSON document.
            self.stderr.write(f"Файл отклонён: {batch.message}")
            if not o["json"]:
                for r in batch.rejected[:20]:
                    self.stderr.write(f"  строка {r['line']}: {r['reason']}")
            sys.exit(1)
