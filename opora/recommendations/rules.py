"""Permissions (django-rules) of recommendations.

* the region and the operator give recommendations and change their text and due date;
* a municipal coordinator sees its own municipality's recommendations and updates their
  status, evidence and events;
* a curator sees the recommendations of the municipalities assigned to him;
* the region-wide readers (expert, observer) see everything and change nothing;
* a school sees the recommendations addressed to it (a curator's visit) and reports on them;
* a curator (and the region) gives a recommendation to a school in scope.

Where (the scope) comes from ``accounts.scopes``; hiding links is never the protection.
"""

import rules

from opora.accounts.models import Role
from opora.accounts.rules import school_in_scope
from opora.accounts.scopes import can_write_region, scope_for


def _municipality_of(obj) -> int | None:
    return getattr(obj, "municipality_id", None)


@rules.predicate
def sees_recommendations(user) -> bool:
    """The tracker's roles: a school sees only its own recommendations, a teacher none."""
    return user.is_authenticated and user.role not in (Role.SCHOOL, Role.TEACHER)


@rules.predicate
def covers(user, obj) -> bool:
    """The recommendation belongs to a municipality in scope."""
    if obj is None or not sees_recommendations(user):
        return False
    return scope_for(user).covers_municipality(_municipality_of(obj))


@rules.predicate
def addressed_to_own_school(user, obj) -> bool:
    return (
        obj is not None
        and user.role == Role.SCHOOL
        and user.school_id is not None
        and getattr(obj, "school_id", None) == user.school_id
    )


@rules.predicate
def is_curator(user) -> bool:
    return user.role == Role.CURATOR


@rules.predicate
def sees_whole_region(user) -> bool:
    return sees_recommendations(user) and scope_for(user).everything


@rules.predicate
def writes_region(user) -> bool:
    return can_write_region(user)


@rules.predicate
def is_own_municipality(user, obj) -> bool:
    return (
        obj is not None
        and user.role == Role.MUNICIPAL
        and user.municipality_id is not None
        and user.municipality_id == _municipality_of(obj)
    )


# The tracker's page (it shows only what is in scope).
rules.add_perm("recommendations.view_tracker", sees_recommendations)
rules.add_perm("recommendations.view_recommendation", covers | addressed_to_own_school)
# Given by an interview or an expertise: the region.
rules.add_perm("recommendations.add_recommendation", writes_region)
# Status, evidence and the events that carry it out.
rules.add_perm(
    "recommendations.track_recommendation",
    (covers & (writes_region | is_own_municipality)) | addressed_to_own_school,
)
# To one school after a visit: its curator or the region.
rules.add_perm(
    "recommendations.give_school_recommendation", school_in_scope & (writes_region | is_curator)
)
# Text and due date: the region that gave the recommendation.
rules.add_perm("recommendations.change_recommendation", covers & writes_region)
# The catalogue names every municipality's advice: for those who see the whole region.
rules.add_perm("recommendations.view_recommendationtemplate", sees_whole_region)
