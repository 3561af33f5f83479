"""Who may do what in the registry. Scope (where) and the shared predicates come from
accounts; people, groups, coordinators and curators have their rules in ``opora.people``."""

import rules

from opora.accounts.rules import (
    is_municipal,
    is_municipal_of_school,
    is_school_itself,
    school_in_scope,
    writes_region,
)

rules.add_perm("registry.view_school", school_in_scope)
rules.add_perm("registry.change_school", writes_region | is_municipal_of_school)
rules.add_perm(
    "registry.change_passport", writes_region | is_municipal_of_school | is_school_itself
)
rules.add_perm("registry.add_school", writes_region | is_municipal)
rules.add_perm("registry.change_status", writes_region)
rules.add_perm("registry.import_registry", writes_region)
rules.add_perm("registry.add_organisation", writes_region | is_municipal)
