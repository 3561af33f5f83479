"""Issue 15, «Questionnaires»: the builder, sending to schools, who sees which campaign,
tracking with a reminder, results against the region, the Excel file and the report."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.core.russian.dates import day_text
from opora.documents.models import Document, DocumentKind
from opora.notifications.models import Notification
from opora.surveys import selectors, services
from opora.surveys.models import Audience, Campaign, QuestionKind, SchoolLink
from opora.surveys.synthetic import fill
from opora.testing.factories import SchoolFactory
from opora.testing.surveys import (
    link_of,
    parents_questionnaire,
    questionnaire_of,
    send,
    staff_questionnaire,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


# ---------------------------------------------------------------- the builder


def test_the_region_builds_a_questionnaire_of_every_kind(world):
    q = parents_questionnaire(world.users.region)
    kinds = [question.kind for question in services.questions_of(q)]
    assert kinds == ["scale", "single", "text", "number", "multiple", "matrix"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": QuestionKind.SINGLE, "text": "Да или нет?", "options": "Да"}, "хотя бы два"),
        ({"kind": QuestionKind.MATRIX, "text": "Оцените", "options": "Да\nНет"}, "строка"),
        (
            {"kind": QuestionKind.SCALE, "text": "Оценка", "scale_min": 5, "scale_max": 1},
            "начало меньше",
        ),
        (
            {"kind": QuestionKind.SCALE, "text": "Оценка", "scale_min": 0, "scale_max": 20},
            "не больше 11",
        ),
        ({"kind": QuestionKind.TEXT, "text": "  "}, "текст вопроса"),
    ],
)
def test_a_malformed_question_is_refused_in_russian(world, fields, message):
    region = world.users.region
    q = services.create_questionnaire(region, title="Анкета", audience=Audience.PUPILS)
    with pytest.raises(ValidationError, match=message):
        services.save_question(region, q.sections.get(), **fields)
    assert not services.questions_of(q)


def test_a_condition_names_an_earlier_choice_and_one_of_its_answers(world):
    region = world.users.region
    q = parents_questionnaire(region)
    questions = services.questions_of(q)
    scale, single = questions[0], questions[1]
    section = q.sections.get()
    with pytest.raises(ValidationError, match="только по вопросу с выбором"):
        services.save_question(
            region, section, kind="text", text="Почему?", show_if=scale, show_if_option="1"
        )
    with pytest.raises(ValidationError, match="Выберите ответ"):
        services.save_question(
            region, section, kind="text", text="Почему?", show_if=single, show_if_option="Порой"
        )
    with pytest.raises(ValidationError, match="раньше"):
        services.save_question(
            region, section, question=single, show_if=questions[4], show_if_option="Учитель"
        )


def test_a_sent_questionnaire_is_not_changed_but_copied_with_its_conditions(world):
    region = world.users.region
    q = parents_questionnaire(region)
    send(region, q, [world.home_school])
    section = q.sections.get()
    with pytest.raises(ValidationError, match="уже разослана"):
        services.save_question(region, section, kind="text", text="Ещё вопрос")
    copy = services.copy_questionnaire(region, q)
    questions = services.questions_of(copy)
    assert [x.text for x in questions] == [x.text for x in services.questions_of(q)]
    conditional = next(x for x in questions if x.show_if_id)
    assert conditional.show_if.section.questionnaire == copy
    services.save_question(region, copy.sections.get(), kind="text", text="Ещё вопрос")


def test_only_the_region_builds_and_sends(world):
    for role in ("municipal", "curator", "school", "expert"):
        with pytest.raises(PermissionDenied):
            services.create_questionnaire(world.users[role], title="А", audience="pupils")


def test_the_builder_pages_and_the_preview(client, world):
    region = world.users.region
    client.force_login(region)
    page = client.post(
        reverse("surveys:questionnaire_create"),
        {"title": "Анкета для обучающихся", "audience": "pupils", "description": "Ответь честно."},
    )
    q = services.Questionnaire.objects.get(title="Анкета для обучающихся")
    assert page["Location"] == reverse("surveys:questionnaire_detail", args=[q.pk])
    section = q.sections.get()
    page = client.post(
        reverse("surveys:question_add", args=[section.pk]),
        {"kind": "single", "text": "Интересно ли тебе?", "options": "Да\nНет", "required": "on"},
    )
    assert page.status_code == 302
    parent = services.questions_of(q)[0]
    client.post(
        reverse("surveys:question_add", args=[section.pk]),
        {"kind": "text", "text": "Почему нет?", "show_if": parent.pk, "show_if_option": "Нет"},
    )
    detail = client.get(reverse("surveys:questionnaire_detail", args=[q.pk])).text
    assert "показывается, если на вопрос «Интересно ли тебе?» ответили «Нет»" in detail
    preview = client.get(reverse("surveys:questionnaire_preview", args=[q.pk])).text
    assert "Предпросмотр" in preview and "Почему нет?" in preview
    assert f'data-show-if="q{parent.pk}"' in preview


# ---------------------------------------------------------------- scope


@pytest.fixture
def campaign(world):
    region = world.users.region
    return send(region, parents_questionnaire(region), [world.home_school, world.other_home_school])


def test_who_sees_a_campaign(world, campaign):
    users = world.users
    for role in ("region", "operator", "observer", "municipal", "curator", "school"):
        assert campaign in selectors.campaigns_for(users[role]), role
    foreign_only = send(
        users["region"], parents_questionnaire(users["region"]), [world.foreign_school]
    )
    for role in ("municipal", "curator", "school"):
        assert foreign_only not in selectors.campaigns_for(users[role]), role
        assert not users[role].has_perm("surveys.view_campaign", foreign_only)


def test_a_school_sees_its_own_link_and_not_the_others(client, world, campaign):
    client.force_login(world.users.school)
    page = client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).text
    own = link_of(campaign, world.home_school)
    other = link_of(campaign, world.other_home_school)
    assert own in page and other not in page
    assert world.other_home_school.short_name not in page


# ---------------------------------------------------------------- tracking and reminder


def test_tracking_names_the_schools_without_answers_and_the_reminder_reaches_them(
    client, world, campaign, django_capture_on_commit_callbacks
):
    fill(campaign, {world.home_school.pk: 6})
    client.force_login(world.users.region)
    page = client.get(reverse("surveys:campaign_detail", args=[campaign.pk]))
    rows = {r.target.school: r for r in page.context["rows"]}
    assert rows[world.home_school].responses == 6 and not rows[world.home_school].missing
    assert rows[world.other_home_school].missing
    assert "без ответов — 1 школа" in page.text
    from opora.testing.factories import UserFactory

    other_user = UserFactory(username="other-school", role="school", school=world.other_home_school)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("surveys:campaign_remind", args=[campaign.pk]))
    assert response.status_code == 302
    told = Notification.objects.get(user=other_user)
    assert told.title == "Напоминание: ждём ответов на анкетирование «Анкетирование октября»"
    assert told.body.startswith(f"Анкетирование до {day_text(campaign.ends_on)} Напоминает")
    assert not Notification.objects.filter(user=world.users.school).exists()
    again = client.post(reverse("surveys:campaign_remind", args=[campaign.pk]), follow=True)
    assert "сегодня уже напомнили" in again.text


def test_a_staff_questionnaire_waits_in_the_inbox_until_answered(world):
    region, school_user = world.users.region, world.users.school
    campaign = send(region, staff_questionnaire(region), [world.home_school])
    from opora.surveys.inbox import items_for

    assert [i.title for i in items_for(school_user)] == ["Анкета для педагогов"]
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data[f"q{services.questions_of(questionnaire_of(campaign))[0].pk}"] = "4"
    services.answer_as_staff(school_user, campaign.sendings[0], data, "receipt-inbox-00001")
    assert items_for(school_user) == []


# ---------------------------------------------------------------- results, Excel, report


def test_results_compare_a_school_with_the_region(client, world, campaign):
    fill(campaign, {world.home_school.pk: 10, world.other_home_school.pk: 12})
    client.force_login(world.users.municipal)
    page = client.get(
        reverse("surveys:campaign_results", args=[campaign.pk]), {"school": world.home_school.pk}
    )
    assert page.status_code == 200
    data = page.context["results"]
    assert data.responses == 22 and data.school_responses == 10
    chart = page.context["charts"][0]
    assert chart["school"] is not None and len(chart["labels"]) == 5
    assert "Школы против региона" in page.text


def test_the_results_page_costs_the_same_queries_for_40_and_80_schools(client, world, campaign):
    # Enough answers that every question, the free text too, is shown at both sizes.
    fill(campaign, {world.home_school.pk: 20, world.other_home_school.pk: 20})
    client.force_login(world.users.region)
    url = reverse("surveys:campaign_results", args=[campaign.pk])
    client.get(url)  # sessions, content types and the like are fetched once
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more = [SchoolFactory(municipality=world.home) for _ in range(38)]
    campaign.targets.bulk_create(campaign.targets.model(campaign=campaign, school=s) for s in more)
    fill(campaign, {s.pk: 6 for s in more}, seed=2)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # Twice as many schools again: not one query more (the page reads per question, not per
    # school); against two schools at most the blocks that only show with more answers.
    more = [SchoolFactory(municipality=world.home) for _ in range(40)]
    campaign.targets.bulk_create(campaign.targets.model(campaign=campaign, school=s) for s in more)
    fill(campaign, {s.pk: 6 for s in more}, seed=3)
    with CaptureQueriesContext(connection) as most:
        client.get(url)
    assert len(most) == len(many)
    assert len(many) <= len(few) + 2


def test_the_excel_file_has_the_questions_the_schools_and_the_response(client, world, campaign):
    fill(campaign, {world.home_school.pk: 7, world.other_home_school.pk: 3})
    client.force_login(world.users.region)
    response = client.get(reverse("surveys:campaign_export", args=[campaign.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Ответы по вопросам", "По школам", "Отклик"]
    by_school = {row[0]: row for row in book["По школам"].iter_rows(values_only=True)}
    assert by_school[world.other_home_school.short_name][2] == "скрыто (меньше 5 ответов)"
    assert isinstance(by_school[world.home_school.short_name][2], (int, float))
    assert by_school["Регион"][1] == 10
    client.force_login(world.users.school)
    assert client.get(reverse("surveys:campaign_export", args=[campaign.pk])).status_code == 403


def test_the_analytical_report_is_a_draft_of_the_documents_layer(client, world, campaign):
    fill(campaign, {world.home_school.pk: 8})
    client.force_login(world.users.region)
    response = client.post(reverse("surveys:campaign_report", args=[campaign.pk]))
    document = Document.objects.get(
        kind=DocumentKind.REPORT, title__contains="Анкетирование октября"
    )
    assert response["Location"] == reverse("documents:detail", args=[document.pk])
    assert document.source == campaign and not document.is_fixed
    assert document.title == "Об итогах анкетирования «Анкетирование октября»"
    assert (
        "Анкета направлена в 2 школы, ответы получены из 1; всего заполнено 8 анкет."
        in document.body
    )
    assert (
        f"Не приняли участие в анкетировании: {world.other_home_school.short_name}."
        in document.body
    )
    client.force_login(world.users.municipal)
    assert client.post(reverse("surveys:campaign_report", args=[campaign.pk])).status_code == 302
    assert Document.objects.filter(title__contains="Анкетирование октября").count() == 1


def test_a_campaign_needs_questions_schools_and_a_period(world):
    region = world.users.region
    empty = services.create_questionnaire(region, title="Пустая", audience="pupils")
    with pytest.raises(ValidationError, match="нет ни одного вопроса"):
        send(region, empty, [world.home_school])
    with pytest.raises(ValidationError, match="хотя бы одну школу"):
        send(region, parents_questionnaire(region), [])
    assert not Campaign.objects.exclude(pk=9001).exists()


def test_dates_read_as_words_in_text_and_as_numbers_in_the_lists_table(client, world, campaign):
    """«17 июня 2026 г.» in running text (the campaign's page, the closed link, the refusal),
    dd.mm.yyyy in the dense table of the campaign list — as every other list table does."""
    client.force_login(world.users.region)
    detail = client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).text
    assert f"{day_text(campaign.starts_on)} – {day_text(campaign.ends_on)}" in detail
    listing = client.get(reverse("surveys:campaign_list")).text
    assert f"{campaign.starts_on:%d.%m.%Y} – {campaign.ends_on:%d.%m.%Y}" in listing
    later = send(
        world.users.region,
        parents_questionnaire(world.users.region),
        [world.home_school],
        starts_on=date(2099, 6, 17),
        ends_on=date(2099, 6, 30),
    )
    client.logout()
    closed = client.get(reverse("surveys:answer_by_link", args=[link_of(later)]))
    assert closed.status_code == 410
    assert "ответы принимаются с 17 июня 2099 г. по 30 июня 2099 г." in closed.text
    with pytest.raises(ValidationError, match=r"^\['Анкетирование начнётся 17 июня 2099 г\.'\]$"):
        services.answer_by_link(
            SchoolLink.objects.get(target__campaign=later), QueryDict(), "r" * 24
        )
