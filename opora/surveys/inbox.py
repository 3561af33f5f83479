"""What questionnaires put in «Ждут меня»: a staff questionnaire the user's school waits for
them to answer (one query)."""

from __future__ import annotations

from django.urls import reverse

from opora.core.contributions import InboxItem
from opora.surveys.selectors import waiting_for


def items_for(user) -> list[InboxItem]:
    if not user.is_authenticated:
        return []
    return [
        InboxItem(
            kind="Анкета ждёт ответа",
            title=a.questionnaire.title,
            subject=a.campaign.title,
            url=reverse("surveys:answer_as_staff", args=[a.campaign_id, a.audience]),
            due=a.campaign.ends_on,
        )
        for a in waiting_for(user)
    ]
