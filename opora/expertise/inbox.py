"""What expertise puts in «Ждут меня»: an expert's open expertises to score, and for the
region the expertises whose experts have all sent their scores, to close (issue 16)."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse

from opora.accounts.scopes import can_write_region
from opora.core.contributions import InboxItem
from opora.core.querysets import Countable, Counted, listed
from opora.expertise.models import ExpertAssignment, Expertise, ExpertiseStatus
from opora.expertise.selectors import expertises_for

LIMIT = 200


def _to_score(user) -> QuerySet[ExpertAssignment]:
    return ExpertAssignment.objects.filter(
        expert=user, submitted_at__isnull=True, expertise__status=ExpertiseStatus.OPEN
    )


def _closable(user) -> QuerySet[Expertise]:
    """The open expertises of the user's scope with a score sent: a narrow superset of
    ``_to_close``."""
    if not can_write_region(user):
        return Expertise.objects.none()
    return expertises_for(user).filter(
        status=ExpertiseStatus.OPEN, assignments__submitted_at__isnull=False
    )


def _to_close(user) -> QuerySet[Expertise]:
    if not can_write_region(user):
        return Expertise.objects.none()
    return (
        expertises_for(user)
        .filter(status=ExpertiseStatus.OPEN)
        .annotate(
            assigned=Count("assignments", distinct=True),
            submitted=Count(
                "assignments",
                filter=Q(assignments__submitted_at__isnull=False),
                distinct=True,
            ),
        )
        .filter(assigned__gt=0, submitted=F("assigned"))
    )


def items_for(user) -> list[InboxItem]:
    if not user.is_authenticated:
        return []
    items = [
        InboxItem(
            kind="Экспертиза: оценить",
            title=f"Экспертиза: {a.expertise.roadmap.title}",
            subject=a.expertise.roadmap.owner_label,
            url=reverse("expertise:expertise_workspace", args=[a.expertise_id]),
            due=a.expertise.due_date,
        )
        for a in listed(
            _to_score(user).select_related(
                "expertise__roadmap__municipality", "expertise__roadmap__school"
            ),
            LIMIT,
        )
    ]
    ready = listed(
        lambda: _to_close(user).select_related("roadmap__municipality", "roadmap__school"),
        LIMIT,
        candidates=_closable(user),
    )
    items += [
        InboxItem(
            kind="Экспертиза: закрыть",
            title=f"Все оценки получены: {e.roadmap.title}",
            subject=e.roadmap.owner_label,
            url=reverse("expertise:expertise_detail", args=[e.pk]),
            due=e.due_date,
        )
        for e in ready
    ]
    return items


def count_for(user) -> list[Countable]:
    if not user.is_authenticated:
        return []
    return [_to_score(user), Counted(lambda: _to_close(user), candidates=_closable(user))]
