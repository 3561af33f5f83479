"""Deadline control that can be trusted (issue 16): only roadmaps in execution (approved) count
for deadlines and overdue figures — a draft, a submitted, a returned or an archived one never
does — and the figures of the home page are the totals of the pages they link to."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from opora.roadmaps.models import EventPeriod, Roadmap, RoadmapEvent, RoadmapStatus
from opora.roadmaps.selectors import overdue_summary, roadmap_progress


def _roadmap(world, status: str, overdue: int, soon: int = 0) -> Roadmap:
    """A municipal roadmap of the home municipality with ``overdue`` periods past their end and
    ``soon`` ending in three days, none finished."""
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title=f"Карта ({status})",
        period_start=date(2026, 1, 1),
        period_end=date(2099, 12, 31),
        status=status,
    )
    today = timezone.localdate()
    for i in range(overdue + soon):
        event = RoadmapEvent.objects.create(roadmap=roadmap, order=i, number=f"{i + 1}.", text="М")
        end = today - timedelta(days=10 + i) if i < overdue else today + timedelta(days=3)
        EventPeriod.objects.create(event=event, start=end - timedelta(days=30), end=end)
    return roadmap


def _figure(html: str, label: str) -> int:
    match = re.search(rf">{label}</span><span class=\"badge[^\"]*\">(\d+)<", html)
    assert match, label
    return int(match.group(1))


def test_only_approved_roadmaps_count_for_deadlines(world):
    user = world.users.municipal
    before = overdue_summary(user)
    for status in (
        RoadmapStatus.DRAFT,
        RoadmapStatus.SUBMITTED,
        RoadmapStatus.RETURNED,
        RoadmapStatus.ARCHIVED,
    ):
        draft = _roadmap(world, status, overdue=5, soon=2)
        assert roadmap_progress(draft).overdue == 0  # a draft's dates are a plan
    assert overdue_summary(user) == before
    approved = _roadmap(world, RoadmapStatus.APPROVED, overdue=3, soon=1)
    after = overdue_summary(user)
    assert after["overdue"] == before["overdue"] + 3
    assert after["week"] == before["week"] + 1
    assert roadmap_progress(approved).overdue == 3


@pytest.mark.parametrize("role", ["region", "municipal", "curator"])
def test_the_home_figures_are_the_totals_of_the_pages_they_link_to(client, world, role):
    _roadmap(world, RoadmapStatus.DRAFT, overdue=7, soon=4)
    _roadmap(world, RoadmapStatus.APPROVED, overdue=3, soon=2)
    client.force_login(world.users[role])
    home = client.get("/").content.decode()
    for label, horizon in (("Просрочено", "overdue"), ("Срок на этой неделе", "week")):
        shown = _figure(home, label)
        page = client.get(f"/roadmaps/overdue/?horizon={horizon}")
        assert page.context["total"] == shown, (role, label)
        assert len(page.context["periods"]) == min(shown, 100)
    assert _figure(home, "Просрочено") >= (3 if role != "curator" else 0)
