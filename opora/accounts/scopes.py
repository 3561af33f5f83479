"""Who sees what: a user's scope over municipalities and schools.

Every selector and service asks for a :class:`Scope` and filters by it; hiding links is
never the protection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from opora.accounts.models import Role, User
from opora.core.calendar import current_year

REGION_WIDE_READ = {Role.REGION, Role.OPERATOR, Role.EXPERT, Role.OBSERVER}
REGION_WIDE_WRITE = {Role.REGION, Role.OPERATOR}


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    municipality_ids: frozenset[int] = field(default_factory=frozenset)
    school_ids: frozenset[int] = field(default_factory=frozenset)

    def schools(self, qs: QuerySet) -> QuerySet:
        """Schools (or anything with ``school``/``municipality`` via prefix) within scope."""
        return self.filter(qs, school="id", municipality="municipality_id")

    def municipalities(self, qs: QuerySet) -> QuerySet:
        if self.everything:
            return qs
        return qs.filter(id__in=self.visible_municipality_ids())

    def visible_municipality_ids(self) -> set[int]:
        ids = set(self.municipality_ids)
        if self.school_ids:
            ids |= set(
                _related("school")
                .objects.filter(id__in=self.school_ids)
                .values_list("municipality_id", flat=True)
            )
        return ids

    def filter(self, qs: QuerySet, *, school: str | None, municipality: str | None) -> QuerySet:
        """Filter ``qs`` by the lookups that lead to a school and to a municipality."""
        if self.everything:
            return qs
        cond = Q(pk__in=[])
        if municipality and self.municipality_ids:
            cond |= Q(**{f"{municipality}__in": self.municipality_ids})
        if school and self.school_ids:
            cond |= Q(**{f"{school}__in": self.school_ids})
        return qs.filter(cond)

    def covers_school(self, school) -> bool:
        return (
            self.everything
            or school.id in self.school_ids
            or school.municipality_id in self.municipality_ids
        )

    def covers_municipality(self, municipality_id: int) -> bool:
        return self.everything or municipality_id in self.municipality_ids


def _related(*path: str):
    """The model at the end of ``path`` of relations from User: accounts sits below the
    registry, so it reaches schools and curator assignments through the user's own foreign
    keys (declared by label) instead of importing the registry.

    ``_related("school")`` is the School model; ``_related("person", "curatorships")`` the
    model of a person's curator assignments.
    """
    model = User
    for name in path:
        model = model._meta.get_field(name).related_model
    return model


def scope_for(user, year: int | None = None) -> Scope:
    """The scope of ``user``: region-wide, a municipality, assigned ones, or one school."""
    cached = getattr(user, "_opora_scope", None)
    if cached is not None and year is None:
        return cached
    scope = _compute(user, year or current_year())
    if year is None:
        user._opora_scope = scope
    return scope


def _compute(user, year: int) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser or user.role in REGION_WIDE_READ:
        return Scope(everything=True)
    if user.role == Role.MUNICIPAL and user.municipality_id:
        return Scope(municipality_ids=frozenset({user.municipality_id}))
    if user.role == Role.SCHOOL and user.school_id:
        return Scope(school_ids=frozenset({user.school_id}))
    if user.role == Role.CURATOR and user.person_id:
        rows = (
            _related("person", "curatorships")
            .objects.filter(person_id=user.person_id, year=year)
            .values_list("municipality_id", "school_id")
        )
        return Scope(
            municipality_ids=frozenset(m for m, _ in rows if m),
            school_ids=frozenset(s for _, s in rows if s),
        )
    return Scope()


def can_write_region(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in REGION_WIDE_WRITE)


def works_on_programme(user) -> bool:
    """Everyone but a teacher: the programme's pages (registry, roadmaps, results, the review
    loop) mean something to them. A teacher's pages are their own development («Мой маршрут»),
    the catalogue, the calendar and the information; the menu shows them no more."""
    return user.is_authenticated and (user.is_superuser or user.role != Role.TEACHER)
