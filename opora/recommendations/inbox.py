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


def _due(user):
    today = timezone.localdate()
    return recommendations_for(user).filter(
        status__in=OPEN_STATES, due_date__lte=today + timedelta(days=AHEAD_DAYS)
    )


def _school_open(user):
    return recommendations_for(user).filter(status__in=OPEN_STATES)


def _follows_up(user) -> bool:
    return user.is_authenticated and (
        can_write_region(user) or user.role in (Role.MUNICIPAL, Role.CURATOR)
    )


def count_for(user) -> list:
    if user.is_authenticated and user.role == Role.SCHOOL:
        return [_school_open(user)]
    return [_due(user)] if _follows_up(user) else []


def _school_items(user, limit: int | None = None) -> list[InboxItem]:
    """Every open recommendation addressed to the school (a curator's visit): the school
    reports on each, whatever its due date."""
    today = timezone.localdate()
    rows = _school_open(user).select_related("school").order_by("due_date", "pk")[: limit or LIMIT]
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


def items_for(user, limit: int | None = None) -> list[InboxItem]:
    """The recommendations by due date, the nearest first (so the first ``limit`` are the
    inbox's first: ``first_for``)."""
    if user.is_authenticated and user.role == Role.SCHOOL:
        return _school_items(user, limit)
    if not _follows_up(user):
        return []
    today = timezone.localdate()
    due = _due(user).select_related("municipality").order_by("due_date", "pk")[: limit or LIMIT]
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


def first_for(user, n: int) -> list[InboxItem]:
    return items_for(user, n)
