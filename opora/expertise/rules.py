"""Permissions (django-rules) of expertise.

* The region and the operator manage criteria sets and expertises and assign experts.
* An expert sees and scores only the expertises assigned to them, and sees the other experts'
  scores only after submitting their own (an expert is otherwise a region-wide reader: here that
  does not apply).
* Everyone else who may see the roadmap — its author side (the municipal coordinator), its
  curators, observers — sees the expertise, its pre-check and, once it is closed, the conclusion
  and the scores; never the individual scores while the expertise is in progress.
"""

import rules

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region


def assignment_of(user, expertise):
    """The user's assignment to the expertise (one query per expertise object, then cached)."""
    if expertise is None or not getattr(user, "is_authenticated", False):
        return None
    cache = expertise.__dict__.setdefault("_assignment_by_user", {})
    if user.pk not in cache:
        cache[user.pk] = expertise.assignments.filter(expert_id=user.pk).first()
    return cache[user.pk]


@rules.predicate
def manages(user):
    return can_write_region(user)


@rules.predicate
def is_assigned_expert(user, expertise):
    return assignment_of(user, expertise) is not None


@rules.predicate
def has_submitted(user, expertise):
    assignment = assignment_of(user, expertise)
    return assignment is not None and assignment.submitted_at is not None


@rules.predicate
def is_open(user, expertise):
    return expertise is not None and expertise.status == "open"


@rules.predicate
def is_closed(user, expertise):
    return expertise is not None and expertise.status == "closed"


@rules.predicate
def views_roadmap(user, expertise):
    """Roadmap readers other than experts (experts see only what they are assigned)."""
    return (
        expertise is not None
        and user.role != Role.EXPERT
        and user.has_perm("roadmaps.view_roadmap", expertise.roadmap)
    )


@rules.predicate
def reads_roadmap(user, roadmap):
    return roadmap is not None and user.has_perm("roadmaps.view_roadmap", roadmap)


@rules.predicate
def reads_analytics(user):
    return can_write_region(user) or user.role == Role.OBSERVER


rules.add_perm("expertise.view_criteria", rules.is_authenticated)
rules.add_perm("expertise.manage_criteria", manages)
rules.add_perm("expertise.manage_expertise", manages)
rules.add_perm("expertise.view_expertise", manages | is_assigned_expert | views_roadmap)
rules.add_perm("expertise.score_expertise", is_assigned_expert & is_open & ~has_submitted)
rules.add_perm(
    "expertise.view_expertise_scores",
    manages
    | (is_assigned_expert & has_submitted)
    | (is_assigned_expert & is_closed)
    | (is_closed & views_roadmap),
)
rules.add_perm(
    "expertise.view_expertise_conclusion",
    manages | is_assigned_expert | (is_closed & views_roadmap),
)
rules.add_perm("expertise.view_precheck", reads_roadmap)
rules.add_perm("expertise.view_expertise_analytics", reads_analytics)
