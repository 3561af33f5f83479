"""Reads of roadmaps that depend on who asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Count,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.registry.models import School
from opora.roadmaps.models import (
    FINISHED,
    ColumnMapping,
    EventExecutor,
    EventPeriod,
    Evidence,
    ProgressReport,
    ReviewState,
    Roadmap,
    RoadmapEvent,
    RoadmapStatus,
)


def _visible(scope, prefix: str = "", *, regional: bool = True) -> Q:
    """Roadmaps (through ``prefix``, e.g. ``event__roadmap__``) that ``scope`` may see;
    ``regional=False`` leaves out the region's own roadmaps."""
    own = Q(**{f"{prefix}level": "region"}) if regional else Q(pk__in=[])
    return (
        own
        | Q(**{f"{prefix}municipality_id__in": scope.municipality_ids})
        | Q(**{f"{prefix}school_id__in": scope.school_ids})
        | Q(**{f"{prefix}school__municipality_id__in": scope.municipality_ids})
    )


def school_municipality_id(user) -> int | None:
    """The municipality of a school user's school (None for anyone else): a school reads the
    roadmap its municipality executes, whose events address it (seed 002, event 11)."""
    if user.role != Role.SCHOOL or not user.school_id:
        return None
    return user.school.municipality_id


def _municipal_of_school(user, prefix: str = "") -> Q:
    """The approved municipal roadmaps of a school user's municipality (through ``prefix``)."""
    municipality_id = school_municipality_id(user)
    if municipality_id is None:
        return Q(pk__in=[])
    return Q(
        **{
            f"{prefix}level": "municipality",
            f"{prefix}municipality_id": municipality_id,
            f"{prefix}status": RoadmapStatus.APPROVED,
        }
    )


def roadmaps_for(user) -> QuerySet[Roadmap]:
    """Regional roadmaps for everyone; municipal and school ones within scope; for a school,
    also its municipality's roadmap in execution (drafts stay with the municipality)."""
    scope = scope_for(user)
    qs = Roadmap.objects.select_related("municipality", "school__municipality")
    if scope.everything:
        return qs
    return qs.filter(_visible(scope) | _municipal_of_school(user))


def _open_periods(user) -> QuerySet[EventPeriod]:
    """Periods not yet finished of the events of approved roadmaps within scope.

    The scope is a condition on joined roadmaps, not ``roadmap IN (subquery)``: with the
    subquery SQLite walked every event of every roadmap instead of the index on the periods'
    ends (10 000 events: 90 ms for a page of overdue periods, bench/roadmaps.py).
    """
    scope = scope_for(user)
    # Only roadmaps in execution have deadlines to keep: a draft, a submitted or returned
    # version and an archived one do not count (one imported 2020 draft took the region's
    # «Просрочено» from 28 to 261).
    qs = EventPeriod.objects.filter(
        event__is_cancelled=False, event__roadmap__status=RoadmapStatus.APPROVED
    ).exclude(status__in=FINISHED)
    # Deadlines of the regional roadmap are the region's to keep; its addressees meet them
    # as «Задачи от региона».
    return (
        qs if scope.everything else qs.filter(_visible(scope, "event__roadmap__", regional=False))
    )


def roadmap_for(user, pk: int) -> Roadmap | None:
    return roadmaps_for(user).filter(pk=pk).first()


def event_for(user, pk: int) -> RoadmapEvent | None:
    """An event of a roadmap ``user`` sees, or None."""
    return (
        RoadmapEvent.objects.select_related("roadmap__school", "section", "parent_event__roadmap")
        .filter(pk=pk, roadmap__in=roadmaps_for(user).values("pk"))
        .first()
    )


def roadmap_list(user, *, status: str = "", level: str = "") -> QuerySet[Roadmap]:
    today = timezone.localdate()
    # Correlated counts per roadmap: COUNT(DISTINCT) over the join of all events with all
    # periods took 650 ms for 10 000 events, these 100 ms (bench/roadmaps.py).
    periods = EventPeriod.objects.filter(event__roadmap=OuterRef("pk"), event__is_cancelled=False)
    qs = roadmaps_for(user).annotate(
        event_count=_count(RoadmapEvent.objects.filter(roadmap=OuterRef("pk"))),
        periods_total=_count(periods),
        periods_done=_count(periods.filter(status__in=FINISHED)),
        # Overdue only in execution: a draft's dates are a plan, not a promise.
        periods_overdue=_count(
            periods.filter(end__lt=today, event__roadmap__status=RoadmapStatus.APPROVED).exclude(
                status__in=FINISHED
            )
        ),
    )
    qs = qs.filter(status=status) if status else qs.exclude(status=RoadmapStatus.ARCHIVED)
    if level:
        qs = qs.filter(level=level)
    return qs


@dataclass
class EventFilter:
    section: int | None = None
    executor: str = ""  # "org:<id>" | "role:<role>" | "unknown"
    state: str = ""  # overdue | week | month | done | open | unknown_deadline


#: The states the events of a roadmap are filtered by, in the order of the filter.
EVENT_STATES = [
    ("overdue", "Просроченные"),
    ("week", "Срок на этой неделе"),
    ("month", "Срок в этом месяце"),
    ("done", "Выполненные"),
    ("unknown_deadline", "Срок не распознан"),
]


def _count(qs: QuerySet):
    """The number of rows of ``qs`` as a correlated subquery (no GROUP BY of the outer query)."""
    return Coalesce(
        Subquery(qs.order_by().values(n=Func("pk", function="COUNT", output_field=IntegerField()))),
        0,
    )


def _period_prefetch():
    return Prefetch("periods", queryset=EventPeriod.objects.order_by("start"))


def events_of(roadmap: Roadmap, f: EventFilter | None = None) -> QuerySet[RoadmapEvent]:
    f = f or EventFilter()
    today = timezone.localdate()
    qs = (
        roadmap.events.select_related("section", "parent_event__roadmap")
        .prefetch_related(
            _period_prefetch(),
            Prefetch("executors", queryset=EventExecutor.objects.select_related("organisation")),
            # The page names the schools: their short names, not every column of each.
            Prefetch("schools", queryset=School.objects.only("pk", "short_name")),
        )
        # Correlated subqueries, not Count() over a join: periods × reports of every event were
        # grouped (500 events: 170 ms of SQL, bench/roadmaps.py).
        .annotate(
            open_overdue=Exists(
                EventPeriod.objects.filter(event=OuterRef("pk"), end__lt=today).exclude(
                    status__in=FINISHED
                )
            ),
        )
        .order_by("order")
    )
    if f.section:
        qs = qs.filter(section_id=f.section)
    if f.executor.startswith("org:"):
        qs = qs.filter(executors__organisation_id=int(f.executor[4:] or 0)).distinct()
    elif f.executor.startswith("role:"):
        qs = qs.filter(executors__role=f.executor[5:]).distinct()
    elif f.executor == "unknown":
        qs = qs.filter(executors__known=False).distinct()
    qs = _by_state(qs, f.state, today)
    return qs


def _by_state(qs, state: str, today: date):
    open_period = ~Q(periods__status__in=FINISHED) & Q(is_cancelled=False)
    if state == "overdue":
        return qs.filter(open_period, periods__end__lt=today).distinct()
    if state == "week":
        return qs.filter(
            open_period, periods__end__gte=today, periods__end__lte=today + timedelta(days=7)
        ).distinct()
    if state == "month":
        return qs.filter(
            open_period, periods__end__gte=today, periods__end__lte=today + timedelta(days=31)
        ).distinct()
    if state == "unknown_deadline":
        return qs.filter(deadline_understood=False)
    if state == "done":
        return (
            qs.exclude(periods__status__in=[s for s in _open_states()])
            .filter(periods__isnull=False)
            .distinct()
        )
    return qs


def _open_states():
    from opora.roadmaps.models import ProgressStatus

    return [s for s in ProgressStatus.values if s not in FINISHED]


@dataclass
class Progress:
    total: int
    done: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def roadmap_progress(roadmap: Roadmap) -> Progress:
    today = timezone.localdate()
    agg = EventPeriod.objects.filter(event__roadmap=roadmap, event__is_cancelled=False).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status__in=FINISHED)),
        overdue=Count("id", filter=Q(end__lt=today) & ~Q(status__in=FINISHED)),
    )
    # A draft's dates are a plan: only a roadmap in execution is overdue (issue 16).
    overdue = agg["overdue"] if roadmap.status == RoadmapStatus.APPROVED else 0
    return Progress(agg["total"], agg["done"], overdue)


def overdue_periods(
    user, *, horizon: str = "overdue", municipality: int | None = None, executor: str = ""
) -> QuerySet[EventPeriod]:
    """Open reporting periods: past due, due this week or this month, within scope."""
    today = timezone.localdate()
    qs = _open_periods(user)
    if horizon == "week":
        qs = qs.filter(end__gte=today, end__lte=today + timedelta(days=7))
    elif horizon == "month":
        qs = qs.filter(end__gte=today, end__lte=today + timedelta(days=31))
    else:
        qs = qs.filter(end__lt=today)
    if municipality:
        qs = qs.filter(
            Q(event__roadmap__municipality_id=municipality)
            | Q(event__roadmap__school__municipality_id=municipality)
        )
    if executor.startswith("org:"):
        qs = qs.filter(event__executors__organisation_id=int(executor[4:] or 0)).distinct()
    elif executor.startswith("role:"):
        qs = qs.filter(event__executors__role=executor[5:]).distinct()
    return qs.select_related(
        "event__roadmap__municipality", "event__roadmap__school", "event__section"
    ).order_by("end", "event__roadmap_id", "event__order")


def overdue_summary(user) -> dict:
    """Counts for the dashboard: overdue, this week, this month (one query, not three)."""
    today = timezone.localdate()
    return _open_periods(user).aggregate(
        overdue=Count("id", filter=Q(end__lt=today)),
        week=Count("id", filter=Q(end__gte=today, end__lte=today + timedelta(days=7))),
        month=Count("id", filter=Q(end__gte=today, end__lte=today + timedelta(days=31))),
    )


def regional_tasks_for(user) -> QuerySet[RoadmapEvent]:
    """«Задачи от региона»: events of approved regional roadmaps addressed to the user's body;
    for a school also those of its municipality's roadmap in execution addressed to schools."""
    roles = {
        Role.MUNICIPAL: ["municipal_authority", "methodical_service"],
        Role.SCHOOL: ["school"],
        Role.CURATOR: ["curator"],
    }.get(user.role)
    if not roles:
        return RoadmapEvent.objects.none()
    regional = Q(
        roadmap__level="region",
        roadmap__status__in=[RoadmapStatus.APPROVED, RoadmapStatus.SUBMITTED],
    )
    # A school's tasks from its municipality: the events of the municipal roadmap in execution
    # addressed to schools — all of its schools, or the ones they name (seed 002, event 11).
    # Conditions on the executors, the named schools and the reports are correlated
    # subqueries, not joins: joined, every event's row was repeated and then made DISTINCT over
    # all its columns, and counted twice so (a school's home at 10 000 events: 160 ms of SQL).
    named = RoadmapEvent.schools.through.objects.filter(roadmapevent_id=OuterRef("pk"))
    municipal = _municipal_of_school(user, "roadmap__") & (
        ~Exists(named) | Exists(named.filter(school_id=user.school_id))
    )
    mine = ProgressReport.objects.filter(_my_reports_q(user, prefix=""), event=OuterRef("pk"))
    return (
        RoadmapEvent.objects.filter(
            regional | municipal,
            Exists(EventExecutor.objects.filter(event=OuterRef("pk"), role__in=roles)),
            roadmap__period_end__gte=timezone.localdate(),
            is_cancelled=False,
        )
        .select_related("roadmap", "section")
        .prefetch_related(_period_prefetch())
        .annotate(
            my_reports=Coalesce(
                Subquery(mine.order_by().values("event").annotate(n=Count("pk")).values("n")),
                0,
            ),
            my_state=Subquery(mine.order_by("-reported_at", "-pk").values("review_state")[:1]),
        )
        .order_by("due_on", "roadmap_id", "order")
    )


def addressed_tasks_heading(user) -> str:
    """The heading of the tasks other bodies give the user (a school's come from both)."""
    if school_municipality_id(user) is not None:
        return "Задачи от региона и муниципалитета"
    return "Задачи от региона"


#: What the addressee of a regional event reads of its latest report.
MY_REPORT_STATE = {
    None: "отчёта нет",
    "pending": "отчёт на проверке",
    "accepted": "отчёт принят",
    "returned": "возвращено на доработку",
}


def regional_task_rows(user, limit: int) -> list[RoadmapEvent]:
    """«Задачи от региона» with the state of the user's latest report on each, in words
    (``state_label``; ``state_returned`` for a report sent back to redo)."""
    rows = list(regional_tasks_for(user)[:limit])
    for event in rows:
        event.state_label = MY_REPORT_STATE.get(event.my_state, "")
        event.state_returned = event.my_state == "returned"
        event.state_accepted = event.my_state == "accepted"
    return rows


def _my_reports_q(user, prefix: str = "reports__") -> Q:
    if user.school_id:
        return Q(**{f"{prefix}school_id": user.school_id})
    if user.municipality_id:
        return Q(**{f"{prefix}municipality_id": user.municipality_id})
    if user.role == Role.CURATOR and user.person_id:
        return Q(**{f"{prefix}curator_id": user.person_id})
    return Q(**{f"{prefix}reported_by": user})


def my_tasks(user) -> QuerySet[RoadmapEvent]:
    """«Мои задачи»: open events of the approved roadmaps the user's body writes and executes
    (a draft has no tasks yet: it is still being written)."""
    scope = scope_for(user)
    qs = RoadmapEvent.objects.filter(is_cancelled=False, roadmap__status=RoadmapStatus.APPROVED)
    if user.role == Role.SCHOOL:
        qs = qs.filter(roadmap__school_id=user.school_id)
    elif user.role == Role.MUNICIPAL:
        qs = qs.filter(roadmap__municipality_id=user.municipality_id)
    elif user.role == Role.CURATOR:
        qs = qs.filter(
            Q(roadmap__municipality_id__in=scope.municipality_ids)
            | Q(roadmap__school__municipality_id__in=scope.municipality_ids)
            | Q(roadmap__school_id__in=scope.school_ids)
        )
    elif user.role in (Role.REGION, Role.OPERATOR):
        qs = qs.filter(roadmap__level="region")
    else:
        return RoadmapEvent.objects.none()
    open_periods = EventPeriod.objects.filter(event=OuterRef("pk")).exclude(status__in=FINISHED)
    return (
        qs.filter(Exists(open_periods))
        .select_related("roadmap__municipality", "roadmap__school", "section")
        .prefetch_related(_period_prefetch())
        .order_by("due_on", "roadmap_id", "order")
    )


def _reports_visible(user, prefix: str = "") -> Q:
    """Reports (through ``prefix``, e.g. ``report__``) that ``user`` may read.

    A report and its files belong to who reported: a school or a municipality answering a
    regional event, a curator answering an event addressed to curators, or else the owner of
    the roadmap. They are read by that reporter's scope and its reviewers — the school's
    curator and municipal coordinator, the municipality's curator, the owners of a municipal
    or school roadmap — and by the region-wide roles. A regional roadmap is everybody's to
    read, the reports of its addressees are not: Томск does not read Каргасок's.
    """
    scope = scope_for(user)
    if scope.everything:
        return Q()
    # The school or the municipality that reported, and who covers it.
    q = (
        Q(**{f"{prefix}school_id__in": scope.school_ids})
        | Q(**{f"{prefix}school__municipality_id__in": scope.municipality_ids})
        | Q(**{f"{prefix}municipality_id__in": scope.municipality_ids})
    )
    # The owner's own reports (and curators' on it) on a municipal or school roadmap in scope;
    # the region's own reports on a regional roadmap stay with the region-wide roles.
    q |= Q(**{f"{prefix}school__isnull": True, f"{prefix}municipality__isnull": True}) & _visible(
        scope, f"{prefix}event__roadmap__", regional=False
    )
    if user.role == Role.CURATOR and user.person_id:
        q |= Q(**{f"{prefix}curator_id": user.person_id})
    return q


def visible_reports(user) -> QuerySet[ProgressReport]:
    """Every report ``user`` may read, with its comments and files (see ``_reports_visible``)."""
    return ProgressReport.objects.filter(
        _reports_visible(user), event__roadmap__in=roadmaps_for(user).values("pk")
    )


def reports_of(event: RoadmapEvent, user) -> QuerySet[ProgressReport]:
    """The reports on ``event`` that ``user`` may read, newest first."""
    return (
        event.reports.filter(_reports_visible(user))
        .select_related("reported_by", "reviewed_by", "period", "school", "municipality", "curator")
        .prefetch_related("evidence")
        .order_by("-reported_at")
    )


def my_period_states(reports: list[ProgressReport], mine: dict) -> dict[int, str]:
    """For the addressee of another body's event (a school on a regional event): the review
    state of its latest report per period, by period id. The period's own status is the
    owner's execution; a school whose report was accepted must not read «не начато» there."""
    states: dict[int, str] = {}
    for report in sorted(reports, key=lambda r: (r.reported_at, r.pk)):
        if (report.school_id, report.municipality_id, report.curator_id) == (
            mine["school_id"],
            mine["municipality_id"],
            mine["curator_id"],
        ):
            states[report.period_id] = report.review_state
    return states


def number_rounds(reports: list[ProgressReport], mine: dict) -> ProgressReport | None:
    """Number each report's round (``report.round``: 1, 2 …) among the reports of the same
    reporter for the same period — a returned report and its resubmission are two rounds — and
    give the latest of ``mine`` (the report fields naming the reporter) when it was returned."""
    rounds: dict[tuple, list[ProgressReport]] = {}
    for report in sorted(reports, key=lambda r: (r.reported_at, r.pk)):
        key = (report.period_id, report.school_id, report.municipality_id, report.curator_id)
        rounds.setdefault(key, []).append(report)
        report.round = len(rounds[key])
    latest = [
        group[-1]
        for (_, school, municipality, curator), group in rounds.items()
        if (school, municipality, curator)
        == (mine["school_id"], mine["municipality_id"], mine["curator_id"])
    ]
    latest.sort(key=lambda r: r.reported_at, reverse=True)
    for report in latest:
        if report.review_state == "returned":
            return report
    return None


def report_history_of(event: RoadmapEvent, user) -> QuerySet:
    """The history of the reports on ``event`` that ``user`` may read.

    A record of a report deleted since is shown to the region-wide roles only: who may read
    it is no longer known.
    """
    qs = ProgressReport.history.filter(event_id=event.pk)
    if scope_for(user).everything:
        return qs
    return qs.filter(id__in=reports_of(event, user).values("pk"))


def visible_evidence(user, pk: int):
    """A file of a report ``user`` may read, or None."""
    return (
        Evidence.objects.filter(pk=pk, report__in=visible_reports(user).values("pk"))
        .select_related("report")
        .first()
    )


def overdue_by(user, group: str, horizon: str = "overdue") -> list[dict]:
    """Open periods counted per municipality (of the roadmap) or per executor, most first."""
    qs = overdue_periods(user, horizon=horizon)
    if group == "municipality":
        from django.db.models.functions import Coalesce

        rows = (
            qs.annotate(
                muni=Coalesce(
                    "event__roadmap__municipality__name",
                    "event__roadmap__school__municipality__name",
                )
            )
            .values("muni")
            .annotate(n=Count("id", distinct=True))
            .order_by("-n")
        )
        return [{"label": r["muni"] or "Региональные карты", "n": r["n"]} for r in rows]
    rows = (
        qs.values("event__executors__organisation__short_name", "event__executors__role")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n")
    )
    from opora.roadmaps.models import ExecutorRole

    labels = dict(ExecutorRole.choices)
    result = []
    for r in rows:
        label = r["event__executors__organisation__short_name"] or labels.get(
            r["event__executors__role"] or "", ""
        )
        result.append({"label": label or "исполнитель не указан", "n": r["n"]})
    return result


def periods_ending(day: date) -> QuerySet[EventPeriod]:
    """Open periods of approved roadmaps that end on ``day`` (deadline reminders)."""
    return (
        EventPeriod.objects.filter(
            end=day, event__is_cancelled=False, event__roadmap__status=RoadmapStatus.APPROVED
        )
        .exclude(status__in=FINISHED)
        .select_related("event__roadmap")
        .order_by("event__roadmap_id", "event__order")
    )


def remembered_columns(level: str, municipality=None, school=None) -> dict[str, str]:
    """The column mapping a body's user once chose for its roadmap files (``{}`` when none).

    The body is the one the import is for: the region, a municipality or a school; only its
    own users and the region import for it, so the mapping is theirs to read.
    """
    owner: dict = {"level": level}
    if level == "municipality":
        owner["municipality"] = municipality
    elif level == "school":
        owner["school"] = school
    mapping = ColumnMapping.objects.filter(**owner).first()
    return dict(mapping.headers) if mapping else {}


def _reports_card(reports: QuerySet[ProgressReport]) -> dict:
    counts = {
        row["review_state"]: row["n"]
        for row in reports.order_by().values("review_state").annotate(n=Count("id"))
    }
    return {
        "reports": list(
            reports.select_related("event__roadmap", "period").order_by("-reported_at", "-pk")[:5]
        ),
        "pending": counts.get(ReviewState.PENDING, 0),
        "returned": counts.get(ReviewState.RETURNED, 0),
        "accepted": counts.get(ReviewState.ACCEPTED, 0),
    }


def school_card(user, school) -> dict:
    """The school page's card (issue 16): the school's own roadmaps and its municipality's
    roadmap in force, and the school's latest reports with how many wait, were returned,
    accepted — each linking to its page. Within the user's scope; a few queries."""
    roadmaps = (
        roadmaps_for(user)
        .filter(
            Q(school=school)
            | Q(
                level="municipality",
                municipality_id=school.municipality_id,
                status=RoadmapStatus.APPROVED,
            )
        )
        .order_by("-period_start", "-pk")[:10]
    )
    reports = visible_reports(user).filter(
        Q(school=school)
        | Q(
            event__roadmap__school=school,
            school__isnull=True,
            municipality__isnull=True,
            curator__isnull=True,
        )
    )
    return {"school": school, "roadmaps": list(roadmaps), **_reports_card(reports)}


def municipality_card(user, municipality) -> dict:
    """The municipality page's card (issue 16): its roadmaps (and how many of its schools have
    their own), its latest reports, and its overdue periods, each linking to its page."""
    visible = roadmaps_for(user)
    reports = visible_reports(user).filter(
        Q(municipality=municipality, school__isnull=True)
        | Q(
            event__roadmap__municipality=municipality,
            school__isnull=True,
            municipality__isnull=True,
            curator__isnull=True,
        )
    )
    return {
        "municipality": municipality,
        "roadmaps": list(
            visible.filter(level="municipality", municipality=municipality).order_by(
                "-period_start", "-pk"
            )[:10]
        ),
        "school_roadmaps": visible.filter(
            level="school", school__municipality=municipality
        ).count(),
        "overdue": overdue_periods(user, municipality=municipality.pk).count(),
        **_reports_card(reports),
    }


def approved_roadmaps() -> QuerySet[Roadmap]:
    """Roadmaps as approved, for the programme's open page (no user: nothing else is shown
    there). A later version in the works does not hide the approved one."""
    return Roadmap.objects.filter(status=RoadmapStatus.APPROVED).select_related(
        "municipality", "school"
    )
