"""Reads of mentoring and professional contests that depend on who asks.

A mentor pair names two teachers: it is read by name by the two of them, the schools and
municipalities and curators of their schools, and the region (:mod:`.rules`); experts and
observers see only how many pairs and entries there are. Contest participants are named for
the region, the municipality and curator of their school, the school itself and the teacher.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.development.models import (
    Contest,
    ContestParticipant,
    MentoringActivity,
    MentorPair,
)
from opora.people.models import Person, SchoolPair
from opora.people.selectors import pairs_for
from opora.registry.models import Municipality


def _named_roles(user) -> bool:
    return user.is_superuser or user.role in (
        Role.REGION,
        Role.OPERATOR,
        Role.MUNICIPAL,
        Role.CURATOR,
        Role.SCHOOL,
    )


def mentor_pairs_for(user, year: int | None = None) -> QuerySet[MentorPair]:
    """Mentor pairs the user may read by name (see the module's rule)."""
    qs = MentorPair.objects.select_related(
        "mentor", "mentee", "school__municipality", "mentor_school"
    ).annotate(entries=Count("activities"))
    if year:
        qs = qs.filter(year=year)
    if user.role == Role.TEACHER:
        if not user.person_id:
            return qs.none()
        return qs.filter(Q(mentor_id=user.person_id) | Q(mentee_id=user.person_id))
    if not _named_roles(user):
        return qs.none()
    scope = scope_for(user)
    if scope.everything:
        return qs
    return qs.filter(
        Q(school__municipality_id__in=scope.municipality_ids)
        | Q(mentor_school__municipality_id__in=scope.municipality_ids)
        | Q(school_id__in=scope.school_ids)
        | Q(mentor_school_id__in=scope.school_ids)
    )


def mentor_pair_for(user, pk: int) -> MentorPair | None:
    pair = (
        MentorPair.objects.select_related(
            "mentor", "mentee", "school__municipality", "mentor_school"
        )
        .filter(pk=pk)
        .first()
    )
    if pair is None or not user.has_perm("development.view_mentorpair", pair):
        return None
    return pair


def school_pairs_for(user, year: int | None = None) -> QuerySet[SchoolPair]:
    """The pairs of schools in the user's scope (none for a teacher), with their log's size."""
    if user.role == Role.TEACHER:
        return SchoolPair.objects.none()
    return pairs_for(user, year).annotate(entries=Count("activities"))


def school_pair_for(user, pk: int) -> SchoolPair | None:
    pair = (
        SchoolPair.objects.select_related(
            "mentor_school__municipality", "supported_school__municipality", "mentor_person"
        )
        .filter(pk=pk)
        .first()
    )
    if pair is None or not user.has_perm("development.view_schoolpair_log", pair):
        return None
    return pair


def activity_for(user, pk: int) -> MentoringActivity | None:
    activity = (
        MentoringActivity.objects.select_related(
            "mentor_pair__school",
            "mentor_pair__mentor_school",
            "school_pair__mentor_school",
            "school_pair__supported_school",
        )
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        return None
    if activity.mentor_pair_id:
        seen = user.has_perm("development.view_mentorpair", activity.mentor_pair)
    else:
        seen = user.has_perm("development.view_schoolpair_log", activity.school_pair)
    return activity if seen else None


@dataclass
class MentoringCount:
    municipality: Municipality
    pairs: int
    entries: int


def mentoring_counts(user, year: int) -> list[MentoringCount]:
    """How many mentor pairs and log entries per municipality in scope — no names."""
    if not user.has_perm("development.view_aggregates"):
        return []
    scope = scope_for(user)
    rows = scope.filter(
        MentorPair.objects.filter(year=year),
        school="school_id",
        municipality="school__municipality_id",
    )
    pairs = dict(rows.values_list("school__municipality_id").annotate(n=Count("pk")).order_by())
    entries = dict(
        rows.values_list("school__municipality_id").annotate(n=Count("activities")).order_by()
    )
    places = Municipality.objects.in_bulk(list(pairs))
    return sorted(
        (MentoringCount(places[m], n, entries.get(m, 0)) for m, n in pairs.items()),
        key=lambda c: c.municipality.name,
    )


def pair_candidates(user, municipality: Municipality | None = None) -> QuerySet[Person]:
    """Whom the user may put in a pair: the school's people, the municipality's, or for the
    region the people of a chosen municipality."""
    qs = Person.objects.filter(school__isnull=False).select_related("school")
    if user.role == Role.SCHOOL and user.school_id:
        return qs.filter(school_id=user.school_id)
    if user.role == Role.MUNICIPAL and user.municipality_id:
        return qs.filter(school__municipality_id=user.municipality_id)
    if user.is_superuser or user.role in (Role.REGION, Role.OPERATOR):
        if municipality is None:
            return qs.none()
        return qs.filter(school__municipality=municipality)
    return qs.none()


# ---------------------------------------------------------------- contests


def contests_for(user, year: int | None = None) -> QuerySet[Contest]:
    qs = Contest.objects.select_related("municipality").annotate(
        entered=Count("participants", distinct=True)
    )
    if year:
        qs = qs.filter(year=year)
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


def contest_for(user, pk: int) -> Contest | None:
    contest = Contest.objects.select_related("municipality").filter(pk=pk).first()
    if contest is None or not user.has_perm("development.view_contest", contest):
        return None
    return contest


def participants_shown(user, contest: Contest) -> QuerySet[ContestParticipant]:
    """The participants the user may read by name."""
    qs = contest.participants.select_related("person", "school__municipality", "reached")
    if user.role == Role.TEACHER:
        return qs.filter(person_id=user.person_id) if user.person_id else qs.none()
    if not _named_roles(user):
        return qs.none()
    scope = scope_for(user)
    return scope.filter(qs, school="school_id", municipality="school__municipality_id")


def participant_for(user, pk: int) -> ContestParticipant | None:
    participant = (
        ContestParticipant.objects.select_related("contest", "person__school", "school")
        .filter(pk=pk)
        .first()
    )
    if participant is None or contest_for(user, participant.contest_id) is None:
        return None
    if not participants_shown(user, participant.contest).filter(pk=pk).exists():
        return None
    return participant


def enterable_people(
    user, contest: Contest, municipality: Municipality | None = None
) -> QuerySet[Person]:
    """Whom the user may register: the municipality's teachers (the contest's municipality
    for a local contest); the region picks a municipality first."""
    if not user.has_perm("development.enter_contest", contest):
        return Person.objects.none()
    qs = Person.objects.filter(school__isnull=False).select_related("school")
    if contest.municipality_id:
        qs = qs.filter(school__municipality_id=contest.municipality_id)
    if user.role == Role.MUNICIPAL:
        qs = qs.filter(school__municipality_id=user.municipality_id)
    elif municipality is not None:
        qs = qs.filter(school__municipality=municipality)
    elif not contest.municipality_id:
        return qs.none()
    entered = contest.participants.values("person_id")
    return qs.exclude(pk__in=entered).order_by("last_name", "first_name")
