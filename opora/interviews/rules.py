"""Permissions (django-rules) of interview protocols.

* the region and the operator write protocols and interviews;
* a municipal coordinator and a curator see the protocols with an interview of their
  municipalities; the region-wide readers (expert, observer) see all; schools see none.

The recommendations given at an interview have their own rules (``recommendations.rules``).
"""

import rules

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region, scope_for


@rules.predicate
def sees_interviews(user) -> bool:
    return user.is_authenticated and user.role != Role.SCHOOL


@rules.predicate
def covers_protocol(user, protocol) -> bool:
    if protocol is None or not sees_interviews(user):
        return False
    scope = scope_for(user)
    if scope.everything:
        return True
    return protocol.interviews.filter(municipality_id__in=scope.municipality_ids).exists()


@rules.predicate
def covers_whole_protocol(user, protocol) -> bool:
    """Every municipality of the protocol is in the user's scope (no excerpt needed)."""
    if protocol is None or not sees_interviews(user):
        return False
    scope = scope_for(user)
    if scope.everything:
        return True
    return not protocol.interviews.exclude(municipality_id__in=scope.municipality_ids).exists()


@rules.predicate
def writes_region(user) -> bool:
    return can_write_region(user)


@rules.predicate
def covers_interview(user, interview) -> bool:
    """The interview's municipality is in the user's scope: its excerpt is theirs to see."""
    if interview is None or not sees_interviews(user):
        return False
    scope = scope_for(user)
    return scope.everything or interview.municipality_id in scope.municipality_ids


# The pages of protocols (each shows only what is in scope).
rules.add_perm("interviews.view_interviews", sees_interviews)
rules.add_perm("interviews.view_interviewprotocol", covers_protocol)
rules.add_perm("interviews.view_whole_interviewprotocol", covers_whole_protocol)
rules.add_perm("interviews.add_interviewprotocol", writes_region)
rules.add_perm("interviews.change_interviewprotocol", writes_region)
# An interview's certified excerpt follows the interview: prepared by the region, seen by the
# municipality it is about.
rules.add_perm("interviews.view_interview", covers_interview)
rules.add_perm("interviews.change_interview", writes_region)
