"""What recommendations put in «Ждут меня»: the open recommendations of the user's scope due
within two weeks or overdue (issue 16), for those who follow them up: the region, the operator,
the municipal coordinator and the curator (the region-wide readers change nothing); a school
has every open recommendation addressed to it."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region
from opora.core.contributions import InboxItem
from opora.recommendations.selectors import OPEN_STATES, recommendations_for

#: A recommendation shows from this many days before its due date.
AHEAD_DAYS = 14
LIMIT = 100


def _school_items(user) -> list[InboxItem]:
    """Every open recommendation addressed to the school (a curator's visit): the school
    reports on each, whatever its due date."""
    today = timezone.localdate()
    rows = (
        recommendations_for(user)
        .filter(status__in=OPEN_STATES)
        .select_related("school")
        .order_by("due_date", "pk")[:LIMIT]
    )
    return [
        InboxItem(
            kind="Рекомендация куратора"
            + (": просрочена" if r.due_date and r.due_date < today else ""),
            title=r.text,
            subject=r.given_at or r.school.short_name,
            url=reverse("recommendations:recommendation_detail", args=[r.pk]),
            due=r.due_date,
        )
        for r in rows
    ]


def items_for(user) -> list[InboxItem]:
    if not user.is_authenticated:
        return []
    if user.role == Role.SCHOOL:
        return _school_items(user)
    if not (can_write_region(user) or user.role in (Role.MUNICIPAL, Role.CURATOR)):
        return []
    today = timezone.localdate()
    due = (
        recommendations_for(user)
        .filter(status__in=OPEN_STATES, due_date__lte=today + timedelta(days=AHEAD_DAYS))
        .select_related("municipality")
        .order_by("due_date", "pk")[:LIMIT]
    )
    return [
        InboxItem(
            kind="Рекомендация: " + ("просрочена" if r.due_date < today else "срок скоро"),
            title=r.text,
            subject=r.municipality.name,
            url=reverse("recommendations:recommendation_detail", args=[r.pk]),
            due=r.due_date,
        )
        for r in due
    ]
