"""Permissions (django-rules) of risk profiles.

Whoever's scope covers a school sees its profile; the school itself chooses its priority
risks and names the measures; the region edits the rules that compute the levels.
"""

import rules

from opora.accounts.rules import is_school_itself, school_in_scope, writes_region


@rules.predicate
def owns_priority(user, priority):
    return priority is not None and is_school_itself(user, priority.school)


rules.add_perm("risks.view_profile", school_in_scope)
rules.add_perm("risks.choose_priorities", is_school_itself)
rules.add_perm("risks.change_priorityrisk", owns_priority)
rules.add_perm("risks.view_riskrule", rules.is_authenticated)
rules.add_perm("risks.change_riskrule", writes_region)
