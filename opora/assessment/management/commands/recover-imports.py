import json

from django.core.management.base import BaseCommand

from opora.assessment import services


class Command(BaseCommand):
    help = (
        "Завершить загрузки результатов, оставленные остановленным обработчиком задач "
        "(пакет помечается ошибкой, его файлы удаляются). Запускается перед обработчиком."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Считать прерванными все загружающиеся пакеты (когда ни один обработчик "
            "не запущен).",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        batches = services.recover_imports(everything=o["all"])
        if o["json"]:
            self.stdout.write(json.dumps({"recovered": [b.pk for b in batches]}))
            return
        if not batches:
            self.stdout.write("Прерванных загрузок нет.")
        for b in batches:
            self.stdout.write(
                f"Пакет № {b.pk} («{b.file_name}»): загрузка прервана, данные удалены."
            )
