"""Permissions (django-rules) of coaching.

* whoever's scope covers a school sees its self-analysis; the school itself fills it in;
* the school, its curator, its municipal coordinator and the region write in its threads
  (the region-wide readers read them);
* a curator keeps the work plans of his assigned municipalities; the region sees them all and
  prepares the curators' activity report.
"""

import rules

from opora.accounts.models import Role
from opora.accounts.rules import is_school_itself, school_in_scope, writes_region
from opora.accounts.scopes import scope_for


@rules.predicate
def is_curator(user) -> bool:
    return user.role == Role.CURATOR and user.person_id is not None


@rules.predicate
def is_school(user) -> bool:
    return user.role in (Role.SCHOOL, Role.TEACHER)


@rules.predicate
def is_municipal(user) -> bool:
    return user.role == Role.MUNICIPAL


@rules.predicate
def plan_in_scope(user, plan) -> bool:
    if plan is None or not scope_for(user).covers_municipality(plan.municipality_id):
        return False
    return user.role != Role.CURATOR or plan.curator_id == user.person_id


@rules.predicate
def is_plans_curator(user, plan) -> bool:
    return plan is not None and is_curator(user) and plan.curator_id == user.person_id


@rules.predicate
def span_in_scope(user, target) -> bool:
    """A target across several municipalities: the region, its curator, and whoever's scope
    covers one of its municipalities."""
    if target is None:
        return False
    if user.role == Role.CURATOR:
        return target.curator_id == user.person_id
    scope = scope_for(user)
    return scope.everything or any(
        scope.covers_municipality(m.pk) for m in target.municipalities.all()
    )


@rules.predicate
def is_spans_curator(user, target) -> bool:
    return target is not None and is_curator(user) and target.curator_id == user.person_id


@rules.predicate
def municipality_assigned(user, municipality) -> bool:
    return municipality is not None and scope_for(user).covers_municipality(municipality.pk)


rules.add_perm("coaching.view_selfanalysis", school_in_scope)
rules.add_perm("coaching.change_selfanalysis", is_school_itself)
rules.add_perm(
    "coaching.comment_school",
    school_in_scope & (is_school_itself | is_curator | is_municipal | writes_region),
)
rules.add_perm("coaching.view_overview", rules.is_authenticated & ~is_school)
rules.add_perm("coaching.view_workplan", plan_in_scope)
rules.add_perm("coaching.change_workplan", plan_in_scope & (is_plans_curator | writes_region))
rules.add_perm("coaching.add_workplan", is_curator & municipality_assigned)
rules.add_perm("coaching.prepare_activity_report", writes_region)
rules.add_perm("coaching.add_spantarget", is_curator)
rules.add_perm("coaching.view_spantarget", span_in_scope)
rules.add_perm("coaching.change_spantarget", span_in_scope & (is_spans_curator | writes_region))
