"""What roadmaps put in a user's «Ждут меня»: reports to accept or return, roadmaps submitted
for approval, and the user's own reports and roadmaps returned to redo.

Each item links to the page where the step is taken; taken there, the item leaves the inbox.
A few indexed queries per user, whatever the number of items (the menu counts them on every
page).
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region
from opora.core.contributions import InboxItem
from opora.core.querysets import Countable, Counted, check_all, listed
from opora.core.russian.dates import short_date
from opora.roadmaps.models import ProgressReport, ReviewState, RoadmapStatus, RoadmapTransition
from opora.roadmaps.reviewers import reports_to_review
from opora.roadmaps.selectors import roadmaps_for

#: At most this many items of one kind are listed; ``count_for`` counts them all.
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


def _pending(user) -> QuerySet[ProgressReport]:
    """Reports waiting for a decision, filed by others: a narrow superset of the ones
    ``user`` reviews (``reviewers.reports_to_review``)."""
    return ProgressReport.objects.filter(review_state=ReviewState.PENDING).exclude(reported_by=user)


#: What an inbox row of a report shows, and no more: the reports come with their events,
#: roadmaps, schools, municipalities, curators and periods, 150 columns in full (a curator's
#: 200 rows: half the cost of the home page, bench/loop.py).
_ROW_FIELDS = (
    "event_id",
    "period_id",
    "school_id",
    "municipality_id",
    "curator_id",
    "reported_at",
    "reported_by_id",
    "review_state",
    "review_comment",
    "event__number",
    "event__text",
    "event__due_on",
    "event__roadmap_id",
    "event__roadmap__level",
    "event__roadmap__owner_name",
    "event__roadmap__school_id",
    "event__roadmap__municipality_id",
    "school__short_name",
    "municipality__name",
    "curator__last_name",
    "curator__first_name",
    "curator__patronymic",
    "curator__initials",
    "period__end",
)


def _reports_to_review(user, limit: int | None = None) -> list[InboxItem]:
    return [
        InboxItem(
            kind="Отчёт на проверку",
            title=r.event.heading,
            subject=_filed(r),
            url=_event_url(r),
        )
        for r in listed(
            lambda: reports_to_review(user).only(*_ROW_FIELDS),
            limit or LIMIT,
            candidates=_pending(user),
        )
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


def _returned_candidates(user) -> QuerySet[ProgressReport]:
    """The user's returned reports, filed again or not: a narrow superset of ``_returned_qs``."""
    mine = _mine(user)
    if mine is None:
        return ProgressReport.objects.none()
    return ProgressReport.objects.filter(mine, review_state=ReviewState.RETURNED)


def _returned_qs(user) -> QuerySet[ProgressReport]:
    """The user's reports returned to redo and not yet filed again: no later report of the same
    reporter on the same event and period (a missing period or reporter matches a missing one)."""
    keys = ("period_id", "school_id", "municipality_id", "curator_id")
    later = ProgressReport.objects.annotate(
        **{f"k_{k}": Coalesce(k, Value(0)) for k in keys}
    ).filter(
        event_id=OuterRef("event_id"),
        pk__gt=OuterRef("pk"),
        **{f"k_{k}": Coalesce(OuterRef(k), Value(0)) for k in keys},
    )
    return _returned_candidates(user).exclude(Exists(later))


def returned_reports(
    user, limit: int | None = None, *, soonest: bool = False
) -> list[ProgressReport]:
    """The user's reports returned to redo and not yet filed again (the latest of their round),
    the last returned first, or with ``soonest`` the nearest deadline first, as the inbox
    orders them."""
    order = (F("due").asc(nulls_last=True), "-reported_at", "-pk") if soonest else ("-reported_at",)
    return listed(
        lambda: (
            _returned_qs(user)
            .select_related("event__roadmap", "period", "school", "municipality", "curator")
            .annotate(due=Coalesce("period__end", "event__due_on"))
            .order_by(*order)
        ),
        limit or LIMIT,
        candidates=_returned_candidates(user),
    )


def _returned_reports(user, limit: int | None = None, *, soonest: bool = False) -> list[InboxItem]:
    return [
        InboxItem(
            kind="Отчёт возвращён на доработку",
            title=r.event.heading,
            subject=_reporter(r),
            url=reverse("roadmaps:event", args=[r.event_id]),
            due=r.period.end if r.period_id else r.event.due_on,
            returned=True,
            note=r.review_comment,
        )
        for r in returned_reports(user, limit, soonest=soonest)
    ]


def _reviews_roadmaps(user) -> Q:
    """Of the roadmaps ``user`` sees, those they approve or return (``rules.is_reviewer`` as a
    condition): all for the region; for a municipal coordinator or a curator, every municipal
    and school roadmap of their scope."""
    if can_write_region(user):
        return Q()
    if user.role in (Role.MUNICIPAL, Role.CURATOR):
        return ~Q(level="region")
    return Q(pk__in=[])


def _owns_roadmaps(user) -> Q:
    """The roadmaps whose return is the user's to redo (``rules.is_owner_side``; the region
    redoes only its own regional roadmap, not every one it could edit)."""
    if can_write_region(user):
        return Q(level="region")
    if user.role == Role.MUNICIPAL and user.municipality_id:
        mid = user.municipality_id
        return Q(level="municipality", municipality_id=mid) | Q(
            level="school", school__municipality_id=mid
        )
    if user.role == Role.SCHOOL and user.school_id:
        return Q(level="school", school_id=user.school_id)
    return Q(pk__in=[])


def _submitted_or_returned(user):
    """Of the roadmaps ``user`` sees, those submitted or returned: a narrow superset of
    ``_waiting_roadmaps``."""
    return roadmaps_for(user).filter(status__in=[RoadmapStatus.SUBMITTED, RoadmapStatus.RETURNED])


def _waiting_roadmaps(user):
    """Roadmaps submitted to ``user`` for approval (not by themselves), and the user's own
    ones returned."""
    last = RoadmapTransition.objects.filter(roadmap=OuterRef("pk")).order_by("-at", "-pk")
    submitted = (
        Q(status=RoadmapStatus.SUBMITTED)
        & _reviews_roadmaps(user)
        & (Q(last_user__isnull=True) | ~Q(last_user=user.pk))
    )
    returned = Q(status=RoadmapStatus.RETURNED) & _owns_roadmaps(user)
    return (
        _submitted_or_returned(user)
        .annotate(
            last_user=Subquery(last.values("user_id")[:1]),
            last_comment=Subquery(last.values("comment")[:1]),
        )
        .filter(submitted | returned)
    )


def _roadmaps(user, limit: int | None = None) -> list[InboxItem]:
    items = []
    for roadmap in listed(
        lambda: _waiting_roadmaps(user).order_by("pk"),
        limit or LIMIT,
        candidates=_submitted_or_returned(user),
    ):
        url = reverse("roadmaps:detail", args=[roadmap.pk])
        if roadmap.status == RoadmapStatus.SUBMITTED:
            items.append(
                InboxItem(
                    kind="Дорожная карта на согласование",
                    title=roadmap.title,
                    subject=roadmap.owner_label,
                    url=url,
                )
            )
        else:
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


def _check(user) -> None:
    """The three lists' supersets asked at once (kept for the request: ``listed`` reads them)."""
    check_all([_pending(user), _returned_candidates(user), _submitted_or_returned(user)])


def items_for(user) -> list[InboxItem]:
    if not user.is_authenticated:
        return []
    _check(user)
    return _reports_to_review(user) + _returned_reports(user) + _roadmaps(user)


def first_for(user, n: int) -> list[InboxItem]:
    """At most ``n`` of each kind, holding the first ``n`` in the inbox's order: the returned
    reports by their deadlines; the reports to review and the roadmaps have none, so any ``n``
    of them (the inbox keeps the order they come in)."""
    if not user.is_authenticated:
        return []
    _check(user)
    return (
        _reports_to_review(user, n) + _returned_reports(user, n, soonest=True) + _roadmaps(user, n)
    )


def count_for(user) -> list[Countable]:
    """What to count of the roadmaps' items waiting for ``user`` (``core.querysets.count_all``
    counts every app's at once): no rows loaded."""
    if not user.is_authenticated:
        return []
    return [
        Counted(lambda: reports_to_review(user), candidates=_pending(user)),
        Counted(lambda: _returned_qs(user), candidates=_returned_candidates(user)),
        Counted(lambda: _waiting_roadmaps(user), candidates=_submitted_or_returned(user)),
    ]
