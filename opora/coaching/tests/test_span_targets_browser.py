"""A curator's target across several municipalities, in a real browser: the curator names two
of his three municipalities for «4 методических выезда», and the plans page counts only the
visits held there; the region sees the same. Screenshots at desktop and phone width."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.coaching import services
from opora.coaching.models import VisitKind
from opora.core.calendar import current_year
from opora.people.models import CuratorAssignment
from opora.testing.factories import MunicipalityFactory

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _held(user, plan, school=None):
    day = date(current_year(), 3, 12)
    visit = services.plan_visit(
        user, plan, kind=VisitKind.METHODICAL, planned_on=day, school=school
    )
    services.report_visit(
        user, visit, held_on=day, findings="Посетили уроки.", recommendations_text=[]
    )


def test_a_curator_sets_a_target_in_two_named_districts(transactional_db, world, live_server, page):
    curator = world.users.curator
    others = [
        MunicipalityFactory(region=world.home.region, name=name)
        for name in ("Парабельский район", "Колпашевский район")
    ]
    for m in others:
        CuratorAssignment.objects.create(
            person_id=curator.person_id, year=current_year(), municipality=m
        )
    home = services.create_plan(curator, world.home)
    kolpashevo = services.create_plan(curator, others[1])
    _held(curator, home, world.home_school)
    _held(curator, kolpashevo)  # not named by the target: not counted

    page.set_viewport_size(DESKTOP)
    login(page, live_server, "curator")
    page.goto(f"{live_server.url}/coaching/plans/")
    form = page.get_by_test_id("span-form")
    form.get_by_label("Вид работы").select_option(label="методический выезд")
    form.get_by_label("Сколько").fill("4")
    form.get_by_label("Каргасокский район").check()
    form.get_by_label("Парабельский район").check()
    form.get_by_label("Уточнение").fill("по графику управления образования")
    form.get_by_role("button", name="Добавить цель").click()
    expect(page.get_by_text("Цель по нескольким муниципалитетам сохранена.")).to_be_visible()
    row = page.get_by_test_id("span-row")
    expect(row).to_contain_text("Методический выезд: 1 из 4")
    expect(row).to_contain_text("Каргасокский район, Парабельский район")
    shot(page, "coaching-span-target")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing runs off a phone's screen"
    shot(page, "coaching-span-target-phone")
    page.set_viewport_size(DESKTOP)

    form = page.get_by_test_id("span-form")
    form.get_by_label("Каргасокский район").check()
    form.get_by_role("button", name="Добавить цель").click()
    expect(page.get_by_text("Назовите хотя бы два муниципалитета")).to_be_visible()
    expect(page.get_by_test_id("span-row")).to_have_count(1)

    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    login(page, live_server, "region")
    page.goto(f"{live_server.url}/coaching/plans/")
    mine = page.get_by_test_id("span-row").filter(has_text="Кураторова")
    expect(mine).to_contain_text("1 из 4")
    expect(page.get_by_test_id("span-form")).to_have_count(0)
    shot(page, "coaching-span-target-region")
