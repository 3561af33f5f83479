"""One campaign for several audiences, in a real browser: the region sends the parents'
questionnaire to parents and pupils and the teachers' one to teachers in one go; the school
hands out a link per audience; the region reads the results of one audience and of all, and
downloads the Excel file of the audience it reads. Dates in running text read «17 июня 2026 г.».
Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.core.russian.dates import day_text
from opora.surveys.models import Campaign, SchoolLink
from opora.surveys.synthetic import fill
from opora.testing.surveys import parents_questionnaire, staff_questionnaire


def test_the_region_asks_families_and_teachers_in_one_campaign(
    transactional_db, world, live_server, page
):
    region = world.users.region
    parents = parents_questionnaire(region)
    staff_questionnaire(region)

    login(page, live_server, "region")
    page.goto(f"{live_server.url}/surveys/questionnaires/{parents.pk}/send/")
    page.get_by_label("Название").fill("Семьи и педагоги ШНОР")
    also = page.get_by_test_id("also-audiences")
    also.get_by_label("обучающиеся").select_option(label="Анкета для родителей (для: родители)")
    also.get_by_label("педагоги").select_option(label="Анкета для педагогов (для: педагоги)")
    choices = page.get_by_test_id("school-choices")
    for foreign in choices.get_by_label(re.compile("Чужая")).all():
        foreign.uncheck()
    shot(page, "surveys-audiences-send")
    page.get_by_test_id("campaign-save").click()
    expect(page.get_by_text("Анкетирование разослано: 1 школа.")).to_be_visible()
    campaign = Campaign.objects.get(title="Семьи и педагоги ШНОР")
    expect(page.get_by_test_id("audiences").locator("li")).to_have_count(3)
    expect(page.get_by_test_id("tracking-audience")).to_have_text(
        [
            re.compile("^Педагоги: ответов"),
            re.compile("^Обучающиеся: ответов"),
            re.compile("^Родители: ответов"),
        ]
    )
    expect(page.get_by_text(day_text(campaign.ends_on)).first).to_be_visible()
    shot(page, "surveys-audiences-campaign")

    page.goto(f"{live_server.url}/surveys/")
    row = page.get_by_test_id("campaigns").locator("tr", has_text="Семьи и педагоги ШНОР")
    expect(row).to_contain_text("педагоги, обучающиеся, родители")

    fill(campaign, {world.home_school.pk: 6}, audience="pupils", seed=1)
    fill(campaign, {world.home_school.pk: 8}, audience="parents", seed=2)
    page.goto(f"{live_server.url}/surveys/campaigns/{campaign.pk}/results/")
    switch = page.get_by_test_id("audience-switch")
    expect(switch.get_by_role("link", name="Все адресаты вместе")).to_have_class(
        re.compile("active")
    )
    expect(page.get_by_test_id("part")).to_have_count(2)
    expect(page.get_by_text("всего 14 ответов")).to_be_visible()
    switch.get_by_role("link", name="Обучающиеся").click()
    expect(page.get_by_text("всего 6 ответов")).to_be_visible()
    expect(page.get_by_test_id("part")).to_have_count(0)
    expect(page.get_by_test_id("export")).to_have_attribute(
        "href", re.compile(r"results\.xlsx\?audience=pupils$")
    )
    shot(page, "surveys-audiences-results-pupils")
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    assert download.value.suggested_filename == f"anketirovanie-{campaign.pk}-pupils.xlsx"
    page.get_by_role("button", name="Выйти").click()

    login(page, live_server, "school")
    page.goto(f"{live_server.url}/surveys/campaigns/{campaign.pk}/")
    links = page.get_by_test_id("own-link")
    expect(links).to_have_count(2)
    for audience, whom in (("pupils", "учеников"), ("parents", "родителей")):
        token = SchoolLink.objects.get(target__campaign=campaign, audience=audience).token
        expect(links.filter(has_text=f"Ссылка для {whom}").get_by_role("textbox")).to_have_value(
            re.compile(f"/surveys/a/{token}/$")
        )
    shot(page, "surveys-audiences-school-links")
