"""Who may do what with a roadmap. Scope (where) comes from accounts.scopes."""

import rules

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region, scope_for
from opora.roadmaps.models import RoadmapStatus
from opora.roadmaps.reviewers import may_review
from opora.roadmaps.selectors import school_municipality_id


def _covers(user, roadmap) -> bool:
    scope = scope_for(user)
    if roadmap.level == "region":
        return True
    if roadmap.school_id:
        return scope.covers_school(roadmap.school)
    if scope.covers_municipality(roadmap.municipality_id):
        return True
    # A school reads its municipality's roadmap in execution: its events address the school.
    return (
        roadmap.status == RoadmapStatus.APPROVED
        and school_municipality_id(user) == roadmap.municipality_id
    )


@rules.predicate
def can_view(user, roadmap):
    return roadmap is not None and _covers(user, roadmap)


@rules.predicate
def is_owner_side(user, roadmap):
    """The people who write the roadmap: its body, and the region for everything."""
    if roadmap is None:
        return False
    if can_write_region(user):
        return True
    if roadmap.level == "municipality":
        return user.role == Role.MUNICIPAL and user.municipality_id == roadmap.municipality_id
    if roadmap.level == "school":
        return (user.role == Role.SCHOOL and user.school_id == roadmap.school_id) or (
            user.role == Role.MUNICIPAL and user.municipality_id == roadmap.school.municipality_id
        )
    return False


@rules.predicate
def is_reviewer(user, roadmap):
    """Who approves or returns: the level above (and the region), curators of the scope."""
    if roadmap is None:
        return False
    if can_write_region(user):
        return True
    if roadmap.level == "school":
        if user.role == Role.MUNICIPAL and user.municipality_id == roadmap.school.municipality_id:
            return True
        return user.role == Role.CURATOR and scope_for(user).covers_school(roadmap.school)
    if roadmap.level == "municipality":
        if user.role == Role.MUNICIPAL and user.municipality_id == roadmap.municipality_id:
            return True  # a municipal roadmap is approved by the municipality's own order
        return user.role == Role.CURATOR and scope_for(user).covers_municipality(
            roadmap.municipality_id
        )
    return False


@rules.predicate
def is_report_reviewer(user, report):
    """Who accepts or returns a report: the one rule of ``roadmaps.reviewers``."""
    return may_review(user, report)


@rules.predicate
def can_create(user):
    return can_write_region(user) or user.role in (Role.MUNICIPAL, Role.SCHOOL)


rules.add_perm("roadmaps.view_roadmap", can_view)
rules.add_perm("roadmaps.change_roadmap", can_view & is_owner_side)
rules.add_perm("roadmaps.review_roadmap", can_view & is_reviewer)
rules.add_perm("roadmaps.add_roadmap", can_create)
rules.add_perm("roadmaps.report_progress", can_view & is_owner_side)
rules.add_perm("roadmaps.review_report", can_view & is_reviewer)
rules.add_perm("roadmaps.review_this_report", is_report_reviewer)
