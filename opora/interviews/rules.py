"""Permissions (django-rules) of the interviews part of reviews.

* the region and the operator write everything: protocols, interviews, recommendations;
* a municipal coordinator sees its own municipality's recommendations and updates their
  status, evidence and events;
* a curator sees the recommendations of the municipalities assigned to him;
* the region-wide readers (expert, observer) see everything and change nothing;
* schools see none.

Where (the scope) comes from ``accounts.scopes``; hiding links is never the protection.
"""

import rules

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region, scope_for


def _municipality_of(obj) -> int | None:
    return getattr(obj, "municipality_id", None)


@rules.predicate
def sees_interviews(user) -> bool:
    return user.is_authenticated and user.role != Role.SCHOOL


@rules.predicate
def covers(user, obj) -> bool:
    """The object (a recommendation or an interview) belongs to a municipality in scope."""
    if obj is None or not sees_interviews(user):
        return False
    return scope_for(user).covers_municipality(_municipality_of(obj))


@rules.predicate
def covers_protocol(user, protocol) -> bool:
    if protocol is None or not sees_interviews(user):
        return False
    scope = scope_for(user)
    if scope.everything:
        return True
    return protocol.interviews.filter(municipality_id__in=scope.municipality_ids).exists()


@rules.predicate
def sees_whole_region(user) -> bool:
    return sees_interviews(user) and scope_for(user).everything


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


# The pages of protocols and of the tracker (each shows only what is in scope).
rules.add_perm("reviews.view_interviews", sees_interviews)
rules.add_perm("reviews.view_interviewprotocol", covers_protocol)
rules.add_perm("reviews.add_interviewprotocol", writes_region)
rules.add_perm("reviews.change_interviewprotocol", writes_region)
rules.add_perm("reviews.view_recommendation", covers)
# Status, evidence and the events that carry it out.
rules.add_perm("reviews.track_recommendation", covers & (writes_region | is_own_municipality))
# Text and due date: the region that gave the recommendation.
rules.add_perm("reviews.change_recommendation", covers & writes_region)
# The catalogue names every municipality's advice: for those who see the whole region.
rules.add_perm("reviews.view_recommendationtemplate", sees_whole_region)
