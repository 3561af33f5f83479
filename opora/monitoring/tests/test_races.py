"""Concurrent and stale writes of monitoring (issue 9): first saves of one answer, reviews of a
sheet, steps from an older page, a campaign started or edited twice.
"""

# ruff: noqa: F811  (fixtures imported from the modules that define them)

import pytest
from django.urls import reverse

from opora.core.states import StateChanged
from opora.monitoring import services as monitoring
from opora.monitoring.models import (
    CampaignSchool,
    CampaignStatus,
    ChecklistAnswer,
    MonitoringCampaign,
    SheetStatus,
)
from opora.testing.monitoring import items_of, sheet_of
from opora.testing.racing import needs_postgres, race

THREADS = 8


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


def _errors(results):
    return [r for r in results if isinstance(r, Exception)]


def _token(page) -> str:
    import re

    found = re.findall(r'name="submit_once" value="([^"]+)"', page.content.decode())
    assert found, "the form carries no submit_once token"
    return found[0]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_first_saves_of_one_answer_give_one_answer(world, campaign):
    sheet = sheet_of(campaign, world.home_school)
    item = items_of(campaign)[0]
    school = world.users.school
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
    sheet = sheet_of(campaign, world.home_school)
    school, municipal = world.users.school, world.users.municipal
    for item in items_of(campaign):
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


def test_an_answer_from_a_page_shown_before_submitting_is_refused(world, campaign):
    school = world.users.school
    page = sheet_of(campaign, world.home_school)
    for item in items_of(campaign):
        monitoring.save_answer(school, page, item, answer="done")
    monitoring.submit_sheet(school, CampaignSchool.objects.get(pk=page.pk))
    first = items_of(campaign)[0]
    with pytest.raises(StateChanged, match="чек-лист сейчас «отправлен»"):
        monitoring.save_answer(school, page, first, answer="not_done")
    assert ChecklistAnswer.objects.get(sheet=page, item=first).answer == "done"


def test_an_answer_posted_after_submitting_shows_the_message(client, world, campaign):
    school = world.users.school
    sheet = sheet_of(campaign, world.home_school)
    for item in items_of(campaign):
        monitoring.save_answer(school, sheet, item, answer="done")
    monitoring.submit_sheet(school, sheet)
    first = items_of(campaign)[0]
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
    school, municipal = world.users.school, world.users.municipal
    sheet = sheet_of(campaign, world.home_school)
    for item in items_of(campaign):
        monitoring.save_answer(school, sheet, item, answer="done")
    monitoring.submit_sheet(school, sheet)
    page = CampaignSchool.objects.get(pk=sheet.pk)
    monitoring.return_sheet(municipal, CampaignSchool.objects.get(pk=sheet.pk), "Нет ссылок")
    with pytest.raises(StateChanged, match="«возвращён»"):
        monitoring.accept_sheet(municipal, page)
    assert CampaignSchool.objects.get(pk=sheet.pk).status == SheetStatus.RETURNED


def test_closing_a_campaign_twice_shows_the_message(client, world, campaign):
    client.force_login(world.users.municipal)
    url = reverse("monitoring:campaign_status", args=[campaign.pk])
    client.post(url, {"status": "closed"})
    response = client.post(url, {"status": "closed"}, follow=True)
    assert response.status_code == 200
    assert "Состояние уже изменилось: мониторинг сейчас «завершён»" in response.content.decode()
    assert MonitoringCampaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
    assert campaign.history.filter(status=CampaignStatus.CLOSED).count() == 1


def test_a_campaign_started_twice_is_started_once(client, world):
    client.force_login(world.users.municipal)
    page = client.get(reverse("monitoring:campaign_create"))
    data = {
        "title": "Мониторинг выполнения программ",
        "municipality": world.home.pk,
        "template": page.context["form"].initial["template"].pk,
        "period_text": "1 полугодие 2025-2026 учебного года",
        "due_date": "2026-02-15",
        "schools": [world.home_school.pk],
        "submit_once": _token(page),
    }
    client.post(reverse("monitoring:campaign_create"), data)
    second = client.post(reverse("monitoring:campaign_create"), data, follow=True)
    assert second.status_code == 200
    assert "Эта форма уже отправлена" in second.content.decode()
    assert MonitoringCampaign.objects.filter(municipality=world.home).count() == 1


def test_editing_a_campaign_from_an_older_page_does_not_reopen_it(world, campaign):
    municipal = world.users.municipal
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
        schools=[world.home_school],
    )
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED and campaign.title == "Мониторинг (уточнено)"
