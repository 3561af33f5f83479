"""What roadmaps put in a user's «Ждут меня»: reports to accept or return, roadmaps submitted
for approval, and the user's own reports and roadmaps returned to redo.

Each item links to the page where the step is taken; taken there, the item leaves the inbox.
A few indexed queries per user, whatever the number of items (the menu counts them on every
page).
"""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region
from opora.core.contributions import InboxItem
from opora.core.russian.dates import short_date
from opora.roadmaps.models import ProgressReport, ReviewState, RoadmapStatus, RoadmapTransition
from opora.roadmaps.reviewers import reports_to_review
from opora.roadmaps.rules import is_owner_side, is_reviewer
from opora.roadmaps.selectors import roadmaps_for

#: At most this many items of one kind: the page says «и ещё …» through the count.
LIMIT = 200


def _reporter(report) -> str:
    if report.school_id:
        return report.school.short_name
    if report.municipality_id:
        return report.municipality.name
    if report.curator_id:
        return f"куратор {report.curator}"
    return report.event.roadmap.owner_label


def _event_url(report) -> str:
    return reverse("roadmaps:event", args=[report.event_id]) + f"#report-{report.pk}"


def _filed(report) -> str:
    """«МАОУ СОШ № 28 · отчёт от 03.12.2026, срок мероприятия 30.04.2026»: a report waiting for
    review has no deadline of the reviewer's; the event's own is said in words, not marked
    «просрочено» as if the review were late."""
    words = f"{_reporter(report)} · отчёт от {short_date(timezone.localdate(report.reported_at))}"
    due = report.period.end if report.period_id else report.event.due_on
    return f"{words}, срок мероприятия {short_date(due)}" if due else words


def _reports_to_review(user) -> list[InboxItem]:
    return [
        InboxItem(
            kind="Отчёт на проверку",
            title=f"{r.event.number} {r.event.text}".strip(),
            subject=_filed(r),
            url=_event_url(r),
        )
        for r in reports_to_review(user)[:LIMIT]
    ]


def _mine(user) -> Q | None:
    """The reports ``user`` files: for their school, municipality, as a curator, or as the
    owner side of their own roadmaps."""
    owner = Q(school__isnull=True, municipality__isnull=True, curator__isnull=True)
    if user.role == Role.SCHOOL and user.school_id:
        return Q(school_id=user.school_id) | (owner & Q(event__roadmap__school_id=user.school_id))
    if user.role == Role.MUNICIPAL and user.municipality_id:
        return Q(school__isnull=True, municipality_id=user.municipality_id) | (
            owner & Q(event__roadmap__municipality_id=user.municipality_id)
        )
    if user.role == Role.CURATOR and user.person_id:
        return Q(curator_id=user.person_id)
    if can_write_region(user):
        return owner & Q(event__roadmap__level="region")
    return None


def returned_reports(user) -> list[ProgressReport]:
    """The user's reports returned to redo and not yet filed again (the latest of their round)."""
    mine = _mine(user)
    if mine is None:
        return []
    returned = list(
        ProgressReport.objects.filter(mine, review_state=ReviewState.RETURNED)
        .select_related("event__roadmap", "period", "school", "municipality", "curator")
        .order_by("-reported_at")[:LIMIT]
    )
    if not returned:
        return []
    later = ProgressReport.objects.filter(event_id__in={r.event_id for r in returned}).values_list(
        "event_id", "period_id", "school_id", "municipality_id", "curator_id", "pk"
    )
    newest: dict[tuple, int] = {}
    for *key, pk in later:
        newest[tuple(key)] = max(pk, newest.get(tuple(key), 0))
    return [
        r
        for r in returned
        if newest.get((r.event_id, r.period_id, r.school_id, r.municipality_id, r.curator_id))
        == r.pk
    ]


def _returned_reports(user) -> list[InboxItem]:
    return [
        InboxItem(
            kind="Отчёт возвращён на доработку",
            title=f"{r.event.number} {r.event.text}".strip(),
            subject=_reporter(r),
            url=reverse("roadmaps:event", args=[r.event_id]),
            due=r.period.end if r.period_id else r.event.due_on,
            returned=True,
            note=r.review_comment,
        )
        for r in returned_reports(user)
    ]


def _roadmaps(user) -> list[InboxItem]:
    """Roadmaps submitted to ``user`` for approval, and the user's own ones returned."""
    last = RoadmapTransition.objects.filter(roadmap=OuterRef("pk")).order_by("-at", "-pk")
    qs = (
        roadmaps_for(user)
        .filter(status__in=[RoadmapStatus.SUBMITTED, RoadmapStatus.RETURNED])
        .annotate(
            last_user=Subquery(last.values("user_id")[:1]),
            last_comment=Subquery(last.values("comment")[:1]),
        )
    )
    items = []
    for roadmap in qs[:LIMIT]:
        url = reverse("roadmaps:detail", args=[roadmap.pk])
        if roadmap.status == RoadmapStatus.SUBMITTED:
            if is_reviewer(user, roadmap) and roadmap.last_user != user.pk:
                items.append(
                    InboxItem(
                        kind="Дорожная карта на согласование",
                        title=roadmap.title,
                        subject=roadmap.owner_label,
                        url=url,
                    )
                )
        elif is_owner_side(user, roadmap) and not (
            can_write_region(user) and roadmap.level != "region"
        ):
            items.append(
                InboxItem(
                    kind="Дорожная карта возвращена на доработку",
                    title=roadmap.title,
                    subject=roadmap.owner_label,
                    url=url,
                    returned=True,
                    note=roadmap.last_comment or "",
                )
            )
    return items


def items_for(user) -> list[InboxItem]:
    if not user.is_authenticated:
        return []
    return _reports_to_review(user) + _returned_reports(user) + _roadmaps(user)
