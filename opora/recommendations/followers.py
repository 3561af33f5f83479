"""Who follows a municipality's recommendations up, and so is told when one becomes overdue
(issue 16): the region and the regional operator, the municipality's coordinator, and the
curators assigned to the municipality this year — the users whose «Ждут меня» lists it
(``recommendations.inbox``), as the rules of ``recommendations/rules.py`` give them."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet

from opora.accounts.models import Role
from opora.accounts.scopes import REGION_WIDE_WRITE
from opora.core.calendar import current_year
from opora.recommendations.models import Recommendation
from opora.recommendations.selectors import OPEN_STATES


def passing_due(day: date) -> QuerySet[Recommendation]:
    """Open or in-work recommendations whose due date is ``day`` (they become overdue the day
    after)."""
    return (
        Recommendation.objects.filter(due_date=day, status__in=OPEN_STATES)
        .select_related("municipality")
        .order_by("municipality_id", "order", "pk")
    )


def followers_by_municipality(municipality_ids) -> dict[int, list]:
    """For each of ``municipality_ids``, the active users who follow its recommendations up.

    Three queries whatever the number of municipalities.
    """
    User = get_user_model()
    ids = set(municipality_ids)
    followers: dict[int, list] = {mid: [] for mid in ids}
    region = list(User.objects.filter(is_active=True, role__in=REGION_WIDE_WRITE))
    for mid in ids:
        followers[mid].extend(region)
    for user in User.objects.filter(is_active=True, role=Role.MUNICIPAL, municipality_id__in=ids):
        followers[user.municipality_id].append(user)
    curators = User.objects.filter(
        is_active=True,
        role=Role.CURATOR,
        person__curatorships__year=current_year(),
        person__curatorships__municipality_id__in=ids,
    ).annotate(curated=F("person__curatorships__municipality_id"))
    for user in curators:
        followers[user.curated].append(user)
    return followers
