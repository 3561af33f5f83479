"""Roll-up of a cascaded event (issue 16): who of the addressees reported, was accepted, is
overdue or has not started; a reminder to those missing."""

from datetime import date

import pytest
from django.urls import reverse

from opora.accounts.reach import reach_of, reminder_message
from opora.notifications.models import Notification
from opora.roadmaps import services
from opora.roadmaps.models import EventExecutor, ExecutorRole, Roadmap, RoadmapEvent, RoadmapStatus
from opora.roadmaps.rollup import rollup_of
from opora.testing.factories import SchoolFactory, StatusFactory, UserFactory


@pytest.fixture
def cascade(world):
    """Event 11 of seed 003 addressed to the listed schools: three of Каргасок are listed."""
    third = SchoolFactory(code="700903", full_name="МКОУ «Сосновская СОШ»", municipality=world.home)
    StatusFactory(school=world.other_home_school)
    StatusFactory(school=third)
    roadmap = Roadmap.objects.create(
        level="region",
        owner_name="ДОО ТО",
        title="Региональная дорожная карта на 2023 год",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        status=RoadmapStatus.APPROVED,
    )
    event = RoadmapEvent.objects.create(
        roadmap=roadmap,
        number="11.",
        text="Разработка школьных программ",
        indicator_text="Разработано/откорректировано 68 школьных программ",
        target_quantity=68,
        target_unit="школьных программ",
        due_on=date(2023, 4, 30),
    )
    EventExecutor.objects.create(event=event, written="руководители ОО", role=ExecutorRole.SCHOOL)
    return event, third


def test_the_roll_up_counts_each_state_and_the_target(world, cascade):
    event, third = cascade
    users = world.users
    school = services.report_progress(
        users["school"], event, status="done", school=world.home_school
    )
    neighbour = UserFactory(username="n", role="school", school=world.other_home_school)
    services.report_progress(neighbour, event, status="done", school=world.other_home_school)
    services.review_report(users["curator"], school, accept=True)

    rollup = rollup_of(users["curator"], event)
    assert rollup.total == 3 and rollup.target == 68
    assert rollup.counts == {
        "accepted": 1,
        "pending": 1,
        "returned": 0,
        "overdue": 1,  # April 2023 has passed: the third school is overdue, not «not started»
        "not_started": 0,
    }
    assert [r.name for r in rollup.missing] == [third.short_name]
    # nobody outside the scope, and not for a school
    assert rollup_of(users["school"], event) is None
    assert rollup_of(users["region"], event).total == 4  # and the listed foreign school
    assert all("Чуж" not in r.name for r in rollup_of(users["municipal"], event).rows)


def test_the_roll_up_page_filters_and_reminds_those_missing(
    client, world, cascade, django_capture_on_commit_callbacks
):
    event, third = cascade
    late = UserFactory(username="late", role="school", school=third)
    client.force_login(world.users.curator)
    page = client.get(reverse("roadmaps:event_rollup", args=[event.pk]) + "?state=overdue")
    html = page.content.decode()
    assert "3 школы" in html and "просрочено · 3" in html and third.short_name in html
    assert "Чуж" not in html
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("roadmaps:event_remind", args=[event.pk]), follow=True)
    assert Notification.objects.filter(user=late, title__startswith="Напоминание").count() == 1
    # The sender learns how many of the schools missing have someone in Opora to read it.
    reach = reach_of(school_ids=[r.pk for r in rollup_of(world.users.curator, event).missing])
    assert 0 < reach.reached < reach.addressed
    assert reminder_message(reach, "school")[1] in sent.text
    client.force_login(world.users.school)
    assert client.get(reverse("roadmaps:event_rollup", args=[event.pk])).status_code == 404
