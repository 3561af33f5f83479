"""Object permissions (django-rules). Scope decides where, role decides what."""

import rules

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region, scope_for


@rules.predicate
def writes_region(user):
    return can_write_region(user)


@rules.predicate
def school_in_scope(user, school):
    return school is not None and scope_for(user).covers_school(school)


@rules.predicate
def is_municipal_of_school(user, school):
    return (
        school is not None
        and user.role == Role.MUNICIPAL
        and user.municipality_id == school.municipality_id
    )


@rules.predicate
def is_school_itself(user, school):
    return school is not None and user.role == Role.SCHOOL and user.school_id == school.id


@rules.predicate
def is_municipal(user):
    return user.role == Role.MUNICIPAL and user.municipality_id is not None
