"""Who reviews a progress report: the one rule, as the seeds give it (issue 16).

Seed 003 (the regional roadmap of 2023, events 9–11 and 18) and seed 002 (the Kargasok roadmap,
event 11) name who checks whom:

============================================  ===============================================
who reported                                  who accepts or returns the report
============================================  ===============================================
a school, on a municipal event                the municipal coordinator of its municipality
a school, on a regional event                 the curator of that school, and the region
a municipality, on a regional event           its curator, and the region
a curator, on a regional event                the region
a curator, on a municipal or school event      the municipal coordinator who owns it
the owner of a school roadmap                 its municipal coordinator and its curator
the owner of a municipal roadmap              its curator, and the region
the owner of the regional roadmap             the region (another employee)
============================================  ===============================================

«The region» is the regional authority and the regional operator. Nobody reviews a report they
filed themselves. The rule is written three times, for the three questions it answers — may
this user review this report (:func:`may_review`), which reports wait for this user
(:func:`reports_to_review`), who is to be told of this report (:func:`reviewers_of`) — and
``tests/test_reviewers.py`` checks on every case of the table that the three agree.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from opora.accounts.models import Role
from opora.accounts.scopes import REGION_WIDE_WRITE, can_write_region, scope_for
from opora.core.calendar import current_year
from opora.roadmaps.models import ProgressReport, ReviewState


def _kind(report) -> str:
    """Which row of the table ``report`` falls in."""
    level = report.event.roadmap.level
    if report.school_id:
        return "school_regional" if level == "region" else "school_municipal"
    if report.municipality_id:
        return "municipality"
    if report.curator_id:
        return "curator_region" if level == "region" else "curator_local"
    return f"owner_{level}"


def _school_of(report):
    return report.school if report.school_id else report.event.roadmap.school


def _municipality_id_of(report) -> int | None:
    roadmap = report.event.roadmap
    if report.school_id:
        return report.school.municipality_id
    if report.municipality_id:
        return report.municipality_id
    if roadmap.school_id:
        return roadmap.school.municipality_id
    return roadmap.municipality_id


def may_review(user, report) -> bool:
    """May ``user`` accept or return ``report``?"""
    if report is None or not user.is_authenticated or report.reported_by_id == user.pk:
        return False
    kind = _kind(report)
    region = can_write_region(user)
    curator = user.role == Role.CURATOR
    municipal = user.role == Role.MUNICIPAL and user.municipality_id is not None
    if (
        curator
        and kind in ("school_regional", "owner_school")
        and scope_for(user).covers_school(_school_of(report))
    ):
        return True
    if (
        curator
        and kind in ("municipality", "owner_municipality")
        and scope_for(user).covers_municipality(_municipality_id_of(report))
    ):
        return True
    if (
        municipal
        and kind in ("school_municipal", "owner_school", "curator_local")
        and user.municipality_id == _municipality_id_of(report)
    ):
        return True
    return region and kind in REGION_REVIEWS


#: The kinds of report the region reviews.
REGION_REVIEWS = (
    "school_regional",
    "municipality",
    "curator_region",
    "owner_municipality",
    "owner_region",
)


# Reports by who reported them, as conditions on ProgressReport.
_SCHOOL_REGIONAL = Q(school__isnull=False, event__roadmap__level="region")
_SCHOOL_MUNICIPAL = Q(school__isnull=False) & ~Q(event__roadmap__level="region")
_MUNICIPALITY = Q(school__isnull=True, municipality__isnull=False)
_CURATOR = Q(school__isnull=True, municipality__isnull=True, curator__isnull=False)
_CURATOR_REGIONAL = _CURATOR & Q(event__roadmap__level="region")
_CURATOR_LOCAL = _CURATOR & ~Q(event__roadmap__level="region")
_OWNER = Q(school__isnull=True, municipality__isnull=True, curator__isnull=True)


def _reviewable_q(user) -> Q:
    nothing = Q(pk__in=[])
    if not user.is_authenticated:
        return nothing
    q = nothing
    if can_write_region(user):
        q |= (
            _SCHOOL_REGIONAL
            | _MUNICIPALITY
            | _CURATOR_REGIONAL
            | (_OWNER & Q(event__roadmap__level__in=["region", "municipality"]))
        )
    if user.role == Role.CURATOR:
        scope = scope_for(user)
        schools, munis = scope.school_ids, scope.municipality_ids
        q |= _SCHOOL_REGIONAL & (Q(school_id__in=schools) | Q(school__municipality_id__in=munis))
        q |= _MUNICIPALITY & Q(municipality_id__in=munis)
        q |= (
            _OWNER
            & Q(event__roadmap__level="school")
            & (
                Q(event__roadmap__school_id__in=schools)
                | Q(event__roadmap__school__municipality_id__in=munis)
            )
        )
        q |= (
            _OWNER
            & Q(event__roadmap__level="municipality")
            & Q(event__roadmap__municipality_id__in=munis)
        )
    if user.role == Role.MUNICIPAL and user.municipality_id:
        mid = user.municipality_id
        q |= _SCHOOL_MUNICIPAL & Q(school__municipality_id=mid)
        q |= _OWNER & Q(event__roadmap__level="school", event__roadmap__school__municipality_id=mid)
        q |= _CURATOR_LOCAL & (
            Q(event__roadmap__municipality_id=mid) | Q(event__roadmap__school__municipality_id=mid)
        )
    return q


def reports_to_review(user) -> QuerySet[ProgressReport]:
    """The reports waiting for ``user``'s decision, oldest first."""
    return (
        ProgressReport.objects.filter(_reviewable_q(user), review_state=ReviewState.PENDING)
        .exclude(reported_by=user)
        .select_related("event__roadmap", "school", "municipality", "curator", "period")
        .order_by("reported_at", "pk")
    )


def reviewers_of(report) -> QuerySet:
    """The active users who may review ``report`` (the ones to tell that it waits)."""
    User = get_user_model()
    kind = _kind(report)
    year = current_year()
    q = Q(pk__in=[])
    if kind in REGION_REVIEWS:
        q |= Q(role__in=REGION_WIDE_WRITE)
    if kind in ("school_regional", "owner_school"):
        school = _school_of(report)
        q |= Q(role=Role.CURATOR) & (
            Q(person__curatorships__year=year, person__curatorships__school_id=school.pk)
            | Q(
                person__curatorships__year=year,
                person__curatorships__municipality_id=school.municipality_id,
            )
        )
    if kind in ("municipality", "owner_municipality"):
        q |= Q(
            role=Role.CURATOR,
            person__curatorships__year=year,
            person__curatorships__municipality_id=_municipality_id_of(report),
        )
    if kind in ("school_municipal", "owner_school", "curator_local"):
        q |= Q(role=Role.MUNICIPAL, municipality_id=_municipality_id_of(report))
    users = User.objects.filter(q, is_active=True).distinct()
    if report.reported_by_id:
        users = users.exclude(pk=report.reported_by_id)
    return users


def roadmap_reviewers_of(roadmap) -> list:
    """The active users who may approve or return ``roadmap`` (told when it is submitted),
    but not who submitted it."""
    from opora.roadmaps.rules import is_reviewer

    User = get_user_model()
    municipality_id = (
        roadmap.school.municipality_id if roadmap.school_id else roadmap.municipality_id
    )
    year = current_year()
    candidates = User.objects.filter(
        Q(role__in=REGION_WIDE_WRITE)
        | Q(role=Role.MUNICIPAL, municipality_id=municipality_id)
        | Q(role=Role.CURATOR, person__curatorships__year=year),
        is_active=True,
    ).distinct()
    submitter = (
        roadmap.transitions.filter(to_status="submitted")
        .order_by("-at", "-pk")
        .values_list("user_id", flat=True)
        .first()
    )
    return [u for u in candidates if u.pk != submitter and is_reviewer(u, roadmap)]


def owners_of(roadmap) -> QuerySet:
    """The active users who write and execute ``roadmap``: its school, its municipality, or
    the region for the regional one (told of its deadlines)."""
    User = get_user_model()
    if roadmap.level == "school":
        return User.objects.filter(is_active=True, role=Role.SCHOOL, school_id=roadmap.school_id)
    if roadmap.level == "municipality":
        return User.objects.filter(
            is_active=True, role=Role.MUNICIPAL, municipality_id=roadmap.municipality_id
        )
    return User.objects.filter(is_active=True, role__in=REGION_WIDE_WRITE)


#: Executor roles of a regional event → the role of the users it addresses.
ADDRESSED_ROLES = {
    "school": Role.SCHOOL,
    "municipal_authority": Role.MUNICIPAL,
    "methodical_service": Role.MUNICIPAL,
    "curator": Role.CURATOR,
}


def addressees_of(roadmap) -> QuerySet:
    """The active users a regional roadmap gives tasks to: schools, municipalities, curators
    named by role among its events' executors; for a municipal roadmap, the users of its
    municipality's schools when an event is addressed to schools (seed 002, event 11)."""
    User = get_user_model()
    if roadmap.level == "municipality":
        to_schools = roadmap.events.filter(is_cancelled=False, executors__role="school").exists()
        if not to_schools:
            return User.objects.none()
        return User.objects.filter(
            is_active=True, role=Role.SCHOOL, school__municipality_id=roadmap.municipality_id
        )
    roles = {
        ADDRESSED_ROLES[r]
        for r in roadmap.events.filter(is_cancelled=False)
        .values_list("executors__role", flat=True)
        .distinct()
        if r in ADDRESSED_ROLES
    }
    return User.objects.filter(is_active=True, role__in=roles)
