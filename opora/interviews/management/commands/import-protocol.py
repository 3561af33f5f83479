import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opora.accounts.actors import command_actor
from opora.core.intake.files import UploadError, read_bytes
from opora.core.russian.dates import short_date
from opora.interviews.importing import apply_protocol_import, plan_protocol_import
from opora.interviews.readers import protocol_file
from opora.interviews.readers.protocol import ProtocolFileError
from opora.registry.models import Municipality


class Command(BaseCommand):
    help = (
        "Импорт протокола собеседований из .docx: даты, муниципалитеты (как написано и по "
        "реестру), рекомендации, поручения. С --dry-run только проверяет файл."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Проверить, не сохраняя.")
        parser.add_argument("--json", action="store_true", help="Напечатать результат в JSON.")
        parser.add_argument("--user", default="", help="От чьего имени записать изменения.")
        parser.add_argument(
            "--due",
            default="",
            help="Срок исполнения рекомендаций (ГГГГ-ММ-ДД); по умолчанию — из письма.",
        )

    def handle(self, *args, **o):
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        try:
            data = read_bytes(path.read_bytes())
            file = protocol_file.read_protocol_file(data)
        except (UploadError, ProtocolFileError) as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Не удалось прочитать файл «{path.name}».") from exc
        plan = plan_protocol_import(file, Municipality.objects.all())
        due = file.cover.revision_due
        if o["due"]:
            from datetime import date

            try:
                due = date.fromisoformat(o["due"])
            except ValueError as exc:
                raise CommandError("Срок укажите как ГГГГ-ММ-ДД, например 2020-08-03.") from exc

        protocol_id = None
        if not o["dry_run"]:
            if plan.unmatched:
                names = ", ".join(f"«{b.written}»" for b in plan.unmatched)
                raise CommandError(
                    f"Не найдены в реестре муниципалитеты: {names}. Добавьте эти написания в "
                    "«другие написания» муниципалитетов реестра или загрузите протокол через "
                    "веб-интерфейс и выберите муниципалитеты вручную. Ничего не сохранено."
                )
            user = command_actor(o["user"], perm="interviews.add_interviewprotocol")
            protocol = apply_protocol_import(
                user,
                plan,
                municipalities=[b.municipality for b in plan.blocks],
                revision_due=due,
                source_name=path.name,
            )
            protocol_id = protocol.pk

        if o["json"]:
            self.stdout.write(
                json.dumps({**plan.to_dict(), "protocol": protocol_id}, ensure_ascii=False)
            )
            return
        self.stdout.write(
            f"Дат: {len(file.parsed.dates)} ({', '.join(short_date(d) for d in file.parsed.dates)}), "
            f"муниципалитетов: {len(plan.blocks)}, рекомендаций: {plan.recommendation_count}, "
            f"поручений: {len(file.parsed.assignments)}"
            + (
                f"; сохранён протокол № {protocol_id}"
                if protocol_id
                else " (проверка, не сохранено)"
            )
        )
        for block in plan.blocks:
            registry = block.municipality.name if block.municipality else "НЕ НАЙДЕН"
            self.stdout.write(
                f"  {block.number:>3} {block.written} → {registry} ({block.score:g}): "
                f"{len(block.recommendations)}"
            )
        for warning in file.parsed.warnings:
            self.stderr.write(f"  ! {warning}")
