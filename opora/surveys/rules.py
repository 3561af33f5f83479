"""Permissions (django-rules) of questionnaires.

The region builds questionnaires and sends them; everyone reads the campaigns that reach a
school of their scope (a school: its own); a school's staff answer signed in. Pupils and
parents answer through the school's link and need no permission: the link is the key.
"""

import rules

from opora.accounts.models import Role
from opora.accounts.rules import writes_region
from opora.accounts.scopes import scope_for
from opora.surveys.selectors import answers_audience


@rules.predicate
def is_not_school(user):
    return user.role not in (Role.SCHOOL, Role.TEACHER)


@rules.predicate
def sees_campaign(user, campaign):
    if campaign is None:
        return False
    scope = scope_for(user)
    if scope.everything:
        return True
    targets = campaign.targets.all()
    return (
        scope.filter(targets, school="school_id", municipality="school__municipality_id")
    ).exists()


@rules.predicate
def answers_as_staff(user, sending):
    """``sending``: an audience of a campaign (``CampaignAudience``) the user may answer."""
    return (
        sending is not None
        and bool(user.school_id)
        and answers_audience(user, sending.audience)
        and sending.campaign.targets.filter(school_id=user.school_id).exists()
    )


rules.add_perm("surveys.view_questionnaire", rules.is_authenticated & is_not_school)
rules.add_perm("surveys.add_questionnaire", writes_region)
rules.add_perm("surveys.change_questionnaire", writes_region)
rules.add_perm("surveys.add_campaign", writes_region)
rules.add_perm("surveys.change_campaign", writes_region)
rules.add_perm("surveys.view_campaign", sees_campaign)
rules.add_perm("surveys.remind_campaign", writes_region)
rules.add_perm("surveys.export_campaign", sees_campaign & is_not_school)
rules.add_perm("surveys.answer_campaign", answers_as_staff)
