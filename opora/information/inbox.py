"""What information support puts in «Ждут меня»: the organisation's own site section whose
link did not open at the last check (one query)."""

from __future__ import annotations

from django.urls import reverse

from opora.core.contributions import InboxItem
from opora.information.selectors import broken_sections_for


def items_for(user) -> list[InboxItem]:
    return [
        InboxItem(
            kind="Раздел сайта не открывается",
            title="Раздел о программе на сайте",
            subject=section.url,
            url=reverse("information:overview"),
            note=section.note,
        )
        for section in broken_sections_for(user)
    ]
