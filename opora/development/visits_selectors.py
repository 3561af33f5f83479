"""Reads of methodical visits and lesson observations that depend on who asks.

Observations of a named teacher only for those the rules allow (``visits_rules``); everyone
else in scope reads the school's levels per rubric item beside the region's, a figure over
fewer than :data:`MIN_GROUP` observed teachers hidden. Nothing here ranks teachers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.core.calendar import current_year
from opora.development.models import (
    LessonObservation,
    MethodicalVisit,
    MethodicalVisitStatus,
    ObservationScore,
    RubricItem,
)
from opora.development.selectors import MIN_GROUP
from opora.people.models import Person
from opora.registry.models import School


def visits_for(user) -> QuerySet[MethodicalVisit]:
    """Visits to the schools in the user's scope (a teacher sees none here)."""
    qs = MethodicalVisit.objects.select_related("school", "school__municipality")
    if user.role == Role.TEACHER:
        return qs.none()
    return scope_for(user).filter(qs, school="school_id", municipality="school__municipality_id")


def visit_for(user, pk: int) -> MethodicalVisit | None:
    visit = MethodicalVisit.objects.select_related("school", "created_by").filter(pk=pk).first()
    if visit is None or not user.has_perm("development.view_methodicalvisit", visit):
        return None
    return visit


def plannable_schools(user) -> QuerySet[School]:
    """Schools the user may plan a visit to: the curator's, the whole region's for it."""
    if not (user.is_superuser or user.role in (Role.REGION, Role.OPERATOR, Role.CURATOR)):
        return School.objects.none()
    return scope_for(user).schools(School.objects.order_by("short_name"))


def team_candidates() -> QuerySet[Person]:
    """People of the registry who go on visits: not the teachers of a school."""
    return Person.objects.filter(school__isnull=True).order_by("last_name", "first_name")


def school_teachers(school: School) -> QuerySet[Person]:
    return Person.objects.filter(school=school).order_by("last_name", "first_name")


def mentees_to_observe(user) -> QuerySet[Person]:
    """The teachers ``user`` mentors this year (a teacher observes only their lessons)."""
    if user.role != Role.TEACHER or not user.person_id:
        return Person.objects.none()
    return (
        Person.objects.filter(mentors__mentor_id=user.person_id, mentors__year=current_year())
        .select_related("school")
        .distinct()
        .order_by("last_name", "first_name")
    )


def observed_teacher(observation: LessonObservation) -> QuerySet[Person]:
    """The observation's teacher, the one choice of its form when it is corrected."""
    return Person.objects.filter(pk=observation.teacher_id)


def rubric(active_only: bool = True) -> list[RubricItem]:
    qs = RubricItem.objects.all()
    return list(qs.filter(is_active=True) if active_only else qs)


def observations_named(user) -> QuerySet[LessonObservation]:
    """Observations the user may read by name: their own lessons (teacher), what they wrote,
    the school's (its head), the curator's schools, all (operator)."""
    qs = LessonObservation.objects.select_related("teacher", "school", "visit")
    mine = Q(author_id=user.pk)
    if user.role == Role.TEACHER:
        return qs.filter(mine | Q(teacher_id=user.person_id or 0))
    if user.is_superuser or user.role == Role.OPERATOR:
        return qs
    if user.role == Role.SCHOOL and user.school_id:
        return qs.filter(mine | Q(school_id=user.school_id))
    if user.role == Role.CURATOR:
        scope = scope_for(user)
        return qs.filter(
            mine
            | Q(pk__in=scope.filter(qs, school="school_id", municipality="school__municipality_id"))
        )
    return qs.filter(mine)


def observation_for(user, pk: int) -> LessonObservation | None:
    observation = (
        LessonObservation.objects.select_related(
            "teacher", "school", "visit", "lesson", "route_step__offer", "given", "author"
        )
        .filter(pk=pk)
        .first()
    )
    if observation is None or not user.has_perm("development.view_lessonobservation", observation):
        return None
    return observation


@dataclass
class ObservationChange:
    at: object
    by: str
    created: bool


def observation_changes(observation: LessonObservation) -> list[ObservationChange]:
    """When the observation was written and each later correction, by whom, newest first.
    A correction always saves the observation itself (levels too), so its history lists every
    one; the levels before each correction are in the history of its scores."""
    return [
        ObservationChange(
            at=record.history_date,
            by=record.history_user.display_name if record.history_user else "система",
            created=record.history_type == "+",
        )
        for record in observation.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
    ]


def observation_scores(observation: LessonObservation) -> list[ObservationScore]:
    return list(observation.scores.select_related("item"))


@dataclass(frozen=True)
class ItemLine:
    """One rubric item: the school's average level beside the region's. ``None`` where the
    group is under :data:`MIN_GROUP` observed teachers."""

    item: RubricItem
    teachers: int
    average: float | None
    region_teachers: int
    region_average: float | None

    @property
    def hidden(self) -> bool:
        return self.average is None

    @property
    def difference(self) -> float | None:
        if self.average is None or self.region_average is None:
            return None
        return self.average - self.region_average

    @property
    def difference_text(self) -> str:
        """«+0,4», «−0,2», «0,0» (the school against the region)."""
        d = self.difference
        if d is None:
            return "—"
        return f"{d:+.1f}".replace(".", ",").replace("-", "−").replace("+0,0", "0,0")


def _by_item(scores: QuerySet[ObservationScore]) -> dict[int, tuple[int, float | None]]:
    rows = scores.values("item_id").annotate(
        n=Count("observation__teacher_id", distinct=True), avg=Avg("level")
    )
    return {r["item_id"]: (r["n"], float(r["avg"]) if r["n"] >= MIN_GROUP else None) for r in rows}


def rubric_aggregate(user, school: School) -> list[ItemLine] | None:
    """The school's levels per rubric item beside the region's (two grouped queries), for
    whoever's scope covers the school; None otherwise."""
    if not user.has_perm("development.view_observation_aggregates", school):
        return None
    scores = ObservationScore.objects.filter(item__is_active=True)
    here = _by_item(scores.filter(observation__school=school))
    region = _by_item(scores)
    lines = []
    for item in rubric():
        n, avg = here.get(item.pk, (0, None))
        rn, ravg = region.get(item.pk, (0, None))
        lines.append(ItemLine(item, n, avg, rn, ravg))
    return lines


def observed_schools(user) -> QuerySet[School]:
    """Schools in scope with observed lessons, to pick one (not for a school or a teacher)."""
    if user.role in (Role.SCHOOL, Role.TEACHER):
        return School.objects.none()
    with_observations = LessonObservation.objects.values("school_id")
    return scope_for(user).schools(
        School.objects.filter(pk__in=with_observations).order_by("short_name")
    )


def observed_teachers(school: School) -> int:
    return LessonObservation.objects.filter(school=school).values("teacher_id").distinct().count()


@dataclass(frozen=True)
class SchoolVisits:
    school: School
    planned: list[MethodicalVisit]
    held: int
    can_plan: bool


def school_panel(user, school: School) -> dict | None:
    if not user.has_perm("development.view_methodicalvisit", school):
        return None
    visits = MethodicalVisit.objects.filter(school=school)
    held = visits.filter(status=MethodicalVisitStatus.HELD).count()
    planned = list(visits.filter(status=MethodicalVisitStatus.PLANNED).order_by("visit_on")[:3])
    can_plan = user.has_perm("development.plan_methodicalvisit", school)
    if not (held or planned or can_plan):
        return None
    return {"visits": SchoolVisits(school=school, planned=planned, held=held, can_plan=can_plan)}
