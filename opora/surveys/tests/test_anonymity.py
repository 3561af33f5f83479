"""Issue 15, «Personal data and anonymity»: pupils and parents answer through the school's
link without signing in and nothing traces an answer to a person; staff answer signed in and
their school sees them only in aggregate; groups under 5 are hidden.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from opora.surveys import results, services
from opora.surveys.models import Answer, Audience, Participation, Response, SchoolLink
from opora.surveys.synthetic import fill
from opora.testing.surveys import (
    answers_for,
    link_of,
    parents_questionnaire,
    questionnaire_of,
    send,
    staff_questionnaire,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def campaign(world):
    region = world.users.region
    return send(region, parents_questionnaire(region), [world.home_school])


def _link(campaign, school):
    return reverse("surveys:answer_by_link", args=[link_of(campaign, school)])


def _form(client, url) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    receipt = page.context["receipt"]
    return {"receipt": receipt}


def _answer(campaign, **extra):
    return {
        **answers_for(questionnaire_of(campaign), Насколько="4", Бываете="Всегда"),
        **extra,
    }


def test_a_parent_answers_through_the_link_without_signing_in(client, world, campaign):
    url = _link(campaign, world.home_school)
    page = client.get(url)
    assert page.status_code == 200
    assert "Анкета для родителей" in page.text
    assert world.home_school.short_name in page.text
    assert "анонимная" in page.text
    response = client.post(url, {**_form(client, url), **_answer(campaign)})
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks", args=[link_of(campaign)])
    stored = Response.objects.get(campaign=campaign)
    assert (stored.school, stored.audience) == (world.home_school, Audience.PARENTS)
    assert Answer.objects.filter(response=stored).count() == 2


def test_nothing_that_could_name_the_person_is_stored_with_an_answer(client, world, campaign):
    """No user, address, browser or time of day: the tables have no column for them."""
    url = _link(campaign, world.home_school)
    client.post(
        url,
        {**_form(client, url), **_answer(campaign)},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Chrome/130",
    )
    columns = {f.name for f in Response._meta.get_fields()} | {
        f.name for f in Answer._meta.get_fields()
    }
    assert not columns & {"user", "ip", "address", "user_agent", "created_at", "session"}
    assert [f.get_internal_type() for f in Response._meta.fields if f.name == "submitted_on"] == [
        "DateField"
    ]
    row = Response.objects.filter(campaign=campaign).values().get()
    dump = repr(row) + repr(list(Answer.objects.filter(campaign=campaign).values()))
    assert "203.0.113.7" not in dump and "Android" not in dump


def test_one_browser_answers_once(client, world, campaign):
    url = _link(campaign, world.home_school)
    client.post(url, {**_form(client, url), **_answer(campaign)})
    again = client.get(url)
    assert "Вы уже ответили на эту анкету" in again.text
    client.post(url, {"receipt": "another-receipt-0000000", **_answer(campaign)})
    assert Response.objects.filter(campaign=campaign).count() == 1


def test_the_same_form_sent_twice_is_stored_once(client, world, campaign):
    """A double tap or a retried request: the receipt the form was shown with is the key."""
    url = _link(campaign, world.home_school)
    data = {**_form(client, url), **_answer(campaign)}
    other_browser = client.__class__()
    client.post(url, data)
    other_browser.post(url, data)
    assert Response.objects.filter(campaign=campaign).count() == 1


def test_another_browser_answers_again(client, world, campaign):
    url = _link(campaign, world.home_school)
    for _ in range(2):
        browser = client.__class__()
        browser.post(url, {**_form(browser, url), **_answer(campaign)})
    assert Response.objects.filter(campaign=campaign).count() == 2


def test_answers_from_one_address_are_rate_limited(client, world, campaign, settings):
    settings.OPORA_SURVEY_ANSWERS_PER_ADDRESS = 2
    url = _link(campaign, world.home_school)
    codes = []
    for _ in range(3):
        browser = client.__class__()
        codes.append(browser.post(url, {**_form(browser, url), **_answer(campaign)}).status_code)
    assert codes == [302, 302, 429]
    assert Response.objects.filter(campaign=campaign).count() == 2


def test_a_wrong_answer_is_shown_again_with_the_message_and_nothing_is_stored(
    client, world, campaign
):
    url = _link(campaign, world.home_school)
    page = client.post(
        url, {**_form(client, url), **answers_for(questionnaire_of(campaign), Бываете="Никогда")}
    )
    assert page.status_code == 200
    assert "Ответьте на этот вопрос." in page.text
    assert "Проверьте ответы" in page.text
    assert (
        Response.objects.filter(campaign=campaign).count() == 0
        and Answer.objects.filter(campaign=campaign).count() == 0
    )


def test_an_unknown_or_malformed_token_is_not_found(client, world, campaign):
    for token in ("nobody-was-given-this-token-0001", "x", "../../etc/passwd"):
        assert client.get(f"/surveys/a/{token}/").status_code == 404


def test_a_closed_campaign_takes_no_answers(client, world):
    region = world.users.region
    today = timezone.localdate()
    campaign = send(
        region,
        parents_questionnaire(region),
        [world.home_school],
        starts_on=today - timedelta(days=20),
        ends_on=today - timedelta(days=1),
    )
    url = _link(campaign, world.home_school)
    page = client.get(url)
    assert page.status_code == 410
    assert "Анкетирование завершено" in page.text
    assert client.post(url, {"receipt": "r" * 24, **_answer(campaign)}).status_code == 410
    assert Response.objects.filter(campaign=campaign).count() == 0


def test_a_staff_questionnaire_has_no_anonymous_link(client, world):
    region = world.users.region
    campaign = send(region, staff_questionnaire(region), [world.home_school])
    assert not SchoolLink.objects.filter(target__campaign=campaign).exists()


def test_a_teacher_answers_signed_in_once_and_the_answer_is_not_linked_to_them(client, world):
    region, school_user = world.users.region, world.users.school
    campaign = send(region, staff_questionnaire(region), [world.home_school])
    client.force_login(school_user)
    url = reverse("surveys:answer_as_staff", args=[campaign.pk])
    data = {**_form(client, url), **answers_for(questionnaire_of(campaign), Уверенность="2")}
    assert client.post(url, data).status_code == 302
    participation = Participation.objects.get(campaign=campaign)
    assert (participation.user, participation.school) == (school_user, world.home_school)
    assert not {f.name for f in Participation._meta.get_fields()} & {"response", "answers"}
    again = client.get(url, follow=True)
    assert "Вы уже ответили" in again.text
    assert Response.objects.filter(campaign=campaign).count() == 1


def test_the_heads_questionnaire_is_answered_once_per_school(world):
    region = world.users.region
    from opora.testing.factories import UserFactory

    deputy = UserFactory(username="deputy", role="school", school=world.home_school)
    campaign = send(region, staff_questionnaire(region, Audience.HEAD), [world.home_school])
    data = answers_for(questionnaire_of(campaign), Уверенность="3")
    services.answer_as_staff(
        world.users.school, campaign.sendings[0], _qd(data), "receipt-head-000001"
    )
    with pytest.raises(Exception, match="Руководитель этой школы уже ответил"):
        services.answer_as_staff(deputy, campaign.sendings[0], _qd(data), "receipt-head-000002")


def _qd(data):
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    q.update(data)
    return q


def test_groups_under_five_are_hidden_and_five_are_shown(world):
    region = world.users.region
    campaign = send(
        region, parents_questionnaire(region), [world.home_school, world.other_home_school]
    )
    fill(campaign, {world.home_school.pk: 4, world.other_home_school.pk: 5})
    data = results.campaign_results(region, campaign, world.home_school)
    scale = data.questions[0]
    assert (scale.region_n, scale.region_hidden) == (9, False)
    assert (scale.school_n, scale.school_hidden, scale.school_mean) == (4, True, None)
    assert all(o.school is not None for o in scale.options)
    assert data.school_hidden
    rows = {r.school.pk: r for r in data.schools}
    assert rows[world.home_school.pk].hidden
    assert rows[world.home_school.pk].means == [(None, False), (None, False)]
    assert not rows[world.other_home_school.pk].hidden
    shown = results.campaign_results(region, campaign, world.other_home_school)
    assert not shown.questions[0].school_hidden and shown.questions[0].school_mean is not None


def test_a_school_sees_its_teachers_only_in_aggregate(client, world):
    region = world.users.region
    campaign = send(region, staff_questionnaire(region), [world.home_school])
    fill(campaign, {world.home_school.pk: 30})
    texts = list(
        Answer.objects.filter(campaign=campaign).exclude(text="").values_list("text", flat=True)
    )
    assert texts, "the synthetic teachers wrote something"
    client.force_login(world.users.school)
    page = client.get(reverse("surveys:campaign_results", args=[campaign.pk]))
    assert page.status_code == 200
    assert "Среднее по региону" in page.text
    assert not any(t in page.text for t in texts)
    assert "ответы педагогов школа видит только в обобщённом виде" in page.text
    client.force_login(region)
    page = client.get(reverse("surveys:campaign_results", args=[campaign.pk]))
    assert any(t in page.text for t in texts)


def test_the_results_page_never_lists_one_response(client, world):
    region = world.users.region
    campaign = send(region, parents_questionnaire(region), [world.home_school])
    fill(campaign, {world.home_school.pk: 3})
    client.force_login(region)
    page = client.get(reverse("surveys:campaign_results", args=[campaign.pk]))
    assert page.text.count('data-testid="hidden"') == len(page.context["results"].questions)
