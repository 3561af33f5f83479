"""Reads of the registry that depend on who asks: every queryset is scoped."""

from __future__ import annotations

from dataclasses import dataclass

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

from opora.accounts.scopes import scope_for
from opora.core.calendar import current_year
from opora.core.querysets import counts_each
from opora.core.russian.search import search_words
from opora.registry.models import (
    Municipality,
    Organisation,
    School,
    SchoolPassport,
    SchoolStatus,
    StatusKind,
)


def _listed(kind: str, year: int):
    return Exists(SchoolStatus.objects.filter(school=OuterRef("pk"), year=year, kind=kind))


def schools_for(user, *, year: int | None = None) -> QuerySet[School]:
    """Schools the user may see, annotated with this year's statuses."""
    year = year or current_year()
    qs = School.objects.select_related("municipality").annotate(
        is_low_results=_listed(StatusKind.LOW_RESULTS, year),
        is_unfavourable=_listed(StatusKind.UNFAVOURABLE, year),
    )
    return scope_for(user).schools(qs)


@dataclass
class SchoolFilter:
    q: str = ""
    municipality: int | None = None
    kind: str = ""
    status: str = ""  # "low_results", "unfavourable", "any", "none"
    year: int | None = None


def filter_schools(user, f: SchoolFilter) -> QuerySet[School]:
    year = f.year or current_year()
    qs = schools_for(user, year=year)
    # The stored search form (lower case, «ё» as «е», no quotes: core.russian.search) of
    # the names, code and address, kept by School.save: one LIKE per word on one column, with
    # a trigram index on PostgreSQL, instead of Lower() of four columns of every school.
    for word in search_words(f.q):
        qs = qs.filter(search_name__contains=word)
    if f.municipality:
        qs = qs.filter(municipality_id=f.municipality)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status == StatusKind.LOW_RESULTS:
        qs = qs.filter(is_low_results=True)
    elif f.status == StatusKind.UNFAVOURABLE:
        qs = qs.filter(is_unfavourable=True)
    elif f.status == "any":
        qs = qs.filter(Q(is_low_results=True) | Q(is_unfavourable=True))
    elif f.status == "none":
        qs = qs.filter(is_low_results=False, is_unfavourable=False)
    return qs.order_by("municipality__name", "number", "short_name")


def school_for(user, school_id: int) -> School | None:
    return (
        schools_for(user)
        .filter(pk=school_id)
        .prefetch_related(
            Prefetch("statuses", queryset=SchoolStatus.objects.order_by("-year", "kind")),
            Prefetch("passports", queryset=SchoolPassport.objects.order_by("-year")),
        )
        .first()
    )


class _CountDistinct(Func):
    """``COUNT(DISTINCT …)`` as a plain expression, for a correlated subquery without GROUP BY."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _count_of(qs: QuerySet, field: str):
    return Coalesce(Subquery(qs.order_by().values(n=_CountDistinct(field))[:1]), 0)


def municipalities_for(
    user, *, year: int | None = None, with_counts: bool = True
) -> QuerySet[Municipality]:
    """Municipalities in scope with their numbers of schools and of listed schools.

    The counts are correlated subqueries rather than one join of schools with their statuses:
    the join grouped every status row of the region (10 000 schools: 40 ms, bench/pages.py).
    A drop-down needs no counts: ``with_counts=False``.
    """
    if not with_counts:
        return scope_for(user).municipalities(Municipality.objects.order_by("name"))
    year = year or current_year()
    statuses = SchoolStatus.objects.filter(school__municipality=OuterRef("pk"), year=year)
    qs = Municipality.objects.annotate(
        school_count=_count_of(
            School.objects.filter(municipality=OuterRef("pk"), is_active=True), "pk"
        ),
        low_results_count=_count_of(statuses.filter(kind=StatusKind.LOW_RESULTS), "school_id"),
        unfavourable_count=_count_of(statuses.filter(kind=StatusKind.UNFAVOURABLE), "school_id"),
    )
    return scope_for(user).municipalities(qs).order_by("name")


def municipality_for(user, municipality_id: int) -> Municipality | None:
    return municipalities_for(user).filter(pk=municipality_id).first()


def organisations_for(user) -> QuerySet[Organisation]:
    """Region-level bodies for everyone; municipal ones within scope."""
    qs = Organisation.objects.select_related("municipality")
    scope = scope_for(user)
    if scope.everything:
        return qs
    return qs.filter(
        Q(municipality__isnull=True) | Q(municipality_id__in=scope.visible_municipality_ids())
    )


@dataclass
class HomeFigures:
    year: int
    municipalities: int
    schools: int
    low_results: int
    unfavourable: int
    listed: int


def home_figures(user) -> HomeFigures:
    """The figures on the home page, within the user's scope."""
    year = current_year()
    scope = scope_for(user)
    # Listed schools are counted from this year's status rows (an indexed handful) rather than
    # by two EXISTS per school over the whole region (10 000 schools: 25 ms, bench/pages.py).
    statuses = scope.filter(
        SchoolStatus.objects.filter(year=year, school__is_active=True),
        school="school_id",
        municipality="school__municipality_id",
    )
    # A school has at most one status of a kind a year (``status_school_year``): the kinds are
    # counted as rows, only the listed schools as distinct ones.
    agg = statuses.aggregate(
        low=Count("pk", filter=Q(kind=StatusKind.LOW_RESULTS)),
        unf=Count("pk", filter=Q(kind=StatusKind.UNFAVOURABLE)),
        listed=Count("school_id", distinct=True),
    )
    municipalities, schools = counts_each(
        [
            scope.municipalities(Municipality.objects.all()),
            scope.schools(School.objects.filter(is_active=True)),
        ]
    )
    return HomeFigures(
        year=year,
        municipalities=municipalities,
        schools=schools,
        low_results=agg["low"],
        unfavourable=agg["unf"],
        listed=agg["listed"],
    )
