"""«Ждут меня»: composed from the apps' inbox sources; what is done leaves it; the page and the
menu's count read a constant number of queries whatever the number of items."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.core import contributions as c
from opora.roadmaps import services
from opora.roadmaps.models import EventExecutor, ExecutorRole, Roadmap, RoadmapEvent, RoadmapStatus
from opora.testing.factories import UserFactory


def _regional_events(n):
    roadmap = Roadmap.objects.create(
        level="region",
        owner_name="ДОО ТО",
        title="Региональная карта",
        period_start=date(2026, 1, 1),
        period_end=date(2099, 12, 31),
        status=RoadmapStatus.APPROVED,
    )
    events = []
    for i in range(n):
        event = RoadmapEvent.objects.create(
            roadmap=roadmap, order=i, number=f"{i}.", text=f"Мероприятие {i}"
        )
        EventExecutor.objects.create(event=event, written="ОО", role=ExecutorRole.SCHOOL)
        events.append(event)
    return events


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_inbox_reads_the_same_queries_for_3_and_30_items(client, world):
    school = UserFactory(username="s2", role="school", school=world.home_school)
    for event in _regional_events(3):
        services.report_progress(school, event, status="done", school=world.home_school)
    client.force_login(world.users.curator)
    few = _queries(client, reverse("inbox"))
    for event in _regional_events(27):
        services.report_progress(school, event, status="done", school=world.home_school)
    many = _queries(client, reverse("inbox"))
    html = client.get(reverse("inbox")).content.decode()
    assert "30 дел ждут вашего решения" in html and "Чуж" not in html
    assert few == many


def test_a_decision_taken_leaves_the_inbox_and_a_return_reaches_the_reporter(world):
    users = world.users
    [event] = _regional_events(1)
    report = services.report_progress(
        users["school"], event, status="done", school=world.home_school
    )
    assert [i.kind for i in c.inbox_for(users["curator"])] == ["Отчёт на проверку"]
    mine = f"/roadmaps/events/{event.pk}/"
    assert [i.kind for i in c.inbox_for(users["region"]) if i.url.startswith(mine)] == [
        "Отчёт на проверку"
    ]
    assert c.inbox_for(users["municipal"]) == []  # seed 003: the curator and the region review
    services.review_report(users["curator"], report, accept=False, comment="Нет подписи")
    assert c.inbox_for(users["curator"]) == []
    assert not [i for i in c.inbox_for(users["region"]) if i.url.startswith(mine)]
    # (the school's other work, e.g. its self-analysis, waits beside it)
    [returned] = [i for i in c.inbox_for(users["school"]) if i.url.startswith(mine)]
    assert returned.returned and returned.note == "Нет подписи"
    services.report_progress(users["school"], event, status="done", school=world.home_school)
    assert not [i for i in c.inbox_for(users["school"]) if i.url.startswith(mine)]
    assert len(c.inbox_for(users["curator"])) == 1


@pytest.mark.parametrize("who", ["school", "municipal", "curator", "expert", "observer"])
def test_every_role_has_its_inbox_page(client, world, who):
    """(The region reviews everywhere: the foreign district's reports wait for it too.)"""
    client.force_login(world.users[who])
    response = client.get(reverse("inbox"))
    assert response.status_code == 200 and "Чуж" not in response.content.decode()


def test_the_count_is_true_past_the_listed_items_and_agrees_with_them(client, world, monkeypatch):
    """The menu's count is counted by the database: past the items a source lists it still
    says how many wait; below it, it agrees with the list for every user."""
    from opora.roadmaps import inbox

    school = UserFactory(username="s2", role="school", school=world.home_school)
    for event in _regional_events(5):
        services.report_progress(school, event, status="done", school=world.home_school)
    for user in world.users.by_name().values():
        assert c.inbox_count(user) == len(c.inbox_for(user)), user.username
        # The home page reads only what may be among its first items, and shows the same.
        for n in (1, 3, 6):
            assert c.inbox_first(user, n) == c.inbox_for(user)[:n], (user.username, n)
    monkeypatch.setattr(inbox, "LIMIT", 2)
    curator = world.users.curator
    assert len(c.inbox_for(curator)) == 2
    assert c.inbox_count(curator) == 5
    client.force_login(curator)
    html = client.get(reverse("inbox")).content.decode()
    assert "5 дел ждут вашего решения" in html
    assert "Перечислены 2 дела; ещё 3 дела" in html


def test_the_menu_count_reads_the_same_queries_for_3_and_30_items(world):
    school = UserFactory(username="s2", role="school", school=world.home_school)
    curator = world.users.curator

    def counted():
        curator.__dict__.pop("_opora_scope", None)
        with CaptureQueriesContext(connection) as ctx:
            n = c.inbox_count(curator)
        return n, len(ctx)

    for event in _regional_events(3):
        services.report_progress(school, event, status="done", school=world.home_school)
    few = counted()
    for event in _regional_events(27):
        services.report_progress(school, event, status="done", school=world.home_school)
    many = counted()
    assert (few[0], many[0]) == (3, 30)
    assert few[1] == many[1]
