"""Reads of coaching that depend on who asks: self-analyses, threads, plans against what was
done, each school's last activity. Plain data, a fixed number of queries for any number of
rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.coaching.models import (
    AnalysisStatus,
    Comment,
    IndicatorRating,
    SelfAnalysis,
    SpanTarget,
    Visit,
    VisitKind,
    VisitStatus,
    WorkPlan,
)
from opora.core.calendar import current_year
from opora.people.models import CuratorAssignment
from opora.registry.models import Municipality, School, SchoolStatus
from opora.roadmaps.models import ProgressReport, Roadmap

NOT_STARTED = "not_started"


def listed_schools(user, year: int | None = None) -> QuerySet[School]:
    """This year's listed schools (ШНОР/ШНСУ) of the user's scope."""
    listed = SchoolStatus.objects.filter(year=year or current_year()).values("school_id")
    return (
        scope_for(user)
        .schools(School.objects.filter(pk__in=listed, is_active=True))
        .select_related("municipality")
        .order_by("municipality__name", "short_name")
    )


def analysis_of(school, year: int | None = None) -> SelfAnalysis | None:
    ratings = IndicatorRating.objects.select_related("indicator", "event").order_by(
        "indicator__order", "pk"
    )
    return (
        SelfAnalysis.objects.filter(school=school, year=year or current_year())
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .first()
    )


def analysis_for(user, pk: int) -> SelfAnalysis | None:
    analysis = SelfAnalysis.objects.select_related("school__municipality").filter(pk=pk).first()
    if analysis is None or not user.has_perm("coaching.view_selfanalysis", analysis.school):
        return None
    return analysis


def school_programmes(school) -> QuerySet[Roadmap]:
    """The school's own roadmaps (its programme) still being drafted: priorities move there."""
    return Roadmap.objects.filter(level="school", school=school, status="draft").order_by(
        "-period_start", "-pk"
    )


def thread(*, analysis=None, roadmap=None) -> list[Comment]:
    """The messages of a thread, each first message with ``replies`` (two queries)."""
    qs = Comment.objects.filter(parent=None)
    qs = qs.filter(analysis=analysis) if analysis is not None else qs.filter(roadmap=roadmap)
    return _with_replies(qs)


def _with_replies(qs) -> list[Comment]:
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    return list(qs.select_related("author").prefetch_related(Prefetch("replies", queryset=replies)))


def report_threads(report_ids) -> dict[int, list[Comment]]:
    """The threads on these progress reports, by report id (two queries for them all)."""
    threads: dict[int, list[Comment]] = {pk: [] for pk in report_ids}
    for comment in _with_replies(Comment.objects.filter(parent=None, report_id__in=report_ids)):
        threads[comment.report_id].append(comment)
    return threads


# ---------------------------------------------------------------- who has done the self-analysis


@dataclass
class AnalysisRow:
    school: School
    status: str  # AnalysisStatus value or NOT_STARTED
    analysis_id: int | None = None
    priorities: int = 0
    comments: int = 0
    updated_at: datetime | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class AnalysisOverview:
    rows: list[AnalysisRow]
    counts: dict[str, int]
    municipalities: list[Municipality]


STATUS_LABELS = {
    AnalysisStatus.SUBMITTED: "завершён",
    AnalysisStatus.DRAFT: "заполняется",
    NOT_STARTED: "не начат",
}


def analysis_overview(
    user, *, municipality: int | None = None, status: str = ""
) -> AnalysisOverview:
    """The listed schools of the scope with the state of their self-analysis: counts over the
    scope, rows after the filters."""
    year = current_year()
    schools = list(listed_schools(user, year))
    ids = [s.pk for s in schools]
    analyses = {
        a["school_id"]: a
        for a in SelfAnalysis.objects.filter(school_id__in=ids, year=year)
        .annotate(
            priorities=Count("ratings", filter=Q(ratings__is_priority=True), distinct=True),
            comment_count=Count("comments", distinct=True),
        )
        .values("pk", "school_id", "status", "priorities", "comment_count", "updated_at")
    }
    rows = []
    for s in schools:
        a = analyses.get(s.pk)
        rows.append(
            AnalysisRow(
                s, a["status"], a["pk"], a["priorities"], a["comment_count"], a["updated_at"]
            )
            if a
            else AnalysisRow(s, NOT_STARTED)
        )
    counts = {key: sum(1 for r in rows if r.status == key) for key in STATUS_LABELS}
    counts["total"] = len(rows)
    municipalities = sorted({s.municipality for s in schools}, key=lambda m: m.name)
    if municipality:
        rows = [r for r in rows if r.school.municipality_id == municipality]
    if status:
        rows = [r for r in rows if r.status == status]
    return AnalysisOverview(rows, counts, municipalities)


# ---------------------------------------------------------------- plans and visits


def plans_for(user, year: int | None = None) -> QuerySet[WorkPlan]:
    """The work plans of the scope (a curator: his own), with targets and visits."""
    qs = WorkPlan.objects.filter(year=year or current_year())
    scope = scope_for(user)
    if not scope.everything:
        qs = qs.filter(municipality_id__in=scope.visible_municipality_ids())
    if user.role == Role.CURATOR:
        qs = qs.filter(curator_id=user.person_id)
    elif user.role in (Role.SCHOOL, Role.TEACHER):
        return qs.none()
    visits = Visit.objects.select_related("school").order_by("planned_on", "pk")
    return (
        qs.select_related("curator", "municipality")
        .prefetch_related("targets", Prefetch("visits", queryset=visits))
        .order_by("curator__last_name", "municipality__name")
    )


def plan_for(user, pk: int) -> WorkPlan | None:
    visits = Visit.objects.select_related("school").order_by("planned_on", "pk")
    plan = (
        WorkPlan.objects.select_related("curator", "municipality")
        .prefetch_related("targets", Prefetch("visits", queryset=visits))
        .filter(pk=pk)
        .first()
    )
    if plan is None or not user.has_perm("coaching.view_workplan", plan):
        return None
    return plan


@dataclass
class KindProgress:
    kind: str
    label: str
    target: int
    planned: int
    held: int

    @property
    def met(self) -> bool:
        return self.held >= self.target


@dataclass
class PlanProgress:
    plan: WorkPlan
    kinds: list[KindProgress] = field(default_factory=list)
    last_visit: date | None = None

    @property
    def held(self) -> int:
        return sum(k.held for k in self.kinds)

    @property
    def target(self) -> int:
        return sum(k.target for k in self.kinds)


def progress(plan: WorkPlan) -> PlanProgress:
    """The plan's targets against its visits (from the prefetched ``targets`` and ``visits``)."""
    targets = {t.kind: t.quantity for t in plan.targets.all()}
    planned: dict[str, int] = defaultdict(int)
    held: dict[str, int] = defaultdict(int)
    last = None
    for v in plan.visits.all():
        if v.status == VisitStatus.HELD:
            held[v.kind] += 1
            last = max(last, v.held_on) if last else v.held_on
        elif v.status == VisitStatus.PLANNED:
            planned[v.kind] += 1
    kinds = [
        KindProgress(kind, label, targets.get(kind, 0), planned[kind], held[kind])
        for kind, label in VisitKind.choices
        if targets.get(kind) or planned[kind] or held[kind]
    ]
    return PlanProgress(plan, kinds, last)


def curators_progress(user, year: int | None = None) -> list[PlanProgress]:
    return [progress(p) for p in plans_for(user, year)]


# ---------------------------------------------------------------- targets across municipalities


def span_targets_for(user, year: int | None = None) -> QuerySet[SpanTarget]:
    """The targets across several municipalities the user sees: a curator his own; the
    region all; a municipality those that name it."""
    qs = SpanTarget.objects.filter(year=year or current_year())
    if user.role in (Role.SCHOOL, Role.TEACHER):
        return qs.none()
    if user.role == Role.CURATOR:
        qs = qs.filter(curator_id=user.person_id)
    else:
        scope = scope_for(user)
        if not scope.everything:
            named = SpanTarget.municipalities.through.objects.filter(
                municipality_id__in=scope.visible_municipality_ids()
            )
            qs = qs.filter(pk__in=named.values("spantarget_id"))
    return (
        qs.select_related("curator")
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
        )
        .order_by("curator__last_name", "kind", "pk")
    )


def span_target_for(user, pk: int) -> SpanTarget | None:
    target = SpanTarget.objects.filter(pk=pk).prefetch_related("municipalities").first()
    if target is None or not user.has_perm("coaching.view_spantarget", target):
        return None
    return target


@dataclass
class SpanProgress:
    target: SpanTarget
    held: int
    planned: int

    @property
    def met(self) -> bool:
        return self.held >= self.target.quantity

    @property
    def places(self) -> str:
        return ", ".join(m.name for m in self.target.municipalities.all())


def _curators_schools(curators, years) -> dict[tuple[int, int], tuple[set, set]]:
    """(curator, year) -> (municipalities, schools) the curator is assigned to."""
    assigned: dict[tuple[int, int], tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for person, year, municipality, school in CuratorAssignment.objects.filter(
        person_id__in=curators, year__in=years
    ).values_list("person_id", "year", "municipality_id", "school_id"):
        municipalities, schools = assigned[(person, year)]
        if municipality:
            municipalities.add(municipality)
        if school:
            schools.add(school)
    return assigned


def spans_progress(user, year: int | None = None) -> list[SpanProgress]:
    """The targets across municipalities the user sees, against what was done."""
    return span_progress_of(list(span_targets_for(user, year)))


def span_progress_of(targets: list[SpanTarget]) -> list[SpanProgress]:
    """Each target across municipalities against the curator's visits of its kind in the
    plans of the named municipalities — to his own schools there, or to a municipality as a
    whole (two queries beside the targets', whatever the number of targets and visits; the
    targets' ``municipalities`` prefetched)."""
    if not targets:
        return []
    curators = {t.curator_id for t in targets}
    years = {t.year for t in targets}
    assigned = _curators_schools(curators, years)
    counted: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for curator, plan_year, place, kind, status, school, school_place, n in (
        Visit.objects.filter(
            plan__curator_id__in=curators,
            plan__year__in=years,
            status__in=[VisitStatus.HELD, VisitStatus.PLANNED],
        )
        .values_list(
            "plan__curator_id",
            "plan__year",
            "plan__municipality_id",
            "kind",
            "status",
            "school_id",
            "school__municipality_id",
        )
        .annotate(n=Count("id"))
        .order_by()
    ):
        municipalities, schools = assigned[(curator, plan_year)]
        if school is not None and school not in schools and school_place not in municipalities:
            continue  # not one of the curator's schools
        counted[(curator, plan_year, kind, place)][status] += n
    rows = []
    for t in targets:
        named = [m.pk for m in t.municipalities.all()]
        held = sum(counted[(t.curator_id, t.year, t.kind, m)][VisitStatus.HELD] for m in named)
        planned = sum(
            counted[(t.curator_id, t.year, t.kind, m)][VisitStatus.PLANNED] for m in named
        )
        rows.append(SpanProgress(t, held, planned))
    return rows


# ---------------------------------------------------------------- each school's last activity


@dataclass
class SchoolActivity:
    school: School
    analysis_status: str
    last_school_action: datetime | None
    last_visit: date | None
    open_recommendations: int = 0


def schools_activity(user, year: int | None = None) -> list[SchoolActivity]:
    """Each listed school of the scope: when it last did something in the programme (its
    self-analysis, a report on its programme, a message in its threads) and when its curator
    last visited it. Five queries for any number of schools."""
    year = year or current_year()
    schools = list(listed_schools(user, year))
    ids = [s.pk for s in schools]
    analyses = dict(
        SelfAnalysis.objects.filter(school_id__in=ids, year=year).values_list("school_id", "status")
    )
    touched: dict[int, list[datetime]] = defaultdict(list)
    for school_id, at in SelfAnalysis.objects.filter(school_id__in=ids).values_list(
        "school_id", "updated_at"
    ):
        touched[school_id].append(at)
    for school_id, at in (
        ProgressReport.objects.filter(school_id__in=ids)
        .values("school_id")
        .annotate(at=Max("reported_at"))
        .values_list("school_id", "at")
    ):
        touched[school_id].append(at)
    for school_id, at in (
        Comment.objects.filter(school_id__in=ids, author__role=Role.SCHOOL)
        .values("school_id")
        .annotate(at=Max("created_at"))
        .values_list("school_id", "at")
    ):
        touched[school_id].append(at)
    visits = dict(
        Visit.objects.filter(school_id__in=ids, status=VisitStatus.HELD)
        .values("school_id")
        .annotate(at=Max("held_on"))
        .values_list("school_id", "at")
    )
    return [
        SchoolActivity(
            s,
            analyses.get(s.pk, NOT_STARTED),
            max(touched[s.pk]) if touched[s.pk] else None,
            visits.get(s.pk),
        )
        for s in schools
    ]


def assigned_municipalities(user) -> QuerySet[Municipality]:
    """The municipalities a curator may plan for (this year's assignments)."""
    if user.role != Role.CURATOR:
        return Municipality.objects.none()
    return Municipality.objects.filter(pk__in=scope_for(user).visible_municipality_ids()).order_by(
        "name"
    )
