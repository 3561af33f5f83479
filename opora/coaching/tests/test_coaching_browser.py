"""Coaching in a real browser: a curator plans a methodical visit and reports it, and its
recommendation reaches the school's «Ждут меня»; the school completes its self-analysis and
the curator comments on it. Screenshots at desktop and phone width."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from opora.browser_fixtures import login, shot

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _logout(page):
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def _both_widths(page, name: str) -> None:
    shot(page, name)
    page.set_viewport_size(PHONE)
    shot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def test_a_curators_visit_reaches_the_school_and_the_curator_comments_its_self_analysis(
    transactional_db, world, live_server, page
):
    page.set_viewport_size(DESKTOP)
    login(page, live_server, "curator")
    page.goto(f"{live_server.url}/coaching/plans/")
    expect(page.get_by_test_id("no-plans")).to_be_visible()
    form = page.get_by_test_id("plan-new")
    form.get_by_label("Муниципалитет").select_option(label="Каргасокский район")
    form.get_by_label("Методических выездов").fill("4")
    form.get_by_role("button", name="Создать план").click()
    expect(page.get_by_text("План работы создан.")).to_be_visible()
    expect(page.get_by_test_id("targets")).to_contain_text("Выездная проектная сессия0 из 3")

    visit_form = page.get_by_test_id("visit-form")
    visit_form.get_by_label("Вид").select_option(label="методический выезд")
    visit_form.get_by_label("Дата").fill("2026-03-12")
    visit_form.get_by_label("Школа").select_option(label="МКОУ «Вертикосская СОШ»")
    visit_form.get_by_label("Тема").fill("Посещение уроков математики")
    visit_form.get_by_role("button", name="Запланировать").click()
    expect(page.get_by_text("Выезд запланирован.")).to_be_visible()
    _both_widths(page, "coaching-plan")

    page.get_by_test_id("visit-row").get_by_role("link").click()
    report = page.get_by_test_id("visit-report")
    report.get_by_label("Что увидели").fill("На уроках нет дифференцированных заданий.")
    report.get_by_label("Рекомендации школе").fill(
        "Организовать взаимопосещение уроков учителями математики"
    )
    report.get_by_label("Срок выполнения рекомендаций").fill("2026-12-25")
    report.get_by_role("button", name="Сохранить отчёт").click()
    expect(page.get_by_text("Отчёт о выезде сохранён.")).to_be_visible()
    expect(page.get_by_test_id("visit-status")).to_have_text("проведён 12 марта 2026 г.")
    expect(page.get_by_test_id("visit-recommendations")).to_contain_text(
        "Организовать взаимопосещение уроков учителями математики"
    )
    _both_widths(page, "coaching-visit")
    _logout(page)

    login(page, live_server, "school")
    page.goto(f"{live_server.url}/inbox/")
    item = page.get_by_role("link", name=re.compile("Организовать взаимопосещение уроков"))
    expect(item).to_be_visible()
    expect(page.get_by_text("Завершить самоанализ школы 2026 года")).to_be_visible()
    shot(page, "coaching-school-inbox")
    item.click()
    expect(page.get_by_test_id("given-at")).to_have_text(
        "методический выезд куратора, 12 марта 2026 года"
    )

    page.goto(f"{live_server.url}/coaching/self-analysis/")
    page.get_by_role("button", name="Начать самоанализ").click()
    ratings = page.get_by_test_id("rating")
    expect(ratings).to_have_count(11)
    for i in range(11):
        row = ratings.nth(i)
        row.get_by_label("Уровень").select_option(label="сформирован частично")
        row.get_by_label("Обоснование").fill("Есть отдельные примеры, системы нет.")
    ratings.nth(5).get_by_label("приоритет на этот год").check()
    page.get_by_label("Внутренние причины низких результатов").fill("Высокая доля совместителей.")
    page.get_by_label("Внешние причины низких результатов").fill("Удалённость от райцентра.")
    page.get_by_label("Реалистичные цели и задачи").fill("Снизить долю «2» по ВПР до 15 %.")
    page.get_by_role("button", name="Сохранить и завершить").click()
    expect(page.get_by_text("Самоанализ завершён.")).to_be_visible()
    expect(page.get_by_test_id("analysis-status")).to_have_text("завершён")
    _both_widths(page, "coaching-self-analysis-school")
    _logout(page)

    login(page, live_server, "curator")
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_role("link", name=re.compile("Самоанализ МКОУ «Вертикосская СОШ» завершён")).click()
    expect(page.get_by_test_id("rating").first).to_contain_text("сформирован частично")
    page.get_by_label("Новый комментарий").fill("Начните с наставничества: он в приоритетах.")
    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_text("Комментарий отправлен.")).to_be_visible()
    expect(page.get_by_test_id("comment")).to_contain_text("Начните с наставничества")
    _both_widths(page, "coaching-self-analysis-curator")
    _logout(page)

    login(page, live_server, "region")
    page.goto(f"{live_server.url}/coaching/self-analysis/")
    expect(page.get_by_test_id("analysis-counts")).to_contain_text("Завершили: 2")
    _both_widths(page, "coaching-analyses-region")
    page.goto(f"{live_server.url}/coaching/plans/")
    expect(page.get_by_test_id("plans-table")).to_contain_text("1 из 4")
    page.get_by_test_id("prepare-report").click()
    shot(page, "coaching-activity-report")
    expect(
        page.get_by_text(
            "Об анализе результатов мониторинга текущей работы кураторов ШНОР в 2026 году",
            exact=True,
        )
    ).to_be_visible()
    page.goto(f"{live_server.url}/coaching/plans/")
    _both_widths(page, "coaching-plans-region")
    page.goto(f"{live_server.url}/coaching/activity/")
    _both_widths(page, "coaching-activity")
