"""``opora monitoring-report CAMPAIGN --format docx -o FILE``: the order on a monitoring.

The text is generated from the campaign's accepted sheets, as on the «Распоряжение по
итогам» page with its default requisites (the municipal authority, the place), every
suggested instruction included. ``--format txt`` writes the text (to stdout without ``-o``).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opora.core.ids import MAX_ID
from opora.documents.render import KIND_HEADINGS, Requisites, render_requisites
from opora.monitoring.documents import build_order, default_options, monitoring_data
from opora.monitoring.models import MonitoringCampaign


class Command(BaseCommand):
    help = "Распоряжение по итогам мониторинга (как в образце 004): Word или текст."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="Номер (id) мониторинга.")
        parser.add_argument("--format", choices=("docx", "txt"), default="docx")
        parser.add_argument("-o", "--output", default="", help="Файл, куда записать.")

    def handle(self, *args, **o):
        value = str(o["campaign"]).strip()
        campaign = (
            MonitoringCampaign.objects.select_related("municipality", "template")
            .filter(pk=int(value))
            .first()
            if value.isdigit() and int(value) <= MAX_ID
            else None
        )
        if campaign is None:
            raise CommandError(f"Мониторинг № {value} не найден.")
        data = monitoring_data(campaign)
        if not data.sheets:
            raise CommandError(
                f"В мониторинге № {campaign.pk} нет принятых чек-листов: распоряжение строится "
                "по принятым."
            )
        options = default_options(campaign)
        order = build_order(data, options)
        if o["format"] == "txt":
            lines = [
                *options.organisation.splitlines(),
                KIND_HEADINGS[options.kind],
                options.place,
                "",
                order.title,
                "",
                order.body,
            ]
            text = "\n".join(lines).strip() + "\n"
            if o["output"]:
                self._write(o["output"], text.encode("utf-8"))
            else:
                self.stdout.write(text, ending="")
            return
        if not o["output"]:
            raise CommandError("Укажите файл для Word: -o распоряжение.docx")
        content = render_requisites(
            Requisites(
                kind=options.kind,
                organisation=options.organisation,
                title=order.title,
                body=order.body,
                place=options.place,
                draft=True,
            )
        )
        self._write(o["output"], content)
        self.stderr.write(
            f"Записано: {o['output']} (школ: {len(data.sheets)}, не принято: "
            f"{len(data.not_accepted)})."
        )

    def _write(self, path: str, content: bytes) -> None:
        try:
            Path(path).write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Не удалось записать файл {path}: {exc.strerror}.") from exc
