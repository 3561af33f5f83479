"""Reads of risk profiles that depend on who asks: a school's profile, the region's overview."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from opora.accounts.scopes import scope_for
from opora.core.calendar import current_year
from opora.registry.models import School, SchoolStatus
from opora.risks import levels
from opora.risks.defaults import factors as reference_factors
from opora.risks.models import PriorityRisk, RiskMeasure, RiskRule
from opora.roadmaps.models import RoadmapEvent


def priorities_of(school: School, year: int | None = None) -> list[PriorityRisk]:
    """The school's priority risks of the year, each with ``measures`` (events) prefetched."""
    measures = RiskMeasure.objects.select_related("event__roadmap").order_by(
        "event__roadmap_id", "event__order"
    )
    return list(
        PriorityRisk.objects.filter(school=school, year=year or current_year())
        .select_related("factor")
        .prefetch_related(Prefetch("measures", queryset=measures))
    )


def school_events(school: School) -> QuerySet[RoadmapEvent]:
    """Events of the school's own roadmaps (its programme) that a measure may name."""
    return (
        RoadmapEvent.objects.filter(
            roadmap__level="school", roadmap__school=school, is_cancelled=False
        )
        .select_related("roadmap")
        .order_by("-roadmap__period_start", "roadmap_id", "order", "pk")
    )


@dataclass
class Profile:
    school: School
    factors: list[levels.FactorLevel]
    priorities: dict[int, PriorityRisk]  # by factor id
    events: list[RoadmapEvent]
    year: int


def profile(school: School) -> Profile:
    year = current_year()
    priorities = priorities_of(school, year)
    return Profile(
        school=school,
        factors=levels.profiles([school.pk])[school.pk],
        priorities={p.factor_id: p for p in priorities},
        events=list(school_events(school)),
        year=year,
    )


@dataclass
class OverviewRow:
    school: School
    factors: list[levels.FactorLevel]
    priorities: set[int]


def overview(user) -> list[OverviewRow]:
    """This year's listed schools of the scope with every factor's level (a fixed number of
    queries for any number of schools)."""
    year = current_year()
    listed = SchoolStatus.objects.filter(year=year).values("school_id")
    schools = list(
        scope_for(user)
        .schools(School.objects.filter(pk__in=listed, is_active=True))
        .select_related("municipality")
        .order_by("municipality__name", "short_name")
    )
    ids = [s.pk for s in schools]
    by_school = levels.profiles(ids)
    chosen: dict[int, set[int]] = {i: set() for i in ids}
    for school_id, factor_id in PriorityRisk.objects.filter(
        school_id__in=ids, year=year
    ).values_list("school_id", "factor_id"):
        chosen[school_id].add(factor_id)
    return [OverviewRow(s, by_school[s.pk], chosen[s.pk]) for s in schools]


def rules_by_factor() -> list:
    """The factors (defaults ensured), each with ``rule_list``."""
    factors = reference_factors()
    rules = list(RiskRule.objects.order_by("order", "pk"))
    for factor in factors:
        factor.rule_list = [r for r in rules if r.factor_id == factor.pk]
    return factors


def without_measures(school: School, roadmap_id: int | None = None, years=None) -> list[dict]:
    """The school's priority risks and their measures in a roadmap: used by the expertise
    pre-check («priority risks without measures»)."""
    qs = PriorityRisk.objects.filter(school=school).select_related("factor")
    if years is not None:
        qs = qs.filter(year__in=list(years))
    rows = []
    for p in qs.prefetch_related("measures__event").order_by("factor__order", "year"):
        events = [
            m.event
            for m in p.measures.all()
            if not m.event.is_cancelled and (roadmap_id is None or m.event.roadmap_id == roadmap_id)
        ]
        rows.append({"priority": p, "factor": p.factor, "events": events})
    return rows
