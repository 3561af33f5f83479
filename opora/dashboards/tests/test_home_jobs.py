"""The home page of each role starts from its job (issue 16): under «Ждут меня» the expert sees
its expertises, the school its programme, its tasks and its returned reports, the curator its
schools and what waits for it there. Nobody else gets these cards."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opora.expertise.models import ExpertAssignment, Expertise
from opora.roadmaps import services
from opora.roadmaps.models import EventExecutor, ExecutorRole, Roadmap, RoadmapEvent, RoadmapStatus
from opora.roadmaps.selectors import regional_tasks_for
from opora.testing.expertise import criteria, municipal_set
from opora.testing.roadmaps import municipal_roadmap


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _regional_event(text="Разработка школьных программ"):
    roadmap = Roadmap.objects.create(
        level="region",
        owner_name="ДОО ТО",
        title="Региональная карта",
        period_start=date(2026, 1, 1),
        period_end=date(2099, 12, 31),
        status=RoadmapStatus.APPROVED,
    )
    event = RoadmapEvent.objects.create(roadmap=roadmap, number="11.", text=text)
    EventExecutor.objects.create(event=event, written="ОО", role=ExecutorRole.SCHOOL)
    return event


def test_the_expert_starts_from_its_expertises_with_its_own_progress(client, world):
    roadmap, _ = municipal_roadmap(world)
    cs = municipal_set()
    expertise = Expertise.objects.create(
        roadmap=roadmap, criteria_set=cs, due_date=date(2026, 3, 1)
    )
    assignment = ExpertAssignment.objects.create(expertise=expertise, expert=world.users.expert)
    first = criteria(cs)[0]
    assignment.scores.create(criterion=first, value=first.scale_max)
    html = _home(client, world.users.expert)
    card = html[html.index('data-testid="home-expertises"') :]
    assert "Мои экспертизы · 1" in card and "Каргасокский район" in card
    # Its own scores are counted once each, whatever the number of criteria.
    assert f"оценено 1 из {len(criteria(cs))}" in card
    assert f"/expertise/{expertise.pk}/" in card
    assert html.index("home-inbox") < html.index("home-expertises") < html.index("fig-listed")


def test_the_school_starts_from_its_programme_tasks_and_returned_reports(client, world):
    users = world.users
    Roadmap.objects.create(
        level="school",
        school=world.home_school,
        municipality=world.home,
        title="Программа повышения качества образования Вертикосской СОШ",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
        status=RoadmapStatus.APPROVED,
    )
    event = _regional_event()
    report = services.report_progress(users.school, event, status="done", school=world.home_school)
    services.review_report(users.curator, report, accept=False, comment="Приложите приказ")
    html = _home(client, users.school)
    card = html[html.index('data-testid="home-programme"') :]
    assert "Программа повышения качества образования Вертикосской СОШ" in card
    assert "утверждена" in card
    tasks = regional_tasks_for(users.school).count()
    assert tasks >= 1 and f"Задачи от региона и муниципалитета: {tasks}" in card
    assert "Возвращено на доработку: 1 отчёт" in card and "Приложите приказ" in card
    assert f"/roadmaps/events/{event.pk}/" in card


def test_a_school_without_a_programme_is_offered_to_write_one(client, world):
    html = _home(client, world.users.school)
    card = html[html.index('data-testid="home-programme"') :]
    assert "Программы школы в системе пока нет." in card


def test_the_curator_starts_from_its_schools_and_what_waits_there(client, world):
    users = world.users
    event = _regional_event()
    services.report_progress(users.school, event, status="done", school=world.home_school)
    html = _home(client, users.curator)
    card = html[html.index('data-testid="home-curator-schools"') :]
    assert "Мои школы · 1" in card  # the listed school of its municipality
    assert world.home_school.short_name in card and "ждут проверки: 1" in card
    assert "Каргасокский район" in card
    assert "Чуж" not in card


@pytest.mark.parametrize("role", ["region", "operator", "municipal", "observer"])
def test_other_roles_get_none_of_these_cards(client, world, role):
    html = _home(client, world.users[role])
    assert "home-expertises" not in html
    assert "home-programme" not in html
    assert "home-curator-schools" not in html


def test_the_curators_card_reads_the_same_queries_for_1_and_10_waiting_reports(client, world):
    users = world.users
    services.report_progress(
        users.school, _regional_event(), status="done", school=world.home_school
    )
    client.force_login(users.curator)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for i in range(9):
        services.report_progress(
            users.school,
            _regional_event(f"Мероприятие {i}"),
            status="done",
            school=world.home_school,
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get("/").content.decode()
    assert "ждут проверки: 10" in html
    assert len(few) == len(many)


@pytest.mark.parametrize("role", ["expert", "observer", "region"])
def test_no_empty_card_of_regional_tasks_for_those_given_none(client, world, role):
    html = _home(client, world.users[role])
    assert "Задачи от региона" not in html
    assert "в утверждённых списках" in html  # the approved lists, not a draft run
