"""Who may do what with people, working groups, coordinators, curators and pairs.

The region manages all of it; a municipal coordinator manages the people of its municipality,
the members of its municipality's working group and its municipal coordinator. Scope and the
shared predicates come from accounts.
"""

import rules

from opora.accounts.models import Role
from opora.accounts.rules import is_municipal, writes_region


@rules.predicate
def is_municipal_of_group(user, group):
    return (
        group is not None
        and user.role == Role.MUNICIPAL
        and group.level == "municipality"
        and group.municipality_id is not None
        and group.municipality_id == user.municipality_id
    )


@rules.predicate
def is_municipal_of_coordinator(user, coordinator):
    return (
        coordinator is not None
        and user.role == Role.MUNICIPAL
        and coordinator.level == "municipality"
        and coordinator.municipality_id is not None
        and coordinator.municipality_id == user.municipality_id
    )


@rules.predicate
def is_municipal_of_person(user, person):
    """The person works in the coordinator's municipality: its organisation and its school (the
    ones it has) are the municipality's.

    A member of the municipality's working group from another municipality (or from a
    regional body) is seen by the coordinator, never changed: membership gives no write access
    to another scope's records.
    """
    if person is None or user.role != Role.MUNICIPAL or not user.municipality_id:
        return False
    places = [place for place in (person.organisation, person.school) if place is not None]
    return bool(places) and all(place.municipality_id == user.municipality_id for place in places)


rules.add_perm("people.add_person", writes_region | is_municipal)
rules.add_perm("people.change_person", writes_region | is_municipal_of_person)
rules.add_perm("people.manage_groups", writes_region)
rules.add_perm("people.manage_group_members", writes_region | is_municipal_of_group)
rules.add_perm("people.manage_coordinators", writes_region | is_municipal)
rules.add_perm("people.change_coordinator", writes_region | is_municipal_of_coordinator)
rules.add_perm("people.manage_curators", writes_region)
rules.add_perm("people.manage_pairs", writes_region)


@rules.predicate
def sees_group(user, group):
    """The group is on the user's list of groups: the region's, or its municipality's."""
    from opora.people.selectors import working_groups_for

    return group is not None and working_groups_for(user).filter(pk=group.pk).exists()


# A group's documents (the order approving it) follow the group: seen by who sees it,
# prepared by who manages its members.
rules.add_perm("people.view_workinggroup", sees_group)
rules.add_perm("people.change_workinggroup", writes_region | is_municipal_of_group)
