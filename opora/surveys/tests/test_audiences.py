"""One campaign asks several audiences: pupils and parents with one shared questionnaire, the
teachers with their own. Each school gets a link per anonymous audience, staff answer signed
in; results, tracking and the Excel file read one audience or all of them together, and the
running totals keep the audiences apart.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.surveys import results, selectors, services, tallies
from opora.surveys.models import (
    Answer,
    Audience,
    Campaign,
    Participation,
    Response,
    SchoolLink,
    Tally,
)
from opora.surveys.synthetic import fill
from opora.testing.factories import SchoolFactory
from opora.testing.surveys import (
    answers_for,
    link_of,
    parents_questionnaire,
    send,
    staff_questionnaire,
)

KEY = ("school_id", "audience", "question_id", "row", "option", "n", "total")


@pytest.fixture
def asked(world):
    """Parents and pupils (one questionnaire), teachers (another), two schools."""
    region = world.users.region
    shared = parents_questionnaire(region)
    campaign = send(
        region,
        shared,
        [world.home_school, world.other_home_school],
        title="Анкетирование ШНОР: семьи и педагоги",
        also={Audience.PUPILS: shared, Audience.TEACHERS: staff_questionnaire(region)},
    )
    return campaign, shared


def _form(client, url) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    return {"receipt": page.context["receipt"]}


def test_one_campaign_asks_several_audiences_each_school_with_a_link_per_anonymous_one(
    world, asked
):
    campaign, shared = asked
    assert [a.audience for a in campaign.sendings] == ["teachers", "pupils", "parents"]
    assert campaign.sending("pupils").questionnaire == campaign.sending("parents").questionnaire
    assert campaign.sending("teachers").questionnaire.title == "Анкета для педагогов"
    assert campaign.questionnaires == [campaign.sending("teachers").questionnaire, shared]
    assert campaign.audience_names == "педагоги, обучающиеся, родители"
    links = SchoolLink.objects.filter(target__campaign=campaign)
    assert sorted(links.values_list("target__school__short_name", "audience")) == sorted(
        (s.short_name, a)
        for s in (world.home_school, world.other_home_school)
        for a in (Audience.PUPILS, Audience.PARENTS)
    )
    assert len(set(links.values_list("token", flat=True))) == 4


def test_a_pupil_and_a_parent_answer_through_their_own_links_and_are_counted_apart(
    client, world, asked
):
    campaign, shared = asked
    for audience, scale in ((Audience.PUPILS, "2"), (Audience.PARENTS, "5")):
        url = reverse(
            "surveys:answer_by_link", args=[link_of(campaign, world.home_school, audience)]
        )
        data = {**_form(client, url), **answers_for(shared, Насколько=scale, Бываете="Всегда")}
        assert client.post(url, data).status_code == 302
        client.cookies.clear()
    responses = Response.objects.filter(campaign=campaign)
    assert sorted(responses.values_list("audience", flat=True)) == ["parents", "pupils"]
    assert set(Answer.objects.filter(campaign=campaign).values_list("audience", flat=True)) == {
        "parents",
        "pupils",
    }
    counted = sorted(Tally.objects.filter(campaign=campaign).values_list(*KEY))
    tallies.rebuild(campaign)
    assert sorted(Tally.objects.filter(campaign=campaign).values_list(*KEY)) == counted
    scale = services.questions_of(shared)[0]
    region = world.users.region
    assert results.campaign_results(region, campaign, audience="pupils").questions[0].region_n == 1
    together = results.campaign_results(region, campaign)
    assert together.parts[1].questions[0].region_n == 2 and together.responses == 2
    pupils = Tally.objects.get(campaign=campaign, audience="pupils", question=scale, row=-1)
    assert (pupils.n, pupils.total) == (1, 2)


def test_the_browser_that_answered_as_a_pupil_may_still_answer_as_a_parent(client, world, asked):
    campaign, shared = asked
    pupils = reverse(
        "surveys:answer_by_link", args=[link_of(campaign, world.home_school, "pupils")]
    )
    parents = reverse(
        "surveys:answer_by_link", args=[link_of(campaign, world.home_school, "parents")]
    )
    data = answers_for(shared, Насколько="3", Бываете="Всегда")
    assert client.post(pupils, {**_form(client, pupils), **data}).status_code == 302
    assert client.get(pupils).context["again"] is True
    assert client.post(parents, {**_form(client, parents), **data}).status_code == 302


def test_a_teacher_answers_the_teachers_questionnaire_of_the_campaign_signed_in(
    client, world, asked
):
    campaign, _shared = asked
    teacher = world.users.teacher
    [waiting] = selectors.waiting_for(teacher)
    assert (waiting.campaign, waiting.audience) == (campaign, Audience.TEACHERS)
    client.force_login(teacher)
    url = reverse("surveys:answer_as_staff", args=[campaign.pk, "teachers"])
    data = {**_form(client, url), **answers_for(waiting.questionnaire, Уверенность="4")}
    assert client.post(url, data).status_code == 302
    assert Participation.objects.get(campaign=campaign).audience == Audience.TEACHERS
    assert Response.objects.get(campaign=campaign).audience == Audience.TEACHERS
    assert selectors.waiting_for(teacher) == []
    # Neither the parents' questionnaire nor an audience the campaign does not ask.
    assert (
        client.get(reverse("surveys:answer_as_staff", args=[campaign.pk, "parents"])).status_code
        == 403
    )
    assert (
        client.get(reverse("surveys:answer_as_staff", args=[campaign.pk, "head"])).status_code
        == 403
    )


def test_tracking_counts_each_audience_of_each_school(client, world, asked):
    campaign, _shared = asked
    fill(campaign, {world.home_school.pk: 6}, audience="pupils")
    fill(campaign, {world.home_school.pk: 3, world.other_home_school.pk: 2}, audience="parents")
    rows = {r.target.school: r for r in selectors.tracking(world.users.region, campaign)}
    home = {c.sending.audience: c.responses for c in rows[world.home_school].cells}
    assert home == {"teachers": 0, "pupils": 6, "parents": 3}
    assert rows[world.home_school].responses == 9 and rows[world.home_school].missing
    client.force_login(world.users.region)
    page = client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).text
    assert page.count('data-testid="tracking-audience"') == 3


def test_results_read_one_audience_or_all_together(client, world, asked):
    campaign, shared = asked
    fill(campaign, {world.home_school.pk: 6}, audience="pupils", seed=1)
    fill(campaign, {world.home_school.pk: 7}, audience="parents", seed=2)
    fill(campaign, {world.home_school.pk: 5}, audience="teachers", seed=3)
    region = world.users.region
    pupils = results.campaign_results(region, campaign, audience="pupils")
    parents = results.campaign_results(region, campaign, audience="parents")
    together = results.campaign_results(region, campaign)
    assert (pupils.responses, parents.responses, together.responses) == (6, 7, 18)
    assert [p.audiences for p in together.parts] == ["педагоги", "обучающиеся, родители"]
    assert together.questions[2].number == "2.1.1"  # the first question of the shared one
    assert together.questions[2].region_n == 13
    assert [p.audiences for p in pupils.parts] == ["обучающиеся"]
    client.force_login(region)
    url = reverse("surveys:campaign_results", args=[campaign.pk])
    page = client.get(url, {"audience": "parents"})
    assert page.context["results"].audience == "parents"
    assert 'data-testid="audience-switch"' in page.text
    assert client.get(url, {"audience": "nobody"}).context["results"].audience == ""


def test_a_school_reads_its_teachers_only_in_aggregate_also_in_a_shared_campaign(world, asked):
    campaign, _shared = asked
    fill(campaign, {world.home_school.pk: 6}, audience="teachers")
    fill(campaign, {world.home_school.pk: 120}, audience="parents")
    school = world.users.school
    mine = results.campaign_results(school, campaign, world.home_school)
    assert mine.texts_withheld
    teachers_text = next(q for q in mine.parts[0].questions if q.question.is_text)
    assert teachers_text.texts == []
    parents_texts = [q for q in mine.parts[1].questions if q.question.is_text and q.texts]
    assert parents_texts  # the parents' texts, a group of at least 5, are shown


def test_the_results_page_costs_the_same_queries_for_more_schools(client, world, asked):
    campaign, _shared = asked
    for audience in ("pupils", "parents", "teachers"):
        fill(
            campaign, {world.home_school.pk: 20, world.other_home_school.pk: 20}, audience=audience
        )
    client.force_login(world.users.region)
    url = reverse("surveys:campaign_results", args=[campaign.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more = [SchoolFactory(municipality=world.home) for _ in range(30)]
    campaign.targets.bulk_create(campaign.targets.model(campaign=campaign, school=s) for s in more)
    for audience in ("pupils", "parents", "teachers"):
        fill(campaign, {s.pk: 6 for s in more}, audience=audience, seed=7)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"audience": "pupils"})
    assert len(one) <= len(few)


def test_the_excel_file_of_one_audience_and_of_all(client, world, asked):
    campaign, _shared = asked
    fill(campaign, {world.home_school.pk: 6}, audience="pupils")
    fill(campaign, {world.home_school.pk: 7}, audience="parents")
    client.force_login(world.users.region)
    url = reverse("surveys:campaign_export", args=[campaign.pk])
    pupils = client.get(url, {"audience": "pupils"})
    assert pupils["Content-Disposition"].endswith(f'anketirovanie-{campaign.pk}-pupils.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(pupils.content))
    assert "обучающиеся — анкета «Анкета для родителей»" in book["Ответы по вопросам"]["A2"].value
    assert book["По школам"]["B2"].value == 6
    tracking = list(book["Отклик"].iter_rows(min_row=2, values_only=True))
    assert {row[2] for row in tracking} == {"обучающиеся"}
    every = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    assert every["По школам"]["B2"].value == 13
    assert {row[2] for row in every["Отклик"].iter_rows(min_row=2, values_only=True)} == {
        "педагоги",
        "обучающиеся",
        "родители",
    }


def test_the_region_sends_several_audiences_from_the_form(client, world):
    region = world.users.region
    parents = parents_questionnaire(region)
    teachers = staff_questionnaire(region)
    client.force_login(region)
    url = reverse("surveys:campaign_create", args=[parents.pk])
    page = client.get(url)
    assert {"also_head", "also_teachers", "also_pupils"} <= set(page.context["form"].fields)
    assert "also_parents" not in page.context["form"].fields
    response = client.post(
        url,
        {
            "title": "Семьи и педагоги",
            "starts_on": "2026-10-01",
            "ends_on": "2026-10-20",
            "schools": [world.home_school.pk],
            "also_pupils": parents.pk,
            "also_teachers": teachers.pk,
            "also_head": "",
        },
    )
    campaign = Campaign.objects.get(title="Семьи и педагоги")
    assert response["Location"] == reverse("surveys:campaign_detail", args=[campaign.pk])
    assert [a.audience for a in campaign.sendings] == ["teachers", "pupils", "parents"]


def test_an_audience_is_asked_with_one_questionnaire_that_has_questions(world):
    region = world.users.region
    parents = parents_questionnaire(region)
    empty = services.create_questionnaire(region, title="Пустая", audience="pupils")
    with pytest.raises(ValidationError, match="«Пустая» нет ни одного вопроса"):
        send(region, parents, [world.home_school], also={Audience.PUPILS: empty})
    with pytest.raises(ValidationError, match="две разные анкеты"):
        send(
            region,
            parents,
            [world.home_school],
            also={Audience.PARENTS: staff_questionnaire(region)},
        )
    assert not Campaign.objects.exclude(pk=9001).exists()


def test_the_heads_questionnaire_read_together_with_others_is_still_the_schools_answer(world):
    region = world.users.region
    campaign = send(
        region,
        staff_questionnaire(region, Audience.HEAD),
        [world.home_school],
        also={Audience.TEACHERS: staff_questionnaire(region)},
    )
    fill(campaign, {world.home_school.pk: 1}, audience="head")
    fill(campaign, {world.home_school.pk: 3}, audience="teachers", seed=2)
    together = results.campaign_results(region, campaign)
    head, teachers = together.parts
    assert (head.audiences, teachers.audiences) == ("руководитель школы", "педагоги")
    assert not head.questions[0].region_hidden  # one answer per school: shown
    assert teachers.questions[0].region_hidden  # three teachers: under five, hidden
