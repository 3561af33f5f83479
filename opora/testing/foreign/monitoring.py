"""Foreign objects of the monitoring part for the project-wide scope walk.

A campaign of the foreign municipality, the foreign school's sheet, an answer, a file
confirming it and the order
generated from the campaign, each with pk 9001 and «Чуж…» in its text: no user of another
scope may see them at any URL. The checklist itself is the shared default one (templates are
not scoped), so it carries no marker.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from opora.testing import FOREIGN_PK

if TYPE_CHECKING:
    from opora.testing.world import World


def create(world: World) -> None:
    from django.core.files.base import ContentFile

    from opora.documents.models import Document, DocumentKind
    from opora.monitoring.defaults import ensure_default_template
    from opora.monitoring.models import (
        CampaignSchool,
        ChecklistAnswer,
        ItemEvidence,
        MonitoringCampaign,
        SheetStatus,
    )

    template = ensure_default_template()
    campaign = MonitoringCampaign.objects.create(
        pk=FOREIGN_PK,
        title="Чужой мониторинг",
        municipality=world.foreign,
        template=template,
        period_text="Чужой период",
        due_date=date(2026, 3, 1),
    )
    sheet = CampaignSchool.objects.create(
        pk=FOREIGN_PK,
        campaign=campaign,
        school=world.foreign_school,
        status=SheetStatus.SUBMITTED,
        review_comment="Чужие замечания",
    )
    first_item = template.items.order_by("section", "order").first()
    evidence = ItemEvidence(
        pk=FOREIGN_PK,
        sheet=sheet,
        item=first_item,
        original_name="Чужой приказ.pdf",
        content_type="application/pdf",
        size=20,
    )
    evidence.file.save("foreign-item.pdf", ContentFile("%PDF-1.4 Чужой приказ".encode()))
    ChecklistAnswer.objects.create(
        pk=FOREIGN_PK,
        sheet=sheet,
        item=first_item,
        answer="done",
        details={"text": "Чужие подробности", "links": [{"url": "https://chuzh.example/"}]},
        comment="Чужой комментарий",
    )
    document = Document(
        pk=FOREIGN_PK,
        kind=DocumentKind.ORDER,
        organisation="Чужое управление образования",
        title="О чужом мониторинге",
        body="Чужой текст распоряжения.",
    )
    document.source = campaign
    document.save()
