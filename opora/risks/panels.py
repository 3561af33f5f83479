"""What risk profiles add to other pages: the card on the school page, the menu's predicate."""

from __future__ import annotations

from opora.risks import levels
from opora.risks.models import Level
from opora.risks.selectors import priorities_of


def edits_rules(user) -> bool:
    return user.has_perm("risks.change_riskrule")


def school_panel(user, school) -> dict | None:
    """The high and medium risks and the priorities of the school, for the school page."""
    if not user.has_perm("risks.view_profile", school):
        return None
    factors = levels.profiles([school.pk])[school.pk]
    return {
        "school": school,
        "high": [f for f in factors if f.level == Level.HIGH],
        "medium": [f for f in factors if f.level == Level.MEDIUM],
        "unknown": sum(1 for f in factors if f.level is None),
        "priorities": priorities_of(school),
    }
