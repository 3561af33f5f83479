"""Who takes part in a school's coaching: the one rule of who is told about a thread or a
visit (notifications follow it)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from opora.accounts.models import Role
from opora.core.calendar import current_year
from opora.people.models import CuratorAssignment


def school_users(school_id: int):
    return get_user_model().objects.filter(role=Role.SCHOOL, school_id=school_id, is_active=True)


def curators_of(school) -> list:
    """The active logins of this year's curators of ``school`` (its own or its municipality's)."""
    people = CuratorAssignment.objects.filter(
        Q(school_id=school.pk) | Q(municipality_id=school.municipality_id), year=current_year()
    ).values("person_id")
    return list(
        get_user_model().objects.filter(role=Role.CURATOR, person_id__in=people, is_active=True)
    )


def thread_participants(comment) -> list:
    """Who hears of a new message: the school and its curators, and everyone who wrote in the
    thread — never its author."""
    school = comment.school
    told = {u.pk: u for u in school_users(school.pk)}
    told.update({u.pk: u for u in curators_of(school)})
    siblings = (
        type(comment)
        .objects.filter(
            school_id=school.pk,
            analysis_id=comment.analysis_id,
            roadmap_id=comment.roadmap_id,
            report_id=comment.report_id,
        )
        .exclude(author=None)
    )
    for user in get_user_model().objects.filter(
        pk__in=siblings.values("author_id"), is_active=True
    ):
        told[user.pk] = user
    told.pop(comment.author_id, None)
    return list(told.values())
