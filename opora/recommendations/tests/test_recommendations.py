"""Recommendations: the catalogue, tracking (status, evidence, events, closing), the overdue ones,
the tracker's pages and suggested events.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opora.interviews import selectors as interview_selectors
from opora.recommendations import catalogue as rec_catalogue
from opora.recommendations import selectors as recommendation_selectors
from opora.recommendations import services as recommendation_services
from opora.recommendations import suggestions
from opora.recommendations.models import (
    Recommendation,
    RecommendationStatus,
    RecommendationTemplate,
)
from opora.registry.models import Municipality
from opora.roadmaps import services as roadmap_services
from opora.roadmaps.models import ProgressStatus, RoadmapEvent
from opora.testing import FOREIGN_PK
from opora.testing.interviews import (
    CONTESTS,
    grow,
    home_recommendation,
    import_sample,
    report_all_done,
    roadmap_with_event,
    sample_registry,
)


def test_recommendation_key_ignores_case_yo_punctuation_and_spaces():
    assert rec_catalogue.recommendation_key("Организовать  мероприятия (КПК, семинары);") == (
        "организовать мероприятия кпк семинары"
    )
    assert rec_catalogue.recommendation_key("учёт ребёнка") == rec_catalogue.recommendation_key(
        "УЧЕТ  РЕБЕНКА."
    )
    assert rec_catalogue.recommendation_key("- с учетом «цифрового» наставничества") == (
        "с учетом цифрового наставничества"
    )


def test_repeated_recommendations_share_one_catalogue_entry(world):
    sample_registry(world)
    protocol = import_sample(world)

    assert RecommendationTemplate.objects.count() == 74
    contests = RecommendationTemplate.objects.get(key=rec_catalogue.recommendation_key(CONTESTS))
    assert contests.uses.values("municipality").distinct().count() == 13
    catalogue = list(recommendation_selectors.catalogue(world.users.region))
    assert catalogue[0] == contests and catalogue[0].municipality_count == 13
    tracked = recommendation_selectors.recommendation_list(world.users.region).get(
        template=contests, municipality__name="Каргасокский район"
    )
    assert tracked.repeats == 13
    # The same protocol imported again adds no catalogue entries.
    again = import_sample(world)
    assert again.pk != protocol.pk
    assert RecommendationTemplate.objects.count() == 74
    assert contests.uses.count() == 2 * 13


def test_the_catalogue_groups_the_same_advice_written_in_other_words(world):
    sample_registry(world)
    import_sample(world)
    groups = recommendation_selectors.catalogue_groups(world.users.region)
    assert sum(len(g.members) for g in groups) == 74
    contests = groups[0]
    # «… в качестве механизма …», «… как механизмы …» and the one with an emphasis on young
    # teachers: one advice, given to every municipality of its wordings together.
    assert contests.head.key == rec_catalogue.recommendation_key(CONTESTS)
    assert len(contests.members) >= 2
    assert contests.municipality_count == len(
        {m for t in contests.members for m in t.uses.values_list("municipality", flat=True)}
    )
    assert contests.municipality_count > contests.head.municipality_count
    # An analysis of teachers' participation in contests is other advice.
    assert all("анализ" not in t.text for t in contests.members)
    assert recommendation_selectors.catalogue_groups(world.users.observer, q="нет такого") == []


def test_the_catalogue_is_for_those_who_see_the_whole_region(world):
    sample_registry(world)
    import_sample(world)
    assert recommendation_selectors.catalogue(world.users.observer).count() == 74
    assert recommendation_selectors.catalogue(world.users.municipal).count() == 0
    assert recommendation_selectors.catalogue(world.users.curator).count() == 0


def test_closing_a_recommendation_through_the_events_that_carry_it_out(world):
    municipal = world.users.municipal
    recommendation = home_recommendation(world)
    _, event = roadmap_with_event(world)

    recommendation_services.link_event(municipal, recommendation, event)
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.IN_WORK  # an event now carries it
    assert not recommendation_selectors.recommendation_for(municipal, recommendation.pk).closable
    with pytest.raises(ValidationError, match="Не все мероприятия выполнены"):
        recommendation_services.close_through_events(municipal, recommendation)

    first = event.periods.order_by("start").first()
    roadmap_services.report_progress(
        municipal, event, status=ProgressStatus.DONE, period=first, done_on=first.end
    )
    assert not recommendation_selectors.recommendation_for(
        municipal, recommendation.pk
    ).closable  # one of two
    report_all_done(municipal, event)
    assert recommendation_selectors.recommendation_for(municipal, recommendation.pk).closable

    before = timezone.now()
    recommendation_services.close_through_events(municipal, recommendation)
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE
    assert recommendation.closed_at >= before
    assert "№ 26" in recommendation.evidence and "конкурсов" in recommendation.evidence
    closing = recommendation_selectors.closing_record(recommendation)
    assert closing.history_user == municipal and closing.history_date >= before
    assert not recommendation_selectors.recommendation_for(municipal, recommendation.pk).closable
    with pytest.raises(ValidationError, match="уже закрыта"):
        recommendation_services.close_through_events(municipal, recommendation)


def test_a_cancelled_period_counts_as_finished_and_a_returned_report_does_not(world):
    region, curator = world.users.region, world.users.curator
    recommendation = home_recommendation(world)
    _, event = roadmap_with_event(world)
    recommendation_services.link_event(region, recommendation, event)
    march, april = event.periods.order_by("start")
    roadmap_services.report_progress(region, event, status=ProgressStatus.CANCELLED, period=march)
    report = roadmap_services.report_progress(
        region, event, status=ProgressStatus.DONE, period=april, done_on=april.end
    )
    assert recommendation_selectors.recommendation_for(region, recommendation.pk).closable
    roadmap_services.review_report(curator, report, accept=False, comment="Нет приказа")
    assert not recommendation_selectors.recommendation_for(region, recommendation.pk).closable


def test_an_event_without_periods_is_finished_by_its_done_report(world):
    region = world.users.region
    recommendation = home_recommendation(world)
    _, event = roadmap_with_event(world)
    event.periods.all().delete()
    recommendation_services.link_event(region, recommendation, event)
    assert not recommendation_selectors.recommendation_for(region, recommendation.pk).closable
    roadmap_services.report_progress(region, event, status=ProgressStatus.DONE)
    assert recommendation_selectors.recommendation_for(region, recommendation.pk).closable


def test_only_events_of_the_municipalitys_roadmaps_can_be_linked(world):
    region = world.users.region
    recommendation = home_recommendation(world)
    foreign_event = world.foreign_roadmap.events.get()
    with pytest.raises(ValidationError, match="этого муниципалитета"):
        recommendation_services.link_event(region, recommendation, foreign_event)
    assert not recommendation.events.exists()


def test_unlinking_an_event(world):
    municipal = world.users.municipal
    recommendation = home_recommendation(world)
    _, event = roadmap_with_event(world)
    recommendation_services.link_event(municipal, recommendation, event)
    recommendation_services.unlink_event(municipal, recommendation, event)
    assert not recommendation.events.exists()
    assert not recommendation_selectors.recommendation_for(municipal, recommendation.pk).closable


def test_status_and_evidence_by_hand(world):
    municipal, region = world.users.municipal, world.users.region
    recommendation = home_recommendation(world, due_date=date(2026, 9, 1))

    with pytest.raises(ValidationError, match="подтверждение"):
        recommendation_services.update_recommendation(
            municipal, recommendation, status=RecommendationStatus.DONE
        )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.OPEN
    with pytest.raises(ValidationError, match="неприменима"):
        recommendation_services.update_recommendation(
            municipal, recommendation, status=RecommendationStatus.NOT_APPLICABLE
        )

    recommendation_services.update_recommendation(
        municipal,
        recommendation,
        status=RecommendationStatus.DONE,
        evidence="Приказ УООиП от 01.09.2026 № 120",
    )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE and recommendation.closed_at
    recommendation_services.update_recommendation(
        municipal, recommendation, status=RecommendationStatus.IN_WORK
    )
    recommendation.refresh_from_db()
    assert recommendation.closed_at is None

    # The due date is the region's to change.
    with pytest.raises(PermissionDenied):
        recommendation_services.update_recommendation(
            municipal, recommendation, due_date=date(2027, 1, 1), change_due_date=True
        )
    recommendation_services.update_recommendation(
        region, recommendation, due_date=date(2027, 1, 1), change_due_date=True
    )
    recommendation.refresh_from_db()
    assert recommendation.due_date == date(2027, 1, 1)
    changes = [c for h in recommendation.history.all() for c in [h.history_user]]
    assert municipal in changes and region in changes


@pytest.mark.parametrize("role", ["curator", "school", "expert", "observer"])
def test_who_may_not_track(world, role):
    recommendation = home_recommendation(world)
    _, event = roadmap_with_event(world)
    user = world.users[role]
    with pytest.raises(PermissionDenied):
        recommendation_services.update_recommendation(user, recommendation, evidence="чужие руки")
    with pytest.raises(PermissionDenied):
        recommendation_services.link_event(user, recommendation, event)


def test_a_municipality_does_not_track_another_municipalitys_recommendation(world):
    foreign = Recommendation.objects.get(pk=FOREIGN_PK)
    with pytest.raises(PermissionDenied):
        recommendation_services.update_recommendation(
            world.users.municipal, foreign, evidence="Это наше"
        )


def test_overdue_recommendations_are_open_or_in_work_past_the_due_date(world):
    today = timezone.localdate()
    late = home_recommendation(world, due_date=today - timedelta(days=1))
    in_work = home_recommendation(
        world, due_date=today - timedelta(days=30), status=RecommendationStatus.IN_WORK
    )
    home_recommendation(world, due_date=today)  # due today: not yet
    home_recommendation(world, due_date=today - timedelta(days=5), status="done")
    home_recommendation(world, due_date=today - timedelta(days=5), status="not_applicable")
    home_recommendation(world, due_date=None)

    municipal = world.users.municipal
    assert list(recommendation_selectors.overdue_recommendations(municipal)) == [
        in_work,
        late,
    ]  # oldest first
    assert recommendation_selectors.overdue_widget(municipal) == {
        "count": 2,
        "items": [in_work, late],
    }
    region_overdue = set(recommendation_selectors.overdue_recommendations(world.users.region))
    foreign = Recommendation.objects.get(pk=FOREIGN_PK)
    assert region_overdue == {late, in_work, foreign}  # 2026-03-01 is past in 2026
    assert list(recommendation_selectors.overdue_recommendations(world.users.school)) == []
    listed = recommendation_selectors.recommendation_list(
        municipal, recommendation_selectors.RecommendationFilter(overdue=True)
    )
    assert {r.pk for r in listed} == {late.pk, in_work.pk}
    assert all(r.is_overdue for r in listed)


def test_the_overdue_widget_for_the_dashboards_runs_no_query(world):
    today = timezone.localdate()
    for days in range(1, 8):
        home_recommendation(world, due_date=today - timedelta(days=days))
    overdue = recommendation_selectors.overdue_widget(world.users.municipal)
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("recommendations/_overdue_widget.html", {"overdue": overdue})
    assert len(queries) == 0
    assert 'data-testid="overdue-count"' in html and ">7</a>" in html
    assert html.count("list-group-item") == 5
    assert "Все 7 просроченных рекомендаций" in html
    assert recommendation_selectors.overdue_widget(world.users.school) == {
        "count": 0,
        "items": [],
    }
    empty = render_to_string(
        "recommendations/_overdue_widget.html", {"overdue": {"count": 0, "items": []}}
    )
    assert "Просроченных рекомендаций нет" in empty


def test_each_role_sees_the_recommendations_of_its_scope(world):
    sample_registry(world)
    protocol = import_sample(world)
    home = world.home
    users = world.users
    all_count = 105 + 3  # the sample and the foreign ones of `world` (interview, curator's visit,
    # methodical visit)

    assert recommendation_selectors.recommendations_for(users["region"]).count() == all_count
    assert recommendation_selectors.recommendations_for(users["observer"]).count() == all_count
    municipal = recommendation_selectors.recommendations_for(users["municipal"])
    assert municipal.count() == 7 and set(municipal.values_list("municipality", flat=True)) == {
        home.pk
    }
    assert (
        recommendation_selectors.recommendations_for(users["curator"]).count() == 7
    )  # assigned to the home district
    assert recommendation_selectors.recommendations_for(users["school"]).count() == 0
    assert interview_selectors.protocol_for(users["municipal"], protocol.pk) == protocol
    assert interview_selectors.protocol_for(users["municipal"], FOREIGN_PK) is None
    assert interview_selectors.protocol_for(users["school"], protocol.pk) is None
    listed = {p.pk: p for p in interview_selectors.protocol_list(users["municipal"])}
    assert list(listed) == [protocol.pk]
    assert listed[protocol.pk].recommendation_count == 7
    assert listed[protocol.pk].municipality_count == 1
    region_listed = {p.pk: p for p in interview_selectors.protocol_list(users["region"])}
    assert region_listed[protocol.pk].recommendation_count == 105
    assert region_listed[protocol.pk].municipality_count == 20


def test_events_addressing_the_recommendation_are_suggested_by_the_meaning_matcher(world):
    recommendation = home_recommendation(world)
    roadmap, contests = roadmap_with_event(world)
    other = [
        RoadmapEvent.objects.create(roadmap=roadmap, order=i, number=str(i), text=text)
        for i, text in enumerate(
            [
                "Утвердить состав муниципальной рабочей группы",
                "Проведение заседаний методических объединений учителей-предметников",
                "Формирование муниципального задания школам",
                # Refuses its action: never suggested, whatever words it shares.
                "Участие педагогов в региональных профессиональных конкурсах отменено",
            ],
            start=2,
        )
    ]
    found = suggestions.suggested_events(recommendation, [*other, contests])
    assert [s.event for s in found] == [contests]
    assert {"конкурс", "профессиональный"} <= set(found[0].shared)
    assert suggestions.lemmas("организовать педагогический десанта ТОИПКРО для управленцев") == {
        "педагогический",
        "десант",
        "тоипкро",
        "руководитель",
    }


def test_tracking_through_the_pages(client, world):
    municipal = world.users.municipal
    recommendation = home_recommendation(world, due_date=date(2020, 8, 3))
    _, event = roadmap_with_event(world)
    client.force_login(municipal)
    url = reverse("recommendations:recommendation_detail", args=[recommendation.pk])

    page = client.get(url).content.decode()
    assert 'data-testid="suggestions"' in page and "№ 26" in page
    assert "просрочена" in page
    client.post(
        reverse("recommendations:recommendation_link_event", args=[recommendation.pk]),
        {"event": event.pk},
    )
    assert list(recommendation.events.all()) == [event]
    report_all_done(municipal, event)
    page = client.get(url).content.decode()
    assert 'data-testid="can-close"' in page
    response = client.post(
        reverse("recommendations:recommendation_close", args=[recommendation.pk])
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE
    page = client.get(url).content.decode()
    assert 'data-testid="closed-by"' in page and "municipal Тест" in page
    assert "История изменений" in page

    response = client.post(
        reverse("recommendations:recommendation_update", args=[recommendation.pk]),
        {"status": "in_work", "evidence": "", "due_date": "2030-01-01"},
    )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.IN_WORK
    assert recommendation.due_date == date(2020, 8, 3)  # the municipality does not move it
    response = client.post(
        reverse("recommendations:recommendation_update", args=[recommendation.pk]),
        {"status": "done", "evidence": ""},
    )
    assert response.status_code == 200
    assert "опишите подтверждение" in response.content.decode()

    client.post(
        reverse("recommendations:recommendation_unlink_event", args=[recommendation.pk, event.pk])
    )
    assert not recommendation.events.exists()


def test_the_tracker_filters(client, world):
    sample_registry(world)
    import_sample(world)
    client.force_login(world.users.region)
    url = reverse("recommendations:recommendation_list")
    kargasok = Municipality.objects.get(name="Каргасокский район")

    # the sample and the foreign ones of `world` (an interview's, a curator's and a methodical visit's)
    assert client.get(url).context["page"].paginator.count == 108
    assert client.get(url, {"municipality": kargasok.pk}).context["page"].paginator.count == 7
    overdue = client.get(url, {"overdue": "on"}).context["page"].paginator.count
    assert overdue == 106  # due 03.08.2020 (the foreign one 01.03.2026; the visit's has no date)
    assert client.get(url, {"status": "done"}).context["page"].paginator.count == 0
    assert client.get(url, {"q": "конкурсы"}).context["page"].paginator.count >= 13
    assert client.get(url, {"municipality": "abc", "status": "??"}).status_code == 200
    rows = client.get(url, {"municipality": kargasok.pk}, HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="tracker-rows")  # fmt: skip
    assert rows.templates[0].name == "recommendations/_tracker_rows.html"
    client.force_login(world.users.municipal)
    assert client.get(url).context["page"].paginator.count == 7
    assert client.get(url, {"municipality": FOREIGN_PK}).context["page"].paginator.count == 7


@pytest.mark.parametrize("role", ["region", "municipal"])
def test_the_tracker_runs_the_same_queries_for_10_and_80_recommendations(client, world, role):
    _, event = roadmap_with_event(world)
    client.force_login(world.users[role])
    url = reverse("recommendations:recommendation_list")
    grow(world, 10, event)
    client.get(url)  # warm up: session, user
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.content.decode().count('data-testid="tracker-row"') >= 10
    grow(world, 70, event)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('data-testid="tracker-row"') >= 80
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_an_event_is_linked_to_a_recommendation_from_its_own_page(client, world):
    """Issue 16: «link an event to the recommendations it answers» where the roadmap is edited,
    not only from the recommendation's page; unlinked there too."""
    municipal = world.users.municipal
    recommendation = home_recommendation(world, due_date=date(2026, 8, 3))
    elsewhere = Recommendation.objects.create(
        interview=recommendation.interview, municipality=world.foreign, text="Чужая рекомендация"
    )
    _, event = roadmap_with_event(world)
    client.force_login(municipal)
    event_url = reverse("roadmaps:event", args=[event.pk])
    page = client.get(event_url).content.decode()
    assert 'data-testid="link-recommendation"' in page
    assert CONTESTS[:40] in page and "Чужая рекомендация" not in page

    link = reverse("recommendations:event_link_recommendation", args=[event.pk])
    response = client.post(link, {"recommendation": recommendation.pk})
    assert response["Location"] == event_url + "#recommendations"
    recommendation.refresh_from_db()
    assert list(recommendation.events.all()) == [event]
    assert recommendation.status == RecommendationStatus.IN_WORK
    page = client.get(event_url).content.decode()
    assert "Мероприятие связано с рекомендацией." in page
    assert 'data-testid="unlink-recommendation"' in page

    # Another municipality's recommendation is not theirs to link: not found, nothing linked.
    assert client.post(link, {"recommendation": elsewhere.pk}).status_code == 404
    assert not elsewhere.events.exists()
    # Nothing chosen: a message, not an error page.
    response = client.post(link, {"recommendation": ""}, follow=True)
    assert "Выберите рекомендацию" in response.content.decode()

    unlink = reverse(
        "recommendations:recommendation_unlink_event", args=[recommendation.pk, event.pk]
    )
    response = client.post(unlink, {"next": "event"})
    assert response["Location"] == event_url + "#recommendations"
    assert not recommendation.events.exists()


def test_a_reader_sees_the_answered_recommendations_but_links_none(client, world):
    recommendation = home_recommendation(world)
    _, event = roadmap_with_event(world)
    recommendation_services.link_event(world.users.region, recommendation, event)
    other = home_recommendation(world, text="Вторая рекомендация")
    client.force_login(world.users.expert)
    page = client.get(reverse("roadmaps:event", args=[event.pk])).content.decode()
    assert 'data-testid="event-recommendations"' in page
    assert 'data-testid="link-recommendation"' not in page
    assert 'data-testid="unlink-recommendation"' not in page
    link = reverse("recommendations:event_link_recommendation", args=[event.pk])
    client.post(link, {"recommendation": other.pk})
    assert not other.events.exists()
