"""The school card and the municipality card link to everything about them (issue 16): their
roadmaps, reports, recommendations, expertises and monitoring sheets — each app adds its card
(``SchoolPanel``, ``MunicipalityPanel``), within the reader's scope, in a constant number of
queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opora.monitoring import services as monitoring
from opora.monitoring.defaults import ensure_default_template
from opora.recommendations.models import Recommendation
from opora.roadmaps.models import (
    ProgressReport,
    ReviewState,
    Roadmap,
    RoadmapEvent,
    RoadmapStatus,
)


def _programme(world):
    """The home municipality's roadmap in force, a school report returned on it, an overdue
    recommendation and a monitoring campaign of the school."""
    users = world.users
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Дорожная карта Каргасокского района на 2026 год",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        status=RoadmapStatus.APPROVED,
    )
    event = RoadmapEvent.objects.create(
        roadmap=roadmap, number="8.", text="Подготовка ОО к собеседованию"
    )
    report = ProgressReport.objects.create(
        event=event,
        status="done",
        school=world.home_school,
        reported_by=users["school"],
        review_state=ReviewState.RETURNED,
        review_comment="Приложите протокол",
    )
    recommendation = Recommendation.objects.create(
        municipality=world.home,
        text="дополнить дорожную карту разделом о наставничестве",
        due_date=timezone.localdate() - timedelta(days=3),
    )
    campaign = monitoring.create_campaign(
        users["municipal"],
        title="Мониторинг выполнения программ",
        municipality=world.home,
        template=ensure_default_template(),
        period_text="1 полугодие 2025-2026 учебного года",
        due_date=date(2026, 2, 15),
        schools=[world.home_school],
    )
    return roadmap, report, recommendation, campaign


def test_the_school_card_links_its_roadmaps_reports_and_sheets(client, world):
    roadmap, report, _, campaign = _programme(world)
    client.force_login(world.users.municipal)

    html = client.get(reverse("registry:school", args=[world.home_school.pk])).content.decode()

    assert reverse("roadmaps:detail", args=[roadmap.pk]) in html
    assert reverse("roadmaps:event", args=[report.event_id]) + f"#report-{report.pk}" in html
    assert "возвращено на доработку 1" in html
    sheet = campaign.sheets.get()
    assert reverse("monitoring:sheet_detail", args=[sheet.pk]) in html
    assert "Чуж" not in html


def test_the_municipality_card_links_its_roadmaps_recommendations_and_campaigns(client, world):
    roadmap, _, recommendation, campaign = _programme(world)
    client.force_login(world.users.curator)

    html = client.get(reverse("registry:municipality", args=[world.home.pk])).content.decode()

    assert reverse("roadmaps:detail", args=[roadmap.pk]) in html
    assert reverse("recommendations:recommendation_detail", args=[recommendation.pk]) in html
    assert "просрочено 1" in html
    assert f"?municipality={world.home.pk}" in html  # the tracker and the deadline control
    assert reverse("monitoring:campaign_detail", args=[campaign.pk]) in html
    assert "Чуж" not in html


def test_a_school_sees_no_recommendations_card(client, world):
    _programme(world)
    client.force_login(world.users.school)
    html = client.get(reverse("registry:school", args=[world.home_school.pk])).content.decode()
    assert 'data-testid="school-roadmaps"' in html
    assert "municipality-recommendations" not in html


def test_the_cards_read_a_fixed_number_of_queries(client, world):
    _programme(world)
    client.force_login(world.users.region)
    url = reverse("registry:municipality", args=[world.home.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for i in range(15):
        extra = Roadmap.objects.create(
            level="municipality",
            municipality=world.home,
            title=f"Карта {i}",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        RoadmapEvent.objects.create(roadmap=extra, number="1.", text="Мероприятие")
        Recommendation.objects.create(municipality=world.home, text=f"Рекомендация {i}")
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)


@pytest.mark.parametrize("role", ["school", "curator", "municipal", "region"])
def test_the_school_card_links_the_recommendations_given_to_the_school(client, world, role):
    given = Recommendation.objects.create(
        municipality=world.home,
        school=world.home_school,
        order=1,
        text="Организовать взаимопосещение уроков учителями математики",
        due_date=date(2020, 12, 25),
    )
    client.force_login(world.users[role])
    html = client.get(reverse("registry:school", args=[world.home_school.pk])).content.decode()
    card = html[html.index('data-testid="school-recommendations"') :]
    assert reverse("recommendations:recommendation_detail", args=[given.pk]) in card
    assert "просрочено 1" in card
    assert (
        client.get(reverse("recommendations:recommendation_detail", args=[given.pk])).status_code
        == 200
    )
    other = client.get(reverse("registry:school", args=[world.other_home_school.pk]))
    assert "school-recommendations" not in other.content.decode()
