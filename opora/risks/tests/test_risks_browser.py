"""A school's risk profile in a real browser: the levels with their reasons, two priority risks
chosen, a measure named for one; the programme's pre-check reports the other."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.registry.models import SchoolPassport
from opora.roadmaps.models import Roadmap, RoadmapEvent

PHONE = {"width": 390, "height": 844}


def test_the_school_chooses_priority_risks_and_the_precheck_flags_one_without_measures(
    transactional_db, world, live_server, page
):
    school = world.home_school
    SchoolPassport.objects.filter(school=school).update(share_special_needs=Decimal("0.18"))
    programme = Roadmap.objects.create(
        level="school",
        school=school,
        title="Программа повышения качества образования",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    RoadmapEvent.objects.create(
        roadmap=programme, order=1, number="1.", text="Проектная неделя для 7–9 классов"
    )

    login(page, live_server, "school")
    page.goto(f"{live_server.url}/risks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Рисковый профиль школы")
    expect(page.get_by_test_id("factor")).to_have_count(12)
    special = page.locator("#factor-" + str(_factor_pk("special_needs")))
    expect(special.get_by_text("высокий", exact=True)).to_be_visible()
    expect(special.get_by_test_id("why")).to_contain_text(
        "Доля обучающихся с ОВЗ — 18 % (паспорт 2026/2027): высокий"
    )
    motivation = page.locator("#factor-" + str(_factor_pk("motivation")))
    expect(motivation.get_by_text("нет данных", exact=True)).to_be_visible()

    motivation.get_by_label("приоритетный").check()
    special.get_by_label("приоритетный").check()
    special.get_by_placeholder("почему выбран приоритетным (необязательно)").fill(
        "18 % детей с ОВЗ"
    )
    page.get_by_test_id("save-priorities").click()
    expect(page.get_by_text("Приоритетные риски сохранены.")).to_be_visible()
    motivation = page.locator("#factor-" + str(_factor_pk("motivation")))
    expect(motivation.get_by_test_id("no-measures")).to_be_visible()
    motivation.get_by_role("button", name="Назвать мерой").click()
    expect(page.get_by_text("Мера добавлена.")).to_be_visible()
    expect(
        page.locator("#factor-" + str(_factor_pk("motivation"))).get_by_test_id("measures")
    ).to_contain_text("Проектная неделя для 7–9 классов")
    shot(page, "risks-profile")
    page.set_viewport_size(PHONE)
    shot(page, "risks-profile-phone")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(f"{live_server.url}/reviews/roadmaps/{programme.pk}/precheck/")
    expect(page.get_by_test_id("precheck-risks")).to_have_text("риски без мер: 1")
    page.get_by_text("Приоритетные риски школы").click()
    rows = page.get_by_test_id("risk-row")
    expect(rows).to_have_count(2)
    expect(
        rows.filter(has_text="Высокая доля обучающихся с ограниченными возможностями здоровья")
    ).to_contain_text("мер в программе нет")
    expect(rows.filter(has_text="Низкая учебная мотивация обучающихся")).to_contain_text(
        "меры: № 1"
    )
    shot(page, "risks-precheck")


def _factor_pk(code: str) -> int:
    from opora.risks.models import RiskFactor

    return RiskFactor.objects.get(code=code).pk
