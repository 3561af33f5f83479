"""Reads of people, working groups, coordinators, curators and pairs that depend on who asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat, Lower

from opora.accounts.scopes import scope_for
from opora.core.calendar import current_year
from opora.core.querysets import counts_each
from opora.people.models import (
    Coordinator,
    CuratorAssignment,
    Person,
    SchoolPair,
    WorkingGroup,
    WorkingGroupMember,
)
from opora.registry.selectors import schools_for


def people_for(user) -> QuerySet[Person]:
    """People the user may see: the region sees everyone; a scoped user sees the people of
    the organisations and schools in its scope and the members of its municipal working groups.
    """
    qs = Person.objects.select_related("organisation", "school__municipality")
    scope = scope_for(user)
    if scope.everything:
        return qs
    cond = Q(pk__in=[])
    if scope.municipality_ids:
        cond |= (
            Q(organisation__municipality_id__in=scope.municipality_ids)
            | Q(school__municipality_id__in=scope.municipality_ids)
            | Q(
                pk__in=WorkingGroupMember.objects.filter(
                    group__level="municipality",
                    group__municipality_id__in=scope.municipality_ids,
                ).values("person_id")
            )
        )
    if scope.school_ids:
        cond |= Q(school_id__in=scope.school_ids)
    return qs.filter(cond)


def search_people(user, q: str = "") -> QuerySet[Person]:
    qs = people_for(user)
    if q:
        # Lower() on both sides: SQLite folds the case of Latin letters only (see above).
        qs = qs.alias(
            search_text=Lower(
                Concat(
                    "last_name", Value(" "), "first_name", Value(" "), "patronymic", Value(" "),
                    "position", Value(" "), "email",
                    output_field=CharField(),
                )
            )
        )  # fmt: skip
        for word in q.lower().split():
            qs = qs.filter(search_text__contains=word)
    return qs.order_by("last_name", "first_name", "patronymic", "pk")


def person_for(user, person_id: int) -> Person | None:
    return people_for(user).filter(pk=person_id).first()


def working_group_for(user, group_id: int) -> WorkingGroup | None:
    return (
        working_groups_for(user)
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=WorkingGroupMember.objects.select_related("person__organisation").order_by(
                    "order", "pk"
                ),
            )
        )
        .filter(pk=group_id)
        .first()
    )


def working_groups_for(user) -> QuerySet[WorkingGroup]:
    scope = scope_for(user)
    qs = WorkingGroup.objects.select_related("municipality").prefetch_related(
        "members__person__organisation"
    )
    if scope.everything:
        return qs
    return qs.filter(Q(level="region") | Q(municipality_id__in=scope.visible_municipality_ids()))


def curator_assignments_for(user, year: int | None = None) -> QuerySet[CuratorAssignment]:
    qs = CuratorAssignment.objects.select_related(
        "person__organisation", "municipality", "school__municipality"
    )
    if year:
        qs = qs.filter(year=year)
    scope = scope_for(user)
    if scope.everything:
        return qs
    visible = scope.visible_municipality_ids()
    return qs.filter(
        Q(municipality_id__in=visible)
        | Q(school_id__in=scope.school_ids)
        | Q(school__municipality_id__in=scope.municipality_ids)
    )


def pairs_for(user, year: int | None = None) -> QuerySet[SchoolPair]:
    qs = SchoolPair.objects.select_related(
        "mentor_school__municipality", "supported_school__municipality", "mentor_person"
    )
    if year:
        qs = qs.filter(year=year)
    scope = scope_for(user)
    if scope.everything:
        return qs
    return qs.filter(
        Q(mentor_school__municipality_id__in=scope.municipality_ids)
        | Q(supported_school__municipality_id__in=scope.municipality_ids)
        | Q(mentor_school_id__in=scope.school_ids)
        | Q(supported_school_id__in=scope.school_ids)
    )


def coordinators_for(user, year: int | None = None) -> QuerySet[Coordinator]:
    qs = Coordinator.objects.select_related("person__organisation", "municipality")
    if year:
        qs = qs.filter(year=year)
    scope = scope_for(user)
    if scope.everything:
        return qs
    return qs.filter(Q(level="region") | Q(municipality_id__in=scope.visible_municipality_ids()))


@dataclass
class PeopleFigures:
    curators: int
    pairs: int


def home_figures(user) -> PeopleFigures:
    """This year's curators and pairs on the home page, within the user's scope."""
    year = current_year()
    curators, pairs = counts_each(
        [
            curator_assignments_for(user, year).values("person_id").distinct(),
            pairs_for(user, year),
        ]
    )
    return PeopleFigures(curators=curators, pairs=pairs)


def school_panel(user, school) -> dict:
    """The school page's card: the school's curators (its own and its municipality's) and the
    pairs it is in."""
    curators = curator_assignments_for(user)
    pairs = pairs_for(user)
    pair_list = list(pairs.filter(mentor_school=school) | pairs.filter(supported_school=school))
    return {
        "curators": list(
            curators.filter(school=school) | curators.filter(municipality_id=school.municipality_id)
        ),
        "pairs": pair_list,
        "linked_schools": openable_schools(user, pair_list),
    }


def openable_schools(user, pairs) -> set[int]:
    """The schools of ``pairs`` whose card ``user`` may open: a school of a pair is a link only
    for them (a school sees its own card, not its mentor's)."""
    ids = {p.mentor_school_id for p in pairs} | {p.supported_school_id for p in pairs}
    return set(schools_for(user).filter(pk__in=ids).values_list("pk", flat=True))


def municipality_panel(user, municipality) -> dict:
    """The municipality page's cards: this year's curators, coordinators, pairs and groups."""
    year = current_year()
    return {
        "year": year,
        "curators": list(curator_assignments_for(user, year).filter(municipality=municipality)),
        "coordinators": list(coordinators_for(user).filter(municipality=municipality)),
        "pairs": list(pairs_for(user).filter(supported_school__municipality=municipality)),
        "groups": list(working_groups_for(user).filter(municipality=municipality)),
    }
