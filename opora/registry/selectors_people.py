"""Reads of people, working groups and their members that depend on who asks."""

from __future__ import annotations

from django.db.models import CharField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat, Lower

from opora.accounts.scopes import scope_for
from opora.registry.models import Person, WorkingGroup, WorkingGroupMember
from opora.registry.selectors import working_groups_for


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
