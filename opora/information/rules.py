"""Permissions (django-rules) of information support.

An organisation writes its own news and the link to its site's section: a school its own, a
municipality its own and its schools', the region anything. Only the region puts a news item or
a material on the programme's open page. The library is written by the region and by each
municipality for its schools.
"""

import rules

from opora.accounts.models import Role
from opora.accounts.rules import writes_region
from opora.accounts.scopes import scope_for


@rules.predicate
def writes_for_owner(user, owned):
    """``owned`` is a news item or a site section (saved or about to be)."""
    if owned is None:
        return False
    if owned.level == "region":
        return False  # the region writes through writes_region
    if user.role == Role.MUNICIPAL:
        return owned.municipality_id is not None and owned.municipality_id == user.municipality_id
    if user.role == Role.SCHOOL:
        return owned.level == "school" and owned.school_id == user.school_id
    return False


@rules.predicate
def sees_owner(user, owned):
    if owned is None:
        return False
    if owned.level == "region":
        return True
    scope = scope_for(user)
    if owned.school_id:
        return (
            scope.everything
            or owned.school_id in scope.school_ids
            or (owned.municipality_id in scope.municipality_ids)
        )
    return scope.covers_municipality(owned.municipality_id)


@rules.predicate
def municipal_material(user, material):
    return (
        material is not None
        and user.role == Role.MUNICIPAL
        and material.municipality_id is not None
        and material.municipality_id == user.municipality_id
    )


@rules.predicate
def sees_material(user, material):
    if material is None:
        return False
    if material.municipality_id is None:
        return True
    return material.municipality_id in scope_for(user).visible_municipality_ids() or (
        scope_for(user).everything
    )


@rules.predicate
def may_publish_materials(user):
    return user.role == Role.MUNICIPAL and user.municipality_id is not None


rules.add_perm("information.view_owner", rules.is_authenticated & sees_owner)
rules.add_perm("information.change_owner", writes_region | writes_for_owner)
rules.add_perm("information.publish_newsitem", writes_region)
rules.add_perm("information.view_material", rules.is_authenticated & sees_material)
rules.add_perm("information.add_material", writes_region | may_publish_materials)
rules.add_perm("information.change_material", writes_region | municipal_material)
rules.add_perm("information.publish_material", writes_region)
