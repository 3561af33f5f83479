"""Questionnaires in a real browser: the region builds a questionnaire with a condition,
previews it and sends it to schools; a parent answers through the school's link on a phone;
a teacher answers signed in, from «Ждут меня».
Screenshots of each step go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.surveys.models import Answer, Campaign, Response
from opora.testing.surveys import link_of, parents_questionnaire, send, staff_questionnaire

PHONE = {"width": 390, "height": 844}


def test_the_region_builds_a_questionnaire_and_sends_it(transactional_db, world, live_server, page):
    login(page, live_server, "region")
    page.goto(f"{live_server.url}/surveys/")
    page.get_by_test_id("builder").click()
    page.get_by_test_id("questionnaire-create").click()
    page.get_by_label("Название").fill("Анкета для обучающихся 7–9 классов")
    page.get_by_label("Кому адресована").select_option(label="обучающиеся")
    page.get_by_label("Обращение к респонденту").fill("Анкета анонимная. Ответь честно.")
    page.get_by_test_id("questionnaire-save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Анкета для обучающихся 7–9 классов")

    page.get_by_test_id("question-add").click()
    page.get_by_label("Вид вопроса").select_option(label="один вариант")
    expect(page.get_by_label("Строки матрицы (каждая с новой строки)")).to_be_hidden()
    page.get_by_label(re.compile(r"^Вопрос( \*)?$")).fill("Как часто шум мешает учиться?")
    page.get_by_label("Варианты ответа (каждый с новой строки)").fill("Никогда\nИногда\nЧасто")
    page.get_by_label("Код для правил рисков").fill("discipline")
    page.get_by_test_id("question-save").click()
    expect(page.get_by_test_id("question")).to_have_count(1)

    page.get_by_test_id("question-add").click()
    page.get_by_label("Вид вопроса").select_option(label="текст")
    expect(page.get_by_label("Варианты ответа (каждый с новой строки)")).to_be_hidden()
    page.get_by_label(re.compile(r"^Вопрос( \*)?$")).fill("Что мешает больше всего?")
    page.get_by_label("Показывать только если на вопрос").select_option(
        label="Как часто шум мешает учиться?"
    )
    page.get_by_label("Ответили").fill("Часто")
    page.get_by_test_id("question-save").click()
    expect(page.get_by_test_id("condition")).to_have_text(
        re.compile(
            "показывается, если на вопрос «Как часто шум мешает учиться\\?» ответили «Часто»"
        )
    )
    shot(page, "surveys-builder")

    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("preview-banner")).to_be_visible()
    expect(page.get_by_text("Что мешает больше всего?").first).to_be_hidden()
    page.get_by_role("radio", name="Часто", exact=True).check()
    expect(page.get_by_text("Что мешает больше всего?").first).to_be_visible()
    expect(page.get_by_test_id("answer-send")).to_be_disabled()
    shot(page, "surveys-preview")

    page.get_by_role("link", name="К конструктору").click()
    page.get_by_test_id("send").click()
    choices = page.get_by_test_id("school-choices")
    expect(choices.get_by_label(re.compile("Вертикосская"))).to_be_checked()  # listed this year
    choices.get_by_label(re.compile("Новоюгинская")).check()
    for foreign in choices.get_by_label(re.compile("Чужая")).all():  # the test world's others
        foreign.uncheck()
    shot(page, "surveys-send")
    page.get_by_test_id("campaign-save").click()
    expect(page.get_by_text("Анкетирование разослано: 2 школы.")).to_be_visible()
    expect(page.get_by_test_id("tracking").locator("tbody tr")).to_have_count(2)
    campaign = Campaign.objects.exclude(pk=9001).get()
    assert set(campaign.targets.values_list("school__code", flat=True)) == {"700901", "700902"}
    shot(page, "surveys-campaign")


def test_a_parent_answers_through_the_link_on_a_phone(transactional_db, world, live_server, page):
    region = world.users.region
    campaign = send(region, parents_questionnaire(region), [world.home_school])
    token = link_of(campaign)

    # The school copies its link for the parents.
    login(page, live_server, "school")
    page.goto(f"{live_server.url}/surveys/campaigns/{campaign.pk}/")
    expect(page.get_by_test_id("own-link").get_by_role("textbox")).to_have_value(
        re.compile(f"/surveys/a/{token}/$")
    )
    page.get_by_role("button", name="Выйти").click()

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/surveys/a/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Анкета для родителей")
    expect(page.get_by_test_id("whoami")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing runs off a phone's screen"
    shot(page, "surveys-answer-phone")

    page.get_by_test_id("answer-send").click()  # nothing answered yet
    expect(page.get_by_test_id("question-error").first).to_have_text("Ответьте на этот вопрос.")
    page.locator("label.scale-point", has_text="4").click()
    page.get_by_label("Никогда").check()
    page.get_by_label("Что мешает приходить?").fill("Работаю допоздна")
    page.get_by_label("Учитель").check()
    page.get_by_label("Кружки").check()
    page.get_by_label("Минут на уроки в день").fill("40")
    matrix = page.get_by_role("radiogroup", name="питанием")
    matrix.get_by_text("Да").click()
    page.get_by_role("radiogroup", name="безопасностью").get_by_text("Нет").click()
    shot(page, "surveys-answer-phone-filled")
    page.get_by_test_id("answer-send").click()
    expect(page.get_by_test_id("thanks")).to_contain_text("Спасибо! Ответы сохранены")
    shot(page, "surveys-answer-phone-thanks")

    response = Response.objects.get(campaign=campaign)
    answers = {
        (a.question.text, a.row, a.option or a.text or str(a.number))
        for a in Answer.objects.filter(campaign=campaign)
    }
    assert ("Что мешает приходить?", 0, "Работаю допоздна") in answers
    assert ("Довольны ли вы:", 1, "Нет") in answers
    assert response.school == world.home_school

    page.goto(f"{live_server.url}/surveys/a/{token}/")
    expect(page.get_by_test_id("thanks")).to_contain_text("Вы уже ответили на эту анкету")


def test_a_teacher_answers_signed_in_from_the_inbox(transactional_db, world, live_server, page):
    region = world.users.region
    campaign = send(region, staff_questionnaire(region), [world.home_school])

    login(page, live_server, "teacher")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_role("link", name="Анкета для педагогов").click()
    expect(page).to_have_url(re.compile(rf"/surveys/campaigns/{campaign.pk}/answer/teachers/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Анкета для педагогов")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing runs off a phone's screen"
    page.locator("label.scale-point", has_text="4").click()
    page.get_by_label("Какая помощь нужна?").fill("Курсы по работе с одарёнными")
    shot(page, "surveys-teacher-answer-phone")
    page.get_by_test_id("answer-send").click()
    expect(page.get_by_text("Спасибо! Ответы сохранены.")).to_be_visible()
    expect(page.get_by_test_id("campaigns")).to_contain_text("вы ответили")
    shot(page, "surveys-teacher-answered-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    shot(page, "surveys-teacher-answered")
    assert Response.objects.filter(campaign=campaign).count() == 1

    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_role("link", name="Анкета для педагогов")).to_have_count(0)
