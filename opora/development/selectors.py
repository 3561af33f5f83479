"""Reads of professional development that depend on who asks.

Named data (a teacher's results, routes, the school's team by name) only for those the rules
allow; everyone else gets aggregates in which a group of fewer than :data:`MIN_GROUP`
teachers is hidden. Pupils' results are never read here: a teacher is described by their
diagnostics, not by their pupils' marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.utils import timezone

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.core.calendar import current_year
from opora.development.models import (
    CompetenceArea,
    DeficitSummary,
    DiagnosticResult,
    MentorPair,
    Offer,
    Registration,
    Route,
    RouteStatus,
    SupportEvent,
    TeamKind,
)
from opora.people.models import Person
from opora.registry.models import Municipality, School

#: Aggregates over fewer teachers than this are not shown: they would point at a person.
MIN_GROUP = 5


@dataclass
class AreaLine:
    area: CompetenceArea
    assessed: int
    in_deficit: int | None
    average: Decimal | None
    hidden: bool = False

    @property
    def share(self) -> float | None:
        if self.hidden or not self.assessed or self.in_deficit is None:
            return None
        return self.in_deficit / self.assessed


@dataclass
class TeamSummary:
    school: School
    team: str
    teachers: int
    lines: list[AreaLine] = field(default_factory=list)
    named: bool = False
    deficits_by_person: list[tuple[Person, list[str]]] = field(default_factory=list)


def _deficit():
    return Q(score__lt=F("area__threshold"))


def latest_results() -> QuerySet[DiagnosticResult]:
    return DiagnosticResult.objects.filter(is_latest=True)


def team_summary(user, school: School, team: str = TeamKind.TEACHING) -> TeamSummary | None:
    """Which areas are deficits in the school's team and for how many teachers; by name for
    the school, its curator and the operator. None outside the user's scope."""
    if not user.has_perm("development.view_aggregates") or not scope_for(user).covers_school(
        school
    ):
        return None
    named = user.has_perm("development.view_school_team", school)
    rows = latest_results().filter(school=school, team=team)
    teachers = rows.values("person_id").distinct().count()
    areas = {a.pk: a for a in CompetenceArea.objects.all()}
    summary = TeamSummary(school=school, team=team, teachers=teachers, named=named)
    hide = not named and teachers < MIN_GROUP
    for row in (
        rows.values("area_id")
        .annotate(n=Count("person_id", distinct=True), d=Count("pk", filter=_deficit()))
        .annotate(avg=Avg("score"))
        .order_by("area__order", "area__title")
    ):
        small = not named and row["n"] < MIN_GROUP
        summary.lines.append(
            AreaLine(
                area=areas[row["area_id"]],
                assessed=row["n"],
                in_deficit=None if hide or small else row["d"],
                average=None if hide or small else row["avg"],
                hidden=hide or small,
            )
        )
    if named:
        summary.deficits_by_person = _deficits_by_person(rows)
    return summary


def _deficits_by_person(rows) -> list[tuple[Person, list[str]]]:
    by_person: dict[int, list[str]] = {}
    for person_id, title in (
        rows.filter(_deficit()).order_by("area__order").values_list("person_id", "area__title")
    ):
        by_person.setdefault(person_id, []).append(title)
    people = Person.objects.in_bulk(list(by_person))
    return sorted(
        ((people[pk], titles) for pk, titles in by_person.items()),
        key=lambda pair: pair[0].full_name,
    )


@dataclass
class AggregateCell:
    assessed: int
    in_deficit: int | None

    @property
    def share(self) -> float | None:
        if self.in_deficit is None or not self.assessed:
            return None
        return self.in_deficit / self.assessed


@dataclass
class Aggregate:
    areas: list[CompetenceArea]
    #: (municipality, a cell per area or None) for the region; (school, …) inside one.
    rows: list[tuple[object, list[AggregateCell | None]]]
    by_school: bool


def region_aggregate(user, municipality: Municipality | None = None) -> Aggregate | None:
    """Teachers in deficit per area: per municipality for the region, per school inside one
    municipality. A cell of fewer than :data:`MIN_GROUP` teachers shows no figure. Read from
    the schools' summaries (:mod:`opora.development.summaries`), equal to a recount."""
    if not user.has_perm("development.view_aggregates"):
        return None
    scope = scope_for(user)
    rows = DeficitSummary.objects.all()
    if municipality is not None:
        if not scope.covers_municipality(municipality.pk) and not scope.everything:
            return None
        rows = rows.filter(school__municipality=municipality)
        group, model = "school_id", School
    else:
        rows = scope.filter(rows, school="school_id", municipality="school__municipality_id")
        group, model = "school__municipality_id", Municipality
    cells: dict[int, dict[int, AggregateCell]] = {}
    for row in rows.values(group, "area_id").annotate(n=Sum("assessed"), d=Sum("in_deficit")):
        n = row["n"]
        cells.setdefault(row[group], {})[row["area_id"]] = AggregateCell(
            assessed=n, in_deficit=row["d"] if n >= MIN_GROUP else None
        )
    owners = model.objects.in_bulk(list(cells))
    ordered = sorted(cells.items(), key=lambda item: str(owners[item[0]]))
    areas = list(CompetenceArea.objects.all())
    return Aggregate(
        areas=areas,
        rows=[(owners[key], [value.get(a.pk) for a in areas]) for key, value in ordered],
        by_school=municipality is not None,
    )


def person_results(person: Person) -> list[DiagnosticResult]:
    """All results of a person, newest diagnostics first (the caller checked the rule)."""
    return list(
        DiagnosticResult.objects.filter(person=person)
        .select_related("area", "diagnostic")
        .order_by("-diagnostic__imported_at", "area__order", "area__title")
    )


def people_with_results(user, school: School) -> QuerySet[Person]:
    """The school's teachers with diagnostics, for those who may see them by name."""
    if not user.has_perm("development.view_school_team", school):
        return Person.objects.none()
    ids = latest_results().filter(school=school).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("last_name", "first_name")


def person_for(user, person_id: int) -> Person | None:
    person = Person.objects.select_related("school").filter(pk=person_id).first()
    if person is None or not user.has_perm("development.view_person_data", person):
        return None
    return person


def routes_for(user, year: int | None = None) -> QuerySet[Route]:
    """Routes the user may read by name: own (teacher), the school's, the curator's schools,
    all for the operator."""
    qs = Route.objects.select_related("school", "person").filter(year=year or current_year())
    if user.role == Role.TEACHER:
        return qs.filter(person_id=user.person_id) if user.person_id else qs.none()
    if user.is_superuser or user.role == Role.OPERATOR:
        return qs
    if user.role == Role.SCHOOL and user.school_id:
        return qs.filter(school_id=user.school_id)
    if user.role == Role.CURATOR:
        scope = scope_for(user)
        return scope.filter(qs, school="school_id", municipality="school__municipality_id")
    return qs.none()


def route_for(user, route_id: int) -> Route | None:
    route = Route.objects.select_related("school", "person").filter(pk=route_id).first()
    if route is None or not user.has_perm("development.view_route", route):
        return None
    return route


def route_steps(route: Route):
    return route.steps.select_related("offer", "area").prefetch_related("offer__areas")


def waiting_routes(user) -> QuerySet[Route]:
    """Routes waiting for this school's head: proposed (draft) or sent by a teacher."""
    if user.role != Role.SCHOOL or not user.school_id:
        return Route.objects.none()
    return Route.objects.filter(
        school_id=user.school_id, year=current_year(), status=RouteStatus.SUBMITTED
    ).select_related("person", "school")


def catalogue(kind: str = "", area: int | None = None, active_only: bool = True):
    qs = Offer.objects.prefetch_related("areas")
    if active_only:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if area:
        qs = qs.filter(areas=area)
    return qs.distinct()


def events_for(user, *, upcoming_only: bool = False) -> QuerySet[SupportEvent]:
    """Events the user may see: the region's, and those of the municipalities in scope."""
    qs = SupportEvent.objects.select_related("municipality")
    if upcoming_only:
        qs = qs.filter(ends_at__gte=timezone.now())
    if user.role == Role.TEACHER:
        school = user.school
        mine = Q(municipality__isnull=True)
        if school is not None:
            mine |= Q(municipality_id=school.municipality_id)
        return qs.filter(mine)
    scope = scope_for(user)
    if scope.everything:
        return qs
    return qs.filter(
        Q(municipality__isnull=True) | Q(municipality_id__in=scope.visible_municipality_ids())
    )


def event_for(user, event_id: int) -> SupportEvent | None:
    event = SupportEvent.objects.select_related("municipality", "offer").filter(pk=event_id).first()
    if event is None or not user.has_perm("development.view_supportevent", event):
        return None
    return event


def registrations_shown(user, event: SupportEvent) -> QuerySet[Registration]:
    """Who is registered, by name: all for the event's organiser, the school's own teachers
    for the school, oneself for a teacher."""
    qs = event.registrations.select_related("person", "school")
    if user.has_perm("development.change_supportevent", event):
        return qs
    if user.role == Role.SCHOOL and user.school_id:
        return qs.filter(school_id=user.school_id)
    if user.role == Role.TEACHER and user.person_id:
        return qs.filter(person_id=user.person_id)
    return qs.none()


def registrable_people(user, event: SupportEvent) -> QuerySet[Person]:
    """Whom the user may register: themselves (teacher), the school's people (school)."""
    if not user.has_perm("development.register_supportevent", event):
        return Person.objects.none()
    if user.role == Role.TEACHER:
        return Person.objects.filter(pk=user.person_id)
    return Person.objects.filter(school_id=user.school_id).order_by("last_name", "first_name")


@dataclass
class MyRoute:
    person: Person
    results: list[DiagnosticResult]
    deficits: list[DiagnosticResult]
    route: Route | None
    steps: list
    registrations: list[Registration]
    events: list[SupportEvent]
    #: The pairs in which the teacher is mentored, and those in which they mentor, with
    #: their logs of joint work (this year's and earlier, newest first).
    mentored: list[MentorPair] = field(default_factory=list)
    mentoring: list[MentorPair] = field(default_factory=list)


def my_route(user) -> MyRoute | None:
    """A teacher's own page: diagnostics, route and events."""
    if user.role != Role.TEACHER or not user.person_id:
        return None
    person = Person.objects.select_related("school").get(pk=user.person_id)
    results = person_results(person)
    latest = [r for r in results if r.is_latest]
    route = Route.objects.filter(person=person, year=current_year()).first()
    registrations = list(
        Registration.objects.filter(person=person)
        .select_related("event")
        .order_by("event__starts_at")
    )
    registered = {r.event_id for r in registrations}
    pairs = list(
        MentorPair.objects.filter(Q(mentor=person) | Q(mentee=person))
        .select_related("mentor", "mentee", "mentor_school", "school")
        .prefetch_related("activities")
        .order_by("-year", "pk")
    )
    return MyRoute(
        person=person,
        results=results,
        deficits=[r for r in latest if r.score < r.area.threshold],
        route=route,
        steps=list(route_steps(route)) if route else [],
        registrations=registrations,
        events=[e for e in events_for(user, upcoming_only=True)[:20] if e.pk not in registered],
        mentored=[p for p in pairs if p.mentee_id == person.pk],
        mentoring=[p for p in pairs if p.mentor_id == person.pk],
    )


def home_panel(user) -> dict | None:
    if user.role == Role.TEACHER:
        data = my_route(user)
        if data is None:
            return None
        return {"teacher": True, "deficits": len(data.deficits), "route": data.route}
    if user.role == Role.SCHOOL and user.school_id:
        return {
            "school": True,
            "waiting": waiting_routes(user).count(),
            "school_id": user.school_id,
        }
    return None


def school_panel(user, school) -> dict | None:
    summary = team_summary(user, school)
    if summary is None or not summary.teachers:
        return None
    return {"summary": summary, "can_propose": user.has_perm("development.propose_routes", school)}


def roadmap_panel(user, roadmap) -> dict | None:
    """The roadmap's indicators that may be computed here, for whoever may change them."""
    from opora.development.models import IndicatorLink, Measure

    indicators = list(roadmap.indicators.all())
    if not indicators or not user.has_perm("roadmaps.change_roadmap", roadmap):
        return None
    links = {
        link.indicator_id: link for link in IndicatorLink.objects.filter(indicator__in=indicators)
    }
    return {
        "roadmap": roadmap,
        "rows": [(indicator, links.get(indicator.pk)) for indicator in indicators],
        "measures": Measure.choices,
        "municipality_id": roadmap.municipality_id or 0,
    }


def route_approvers(route: Route):
    """Who approves a route: the users of its school (the head's login)."""
    from opora.accounts.models import User

    return User.objects.filter(role=Role.SCHOOL, school_id=route.school_id, is_active=True)


def route_owners(route: Route):
    """Who is told what happened to a route: the teacher's own login, if they have one."""
    from opora.accounts.models import User

    if not route.person_id:
        return User.objects.none()
    return User.objects.filter(role=Role.TEACHER, person_id=route.person_id, is_active=True)
