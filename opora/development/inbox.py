"""What professional development puts in «Ждут меня»: routes sent to the school head for
approval, and a teacher's own route returned to its draft with a comment."""

from __future__ import annotations

from django.urls import reverse

from opora.accounts.models import Role
from opora.core.calendar import current_year
from opora.core.contributions import InboxItem
from opora.development.models import Route, RouteStatus
from opora.development.selectors import waiting_routes

LIMIT = 200


def items_for(user) -> list[InboxItem]:
    if not user.is_authenticated:
        return []
    if user.role == Role.SCHOOL:
        return [
            InboxItem(
                kind="Маршрут на утверждение",
                title=str(route.person or "Управленческая команда"),
                subject="индивидуальный образовательный маршрут",
                url=reverse("development:route", args=[route.pk]),
            )
            for route in waiting_routes(user)[:LIMIT]
        ]
    if user.role == Role.TEACHER and user.person_id:
        returned = Route.objects.filter(
            person_id=user.person_id, year=current_year(), status=RouteStatus.DRAFT
        ).exclude(note="")
        return [
            InboxItem(
                kind="Маршрут возвращён на доработку",
                title="Мой индивидуальный образовательный маршрут",
                url=reverse("development:route", args=[route.pk]),
                returned=True,
                note=route.note,
            )
            for route in returned[:1]
        ]
    return []


def count_for(user) -> int | list:
    """The routes waiting for the school's head, to count; a teacher has at most one returned."""
    if not user.is_authenticated:
        return 0
    if user.role == Role.SCHOOL:
        return [waiting_routes(user)]
    return len(items_for(user)) if user.role == Role.TEACHER else 0
