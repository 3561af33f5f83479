"""What monitoring puts in «Ждут меня»: sheets sent to the coordinator who runs the campaign
(to accept or return), and a school's own sheets returned to redo (issue 16)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region
from opora.core.contributions import InboxItem
from opora.core.querysets import listed
from opora.monitoring.models import CampaignSchool, CampaignStatus, SheetStatus

LIMIT = 200


def _waiting(user) -> tuple[QuerySet[CampaignSchool], bool]:
    """The sheets waiting for ``user``, and whether they are the user's own returned ones."""
    sheets = CampaignSchool.objects.filter(campaign__status=CampaignStatus.OPEN)
    if not user.is_authenticated:
        return sheets.none(), False
    if user.role == Role.SCHOOL and user.school_id:
        return sheets.filter(school_id=user.school_id, status=SheetStatus.RETURNED), True
    if can_write_region(user):
        mine = Q()
    elif user.role == Role.MUNICIPAL and user.municipality_id:
        mine = Q(campaign__municipality_id=user.municipality_id)
    else:
        return sheets.none(), False
    return sheets.filter(mine, status=SheetStatus.SUBMITTED), False


def items_for(user) -> list[InboxItem]:
    sheets, own = _waiting(user)
    sheets = sheets.select_related("campaign", "school")
    if own:
        return [
            InboxItem(
                kind="Чек-лист мониторинга возвращён на доработку",
                title=s.campaign.title,
                subject=s.campaign.period_text,
                url=reverse("monitoring:sheet_detail", args=[s.pk]),
                due=s.campaign.due_date,
                returned=True,
                note=s.review_comment,
            )
            for s in listed(sheets, LIMIT)
        ]
    return [
        InboxItem(
            kind="Чек-лист на приёмку",
            title=f"{s.school.short_name}: {s.campaign.title}",
            subject=s.campaign.period_text,
            url=reverse("monitoring:sheet_detail", args=[s.pk]),
            due=s.campaign.due_date,
        )
        for s in listed(sheets.order_by("submitted_at"), LIMIT)
    ]


def count_for(user) -> list[QuerySet]:
    return [_waiting(user)[0]]
