"""Permissions (django-rules) of monitoring.

The municipal coordinator owns the campaigns of its municipality (the region may run one
anywhere); a school fills only its own sheet; curators and region-wide readers read what
their scope covers. Whether an object is visible at all is decided by the scoped selectors
in :mod:`opora.monitoring.services` — these rules say what may be done with it.
"""

import rules

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region, scope_for


@rules.predicate
def sees_campaign(user, campaign):
    if campaign is None:
        return False
    if user.role == Role.SCHOOL:
        return bool(user.school_id) and campaign.sheets.filter(school_id=user.school_id).exists()
    scope = scope_for(user)
    if scope.covers_municipality(campaign.municipality_id):
        return True
    return (
        bool(scope.school_ids) and campaign.sheets.filter(school_id__in=scope.school_ids).exists()
    )


@rules.predicate
def manages_campaign(user, campaign):
    if campaign is None:
        return False
    if can_write_region(user):
        return True
    return user.role == Role.MUNICIPAL and user.municipality_id == campaign.municipality_id


@rules.predicate
def starts_campaigns(user):
    return can_write_region(user) or (user.role == Role.MUNICIPAL and bool(user.municipality_id))


@rules.predicate
def starts_campaigns_in(user, municipality):
    if municipality is None:
        return False
    return can_write_region(user) or (
        user.role == Role.MUNICIPAL and user.municipality_id == municipality.pk
    )


@rules.predicate
def is_not_school(user):
    return user.role != Role.SCHOOL


@rules.predicate
def fills_sheet(user, sheet):
    """The school itself, or the coordinator of the campaign's municipality, who may check a
    school and fill its sheet (seed 004: the department checked the schools itself)."""
    if sheet is None:
        return False
    if user.role == Role.SCHOOL:
        return bool(user.school_id) and user.school_id == sheet.school_id
    return user.role == Role.MUNICIPAL and user.municipality_id == sheet.campaign.municipality_id


@rules.predicate
def sees_sheet(user, sheet):
    if sheet is None:
        return False
    if user.role == Role.SCHOOL:
        return fills_sheet(user, sheet)
    return scope_for(user).covers_school(sheet.school)


@rules.predicate
def reviews_sheet(user, sheet):
    return sheet is not None and manages_campaign(user, sheet.campaign)


@rules.predicate
def edits_templates(user, template=None):
    return can_write_region(user)


rules.add_perm("monitoring.view_monitoringcampaign", sees_campaign)
rules.add_perm("monitoring.change_monitoringcampaign", manages_campaign)
rules.add_perm("monitoring.add_monitoringcampaign", starts_campaigns)
rules.add_perm("monitoring.add_monitoringcampaign_in", starts_campaigns_in)
rules.add_perm("monitoring.export_monitoringcampaign", sees_campaign & is_not_school)
rules.add_perm("monitoring.view_campaignschool", sees_sheet)
rules.add_perm("monitoring.fill_campaignschool", fills_sheet)
rules.add_perm("monitoring.review_campaignschool", reviews_sheet)
rules.add_perm("monitoring.view_checklisttemplate", rules.is_authenticated)
rules.add_perm("monitoring.change_checklisttemplate", edits_templates)
