"""Issue 15, «staff answer signed in»: a teacher (the role «Педагог») answers the teachers'
questionnaire of their school signed in, finds it waiting in «Ждут меня», answers once, and
sees nothing else of the campaign; the head sees the teachers only in aggregate.
"""

from __future__ import annotations

from django.urls import reverse

from opora.core import contributions
from opora.surveys import results, selectors
from opora.surveys.models import Audience, Participation, Response
from opora.testing.surveys import answers_for, questionnaire_of, send, staff_questionnaire


def _receipt(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return page.context["receipt"]


def test_a_teacher_finds_the_teachers_questionnaire_waiting_and_answers_it_once(client, world):
    region, teacher = world.users.region, world.users.teacher
    campaign = send(region, staff_questionnaire(region), [world.home_school])

    waiting = [i for i in contributions.inbox_for(teacher) if i.kind == "Анкета ждёт ответа"]
    assert [i.url for i in waiting] == [
        reverse("surveys:answer_as_staff", args=[campaign.pk, "teachers"])
    ]

    client.force_login(teacher)
    listing = client.get(reverse("surveys:campaign_list"))
    assert campaign.title in listing.text and "Ответить" in listing.text
    url = reverse("surveys:answer_as_staff", args=[campaign.pk, "teachers"])
    data = {"receipt": _receipt(client, url)}
    data |= answers_for(questionnaire_of(campaign), Уверенность="4")
    answered = client.post(url, data)
    assert answered.status_code == 302 and answered.url == reverse("surveys:campaign_list")

    participation = Participation.objects.get(campaign=campaign)
    assert (participation.user, participation.audience) == (teacher, Audience.TEACHERS)
    assert Response.objects.filter(campaign=campaign, audience=Audience.TEACHERS).count() == 1
    assert selectors.waiting_for(teacher) == []
    again = client.post(url, {**data, "receipt": "another-receipt-00001"}, follow=True)
    assert "Вы уже ответили" in again.text
    assert Response.objects.filter(campaign=campaign).count() == 1
    assert "вы ответили" in client.get(reverse("surveys:campaign_list")).text


def test_a_teacher_is_not_waited_for_by_the_heads_questionnaire_nor_another_school(client, world):
    region, teacher = world.users.region, world.users.teacher
    heads = send(region, staff_questionnaire(region, Audience.HEAD), [world.home_school])
    elsewhere = send(region, staff_questionnaire(region), [world.other_home_school])
    assert selectors.waiting_for(teacher) == []
    client.force_login(teacher)
    for campaign in (heads, elsewhere):
        assert client.get(
            reverse("surveys:answer_as_staff", args=[campaign.pk, "teachers"])
        ).status_code in (
            403,
            404,
        )
    assert heads.title not in client.get(reverse("surveys:campaign_list")).text


def test_a_teacher_sees_neither_results_nor_progress_nor_the_builder(client, world):
    region, teacher = world.users.region, world.users.teacher
    campaign = send(region, staff_questionnaire(region), [world.home_school])
    client.force_login(teacher)
    assert client.get(reverse("surveys:campaign_results", args=[campaign.pk])).status_code == 403
    assert client.get(reverse("surveys:campaign_export", args=[campaign.pk])).status_code in (
        403,
        302,
    )
    detail = client.get(reverse("surveys:campaign_detail", args=[campaign.pk]))
    assert detail.status_code == 302
    assert detail.url == reverse("surveys:answer_as_staff", args=[campaign.pk, "teachers"])
    assert not teacher.has_perm("surveys.view_questionnaire")


def test_the_head_sees_the_teachers_in_aggregate_and_not_under_five(client, world):
    region, teacher, head = world.users.region, world.users.teacher, world.users.school
    campaign = send(region, staff_questionnaire(region), [world.home_school])
    client.force_login(teacher)
    url = reverse("surveys:answer_as_staff", args=[campaign.pk, "teachers"])
    data = {"receipt": _receipt(client, url)}
    data |= answers_for(questionnaire_of(campaign), Уверенность="2", Какая="Курсы по ФГОС")
    assert client.post(url, data).status_code == 302

    data = results.campaign_results(head, campaign, world.home_school)
    scale, text = data.questions
    assert (scale.school_n, scale.school_hidden, scale.school_mean) == (1, True, None)
    assert data.texts_withheld and text.texts == []
    client.force_login(head)
    page = client.get(reverse("surveys:campaign_results", args=[campaign.pk]))
    assert page.status_code == 200 and "Курсы по ФГОС" not in page.text
