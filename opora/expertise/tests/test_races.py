"""Concurrent and stale writes of expertise, monitoring and recommendations (issue 9).

Concurrent first saves of one score or one answer gave a 500 (unique constraint), and scores
and answers could still change after the expert or the school had submitted. Now a first save
that loses the race becomes an update, the sheet or assignment row is held while it changes,
and every step is taken from the state it started from.
"""

# ruff: noqa: F811  (fixtures imported from the modules that define them)

import pytest
from django.urls import reverse

from opora.core.states import StateChanged
from opora.core.tests.racing import needs_postgres, race
from opora.expertise import selectors
from opora.expertise import services as svc
from opora.expertise.models import ExpertAssignment, Expertise, ExpertiseStatus, Score
from opora.expertise.tests.test_expertise import (  # noqa: F401  (fixtures)
    criteria,
    expertise,
    people,
    roadmap,
    score_all,
    small_set,
)
from opora.interviews.tests.builders import home_recommendation
from opora.monitoring import services as monitoring
from opora.monitoring.models import (
    CampaignSchool,
    CampaignStatus,
    ChecklistAnswer,
    MonitoringCampaign,
    SheetStatus,
)
from opora.monitoring.tests.test_monitoring import _items, _sheet, campaign  # noqa: F401
from opora.recommendations import services as recommendation_services
from opora.recommendations.models import Recommendation, RecommendationStatus

THREADS = 8


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


def _errors(results):
    return [r for r in results if isinstance(r, Exception)]


# ---------------------------------------------------------------- parallel (PostgreSQL)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_first_saves_of_one_score_give_one_score(people, expertise):
    criterion = criteria(expertise.criteria_set)[2]  # 0–5
    expert = people["expert"]
    results = race(
        THREADS,
        lambda i: Expertise.objects.get(pk=expertise.pk),
        lambda i, e: svc.save_score(expert, e, criterion, value=i % 6, comment=f"вариант {i}"),
    )
    assert not _errors(results), results
    scores = Score.objects.filter(criterion=criterion)
    assert scores.count() == 1
    assert scores.get().history.filter(history_type="+").count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_no_score_changes_after_a_parallel_submission(people, expertise):
    expert = people["expert"]
    score_all(expert, expertise, [1, 1, 1])
    last = criteria(expertise.criteria_set)[2]

    def act(i, e):
        if i == 0:
            return svc.submit_assignment(expert, e)
        return svc.save_score(expert, e, last, value=5, comment=f"поздно {i}")

    results = race(THREADS, lambda i: Expertise.objects.get(pk=expertise.pk), act)
    assert all(isinstance(e, StateChanged) for e in _errors(results)), results
    assignment = ExpertAssignment.objects.get(expertise=expertise, expert=expert)
    assert assignment.submitted_at is not None
    score = Score.objects.get(assignment=assignment, criterion=last)
    # Every change of the score was saved before the submission, none after it.
    assert all(h.history_date <= assignment.submitted_at for h in score.history.all())
    assert assignment.history.exclude(submitted_at=None).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_closings_close_once_with_one_set_of_recommendations(people, expertise):
    score_all(people["expert"], expertise, [1, 2, 5])
    score_all(people["expert2"], expertise, [1, 2, 4])
    svc.submit_assignment(people["expert"], expertise)
    svc.submit_assignment(people["expert2"], expertise)
    region = people["region"]
    results = race(
        THREADS,
        lambda i: Expertise.objects.get(pk=expertise.pk),
        lambda i, e: svc.close_expertise(
            region, e, conclusion=f"Заключение {i}", recommendations="1) провести анализ;"
        ),
    )
    errors = _errors(results)
    assert len(errors) == THREADS - 1 and all(isinstance(e, StateChanged) for e in errors)
    assert Recommendation.objects.filter(expertise=expertise).count() == 1
    assert expertise.history.filter(status=ExpertiseStatus.CLOSED).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_first_saves_of_one_answer_give_one_answer(world, campaign):
    sheet = _sheet(campaign, world["home_school"])
    item = _items(campaign)[0]
    school = world["users"]["school"]
    results = race(
        THREADS,
        lambda i: CampaignSchool.objects.select_related("campaign").get(pk=sheet.pk),
        lambda i, s: monitoring.save_answer(
            school, s, item, answer=["done", "partly", "not_done"][i % 3], comment=str(i)
        ),
    )
    assert not _errors(results), results
    assert ChecklistAnswer.objects.filter(sheet=sheet, item=item).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_reviews_of_a_sheet_decide_once(world, campaign):
    sheet = _sheet(campaign, world["home_school"])
    school, municipal = world["users"]["school"], world["users"]["municipal"]
    for item in _items(campaign):
        monitoring.save_answer(school, sheet, item, answer="done")
    monitoring.submit_sheet(school, CampaignSchool.objects.get(pk=sheet.pk))

    def act(i, s):
        if i % 2:
            return monitoring.return_sheet(municipal, s, f"исправить {i}")
        return monitoring.accept_sheet(municipal, s)

    results = race(
        THREADS, lambda i: CampaignSchool.objects.select_related("campaign").get(pk=sheet.pk), act
    )
    errors = _errors(results)
    assert len(errors) == THREADS - 1 and all(isinstance(e, StateChanged) for e in errors)
    sheet.refresh_from_db()
    assert sheet.history.filter(status__in=["accepted", "returned"]).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_recommendation_updates_take_one_step(world):
    recommendation = home_recommendation(world, evidence="Приказ № 5")
    municipal = world["users"]["municipal"]

    def act(i, r):
        status = RecommendationStatus.DONE if i % 2 else RecommendationStatus.NOT_APPLICABLE
        return recommendation_services.update_recommendation(municipal, r, status=status)

    results = race(THREADS, lambda i: Recommendation.objects.get(pk=recommendation.pk), act)
    errors = _errors(results)
    assert len(errors) == THREADS - 1 and all(isinstance(e, StateChanged) for e in errors)
    assert recommendation.history.exclude(status=RecommendationStatus.OPEN).count() == 1


# ---------------------------------------------------------------- stale pages (both databases)


def test_a_score_from_a_page_shown_before_submitting_is_refused(people, expertise):
    expert = people["expert"]
    score_all(expert, expertise, [1, 2, 5])
    page = Expertise.objects.get(pk=expertise.pk)
    selectors.my_assignment(expert, page)  # the page read the assignment before it was sent
    svc.submit_assignment(expert, Expertise.objects.get(pk=expertise.pk))
    first = criteria(expertise.criteria_set)[0]
    with pytest.raises(StateChanged, match="оценки уже отправлены"):
        svc.save_score(expert, page, first, value=0)
    assert Score.objects.get(criterion=first, assignment__expert=expert).value == 1


def test_a_score_posted_after_submitting_shows_the_message(client, people, expertise):
    expert = people["expert"]
    score_all(expert, expertise, [1, 2, 5])
    svc.submit_assignment(expert, expertise)
    first = criteria(expertise.criteria_set)[0]
    client.force_login(expert)
    response = client.post(
        reverse("expertise:expertise_score", args=[expertise.pk, first.pk]),
        {f"c{first.pk}-value": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Оценки уже отправлены" in response.content.decode()
    assert Score.objects.get(criterion=first, assignment__expert=expert).value == 1


def test_an_answer_from_a_page_shown_before_submitting_is_refused(world, campaign):
    school = world["users"]["school"]
    page = _sheet(campaign, world["home_school"])
    for item in _items(campaign):
        monitoring.save_answer(school, page, item, answer="done")
    monitoring.submit_sheet(school, CampaignSchool.objects.get(pk=page.pk))
    first = _items(campaign)[0]
    with pytest.raises(StateChanged, match="чек-лист сейчас «отправлен»"):
        monitoring.save_answer(school, page, first, answer="not_done")
    assert ChecklistAnswer.objects.get(sheet=page, item=first).answer == "done"


def test_an_answer_posted_after_submitting_shows_the_message(client, world, campaign):
    school = world["users"]["school"]
    sheet = _sheet(campaign, world["home_school"])
    for item in _items(campaign):
        monitoring.save_answer(school, sheet, item, answer="done")
    monitoring.submit_sheet(school, sheet)
    first = _items(campaign)[0]
    client.force_login(school)
    response = client.post(
        reverse("monitoring:sheet_item_save", args=[sheet.pk, first.pk]),
        {f"i{first.pk}-answer": "not_done"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "менять его можно, только если муниципалитет вернёт" in response.content.decode()
    assert ChecklistAnswer.objects.get(sheet=sheet, item=first).answer == "done"


def test_an_acceptance_from_an_older_page_does_not_undo_a_return(world, campaign):
    school, municipal = world["users"]["school"], world["users"]["municipal"]
    sheet = _sheet(campaign, world["home_school"])
    for item in _items(campaign):
        monitoring.save_answer(school, sheet, item, answer="done")
    monitoring.submit_sheet(school, sheet)
    page = CampaignSchool.objects.get(pk=sheet.pk)
    monitoring.return_sheet(municipal, CampaignSchool.objects.get(pk=sheet.pk), "Нет ссылок")
    with pytest.raises(StateChanged, match="«возвращён»"):
        monitoring.accept_sheet(municipal, page)
    assert CampaignSchool.objects.get(pk=sheet.pk).status == SheetStatus.RETURNED


def test_closing_a_campaign_twice_shows_the_message(client, world, campaign):
    client.force_login(world["users"]["municipal"])
    url = reverse("monitoring:campaign_status", args=[campaign.pk])
    client.post(url, {"status": "closed"})
    response = client.post(url, {"status": "closed"}, follow=True)
    assert response.status_code == 200
    assert "Состояние уже изменилось: мониторинг сейчас «завершён»" in response.content.decode()
    assert MonitoringCampaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
    assert campaign.history.filter(status=CampaignStatus.CLOSED).count() == 1


def test_an_edit_from_an_older_page_does_not_reopen_a_closed_recommendation(world):
    recommendation = home_recommendation(world, evidence="Приказ № 5")
    municipal = world["users"]["municipal"]
    page = Recommendation.objects.get(pk=recommendation.pk)
    recommendation_services.update_recommendation(
        municipal, Recommendation.objects.get(pk=recommendation.pk), status="done"
    )
    with pytest.raises(StateChanged, match="рекомендация сейчас «выполнена»"):
        recommendation_services.update_recommendation(
            municipal, page, evidence="Другое подтверждение"
        )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE
    assert recommendation.evidence == "Приказ № 5"


def test_closing_an_expertise_twice_is_refused_with_a_message(people, expertise):
    score_all(people["expert"], expertise, [1, 2, 5])
    score_all(people["expert2"], expertise, [1, 2, 4])
    svc.submit_assignment(people["expert"], expertise)
    svc.submit_assignment(people["expert2"], expertise)
    page = Expertise.objects.get(pk=expertise.pk)
    svc.close_expertise(people["region"], expertise, conclusion="Готово", recommendations="1) а;")
    with pytest.raises(StateChanged, match="экспертиза уже завершена"):
        svc.close_expertise(people["region"], page, conclusion="Ещё", recommendations="1) б;")
    assert Recommendation.objects.filter(expertise=expertise).count() == 1


# ---------------------------------------------------------------- double submits


def _token(page) -> str:
    import re

    found = re.findall(r'name="submit_once" value="([^"]+)"', page.content.decode())
    assert found, "the form carries no submit_once token"
    return found[0]


def test_an_expertise_created_twice_is_created_once(client, people, roadmap, small_set):
    client.force_login(people["operator"])
    token = _token(client.get(reverse("expertise:expertise_create")))
    data = {
        "roadmap": roadmap.pk,
        "criteria_set": small_set.pk,
        "experts": [people["expert"].pk],
        "due_date": "2026-04-30",
        "submit_once": token,
    }
    first = client.post(reverse("expertise:expertise_create"), data)
    second = client.post(reverse("expertise:expertise_create"), data)
    assert first["Location"] == second["Location"]
    assert Expertise.objects.filter(roadmap=roadmap).count() == 1


def test_a_campaign_started_twice_is_started_once(client, world):
    client.force_login(world["users"]["municipal"])
    page = client.get(reverse("monitoring:campaign_create"))
    data = {
        "title": "Мониторинг выполнения программ",
        "municipality": world["home"].pk,
        "template": page.context["form"].initial["template"].pk,
        "period_text": "1 полугодие 2025-2026 учебного года",
        "due_date": "2026-02-15",
        "schools": [world["home_school"].pk],
        "submit_once": _token(page),
    }
    client.post(reverse("monitoring:campaign_create"), data)
    second = client.post(reverse("monitoring:campaign_create"), data, follow=True)
    assert second.status_code == 200
    assert "Эта форма уже отправлена" in second.content.decode()
    assert MonitoringCampaign.objects.filter(municipality=world["home"]).count() == 1


def test_a_recommendation_added_twice_is_added_once(client, world):
    recommendation = home_recommendation(world)
    interview = recommendation.interview
    client.force_login(world["users"]["region"])
    url = reverse("interviews:interview_add_recommendation", args=[interview.pk])
    token = _token(client.get(url))
    data = {"text": "организовать работу с кадровым резервом", "submit_once": token}
    client.post(url, data)
    client.post(url, data)
    assert interview.recommendations.filter(text__contains="кадровым резервом").count() == 1


def test_editing_a_campaign_from_an_older_page_does_not_reopen_it(world, campaign):
    municipal = world["users"]["municipal"]
    page = MonitoringCampaign.objects.get(pk=campaign.pk)  # shown while it was open
    monitoring.set_campaign_status(
        municipal, MonitoringCampaign.objects.get(pk=campaign.pk), "closed"
    )
    monitoring.update_campaign(
        municipal,
        page,
        title="Мониторинг (уточнено)",
        period_text=page.period_text,
        due_date=page.due_date,
        schools=[world["home_school"]],
    )
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED and campaign.title == "Мониторинг (уточнено)"
