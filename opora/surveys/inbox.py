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
            title=c.questionnaire.title,
            subject=c.title,
            url=reverse("surveys:answer_as_staff", args=[c.pk]),
            due=c.ends_on,
        )
        for c in waiting_for(user)
    ]
