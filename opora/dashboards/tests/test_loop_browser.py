"""The daily loop across roles in a real browser (issue 16): a school reports on a regional
event → its curator finds it in «Ждут меня» and returns it → the school sees «возвращено на
доработку», is notified, resubmits → the curator accepts, and the inbox is empty.

Screenshots at a desktop and at a phone's width land in ``test-artifacts/screenshots/``.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.roadmaps.models import (
    EventExecutor,
    EventPeriod,
    ExecutorRole,
    ProgressReport,
    ReviewState,
    Roadmap,
    RoadmapEvent,
    RoadmapStatus,
)
from opora.testing.roadmaps import regional_school_event

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _as(page, live_server, who):
    if page.get_by_role("button", name="Выйти").count():
        page.get_by_role("button", name="Выйти").click()
    login(page, live_server, who)


def _state(page, event):
    """The state of the user's report on ``event`` in the «Задачи от региона» table."""
    return page.get_by_role("row").filter(has_text=event.text).get_by_test_id("my-report-state")


def _phone_shot(page, name):
    page.set_viewport_size(PHONE)
    shot(page, name + "-phone")
    page.set_viewport_size(DESKTOP)


def test_a_report_goes_round_the_loop(transactional_db, world, live_server, page, tmp_path):
    event = regional_event_for(world)
    protocol = tmp_path / "программа.pdf"
    protocol.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

    # The school reports from its task list.
    _as(page, live_server, "school")
    _my_tasks(page)
    expect(_state(page, event)).to_have_text("отчёта нет")
    page.get_by_role("link", name=event.text).click()
    form = page.get_by_test_id("report-form")
    form.get_by_label("Комментарий").fill("Программа разработана и утверждена")
    form.locator("input[type=file]").set_input_files(protocol)
    page.get_by_role("button", name="Сохранить отчёт").click()
    expect(page.locator(".alert-success")).to_have_text("Отчёт сохранён.")

    # The curator of the school finds it waiting — in the menu, on its school's line — and
    # returns it.
    _as(page, live_server, "curator")
    expect(page.get_by_test_id("nav-inbox")).to_contain_text("1")
    own = page.get_by_test_id("curator-school").filter(has_text=world.home_school.short_name)
    expect(own.get_by_test_id("waiting")).to_have_text("ждут проверки: 1")
    expect(page.get_by_test_id("home-inbox")).to_contain_text("Отчёт на проверку")
    page.get_by_test_id("nav-inbox").click()
    expect(page.get_by_test_id("inbox-total")).to_have_text("1 дело ждёт вашего решения")
    shot(page, "loop-curator-inbox")
    _phone_shot(page, "loop-curator-inbox")
    page.get_by_test_id("inbox-item").get_by_role("link").click()
    reports = page.get_by_test_id("reports")
    reports.get_by_label("Комментарий проверяющего").fill("Приложите приказ об утверждении")
    reports.get_by_role("button", name="Вернуть").click()
    expect(page.locator(".alert-success")).to_have_text("Отчёт возвращён с комментарием.")
    expect(page.get_by_test_id("nav-inbox")).not_to_contain_text("1")

    # The school sees it returned — in the menu, the notification, the task and the event.
    _as(page, live_server, "school")
    expect(page.get_by_test_id("nav-notifications-list")).to_contain_text("1")
    expect(page.get_by_test_id("home-inbox")).to_contain_text("Приложите приказ об утверждении")
    home_task = page.get_by_role("listitem").filter(has_text=event.text)
    expect(home_task.get_by_test_id("my-report-state")).to_have_text("возвращено на доработку")
    shot(page, "loop-school-home-returned")
    _phone_shot(page, "loop-school-home-returned")
    page.get_by_test_id("nav-notifications-list").click()
    notification = page.get_by_test_id("notification")
    expect(notification).to_contain_text("Отчёт возвращён на доработку")
    expect(notification).to_contain_text("Приложите приказ об утверждении")
    shot(page, "loop-school-notifications")
    notification.get_by_role("button").click()  # opens the event, marks it read
    expect(page.get_by_test_id("returned")).to_contain_text("Возвращено на доработку")
    expect(page.get_by_test_id("returned")).to_contain_text("Приложите приказ об утверждении")
    expect(page.get_by_test_id("nav-notifications-list")).not_to_contain_text("1")
    shot(page, "loop-school-event-returned")
    _phone_shot(page, "loop-school-event-returned")
    form = page.get_by_test_id("report-form")
    form.get_by_label("Комментарий").fill("Приказ № 12 от 20.04.2026 приложен")
    form.locator("input[type=file]").set_input_files(protocol)
    page.get_by_role("button", name="Отправить повторно").click()
    expect(page.locator(".alert-success")).to_have_text("Отчёт сохранён.")
    expect(page.get_by_test_id("returned")).to_have_count(0)
    expect(page.get_by_test_id("round")).to_have_text("подача 2")

    # The curator accepts the second round; nothing waits any more.
    _as(page, live_server, "curator")
    page.get_by_test_id("nav-inbox").click()
    page.get_by_test_id("inbox-item").get_by_role("link").click()
    reports = page.get_by_test_id("reports")
    reports.get_by_role("button", name="Принять").click()
    expect(page.locator(".alert-success")).to_have_text("Отчёт принят.")
    page.get_by_test_id("nav-inbox").click()
    expect(page.get_by_test_id("inbox-total")).to_have_text("Ничего не ждёт вашего решения")
    shot(page, "loop-curator-inbox-empty")

    states = list(
        ProgressReport.objects.filter(event=event)
        .order_by("pk")
        .values_list("review_state", flat=True)
    )
    assert states == [ReviewState.RETURNED, ReviewState.ACCEPTED]

    _as(page, live_server, "school")
    _my_tasks(page)
    expect(_state(page, event)).to_have_text("отчёт принят")
    _phone_shot(page, "loop-school-tasks-accepted")

    # The region's roll-up of its event counts the school as accepted; the filter finds it.
    _as(page, live_server, "region")
    page.goto(f"{live_server.url}/roadmaps/events/{event.pk}/")
    expect(page.get_by_test_id("rollup-summary")).to_contain_text("Принято: 1")
    page.get_by_test_id("rollup-summary").get_by_role("link", name="таблица").click()
    page.get_by_test_id("rollup-states").get_by_role("link", name=re.compile("^принято")).click()
    row = page.get_by_test_id("rollup-row").filter(has_text=world.home_school.short_name)
    expect(row).to_contain_text("принято")
    expect(page.get_by_test_id("rollup-row")).to_have_count(1)
    shot(page, "loop-region-rollup")


def regional_event_for(world):
    event = regional_school_event(
        text="Разработка школьных программ по повышению качества образования",
        written="руководители ОО",
        deadline_text="Апрель 2026г.",
        due_on=date(2026, 4, 30),
    )
    EventPeriod.objects.create(event=event, start=date(2026, 4, 1), end=date(2026, 4, 30))
    return event


def test_a_report_on_a_municipal_event_goes_round_the_loop(
    transactional_db, world, live_server, page, tmp_path
):
    """Seed 002, event 11: the municipality addresses its schools; the school reports, the
    municipal coordinator of its municipality reviews (the review rule's first row)."""
    event = municipal_event_for(world)
    plan = tmp_path / "план.pdf"
    plan.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

    # The school finds the municipality's task beside the region's, and reports.
    _as(page, live_server, "school")
    _my_tasks(page)
    expect(page.get_by_role("heading", name="Задачи от региона и муниципалитета")).to_be_visible()
    expect(_state(page, event)).to_have_text("отчёта нет")
    shot(page, "loop-municipal-school-tasks")
    page.get_by_role("link", name=event.text).click()
    form = page.get_by_test_id("report-form")
    form.get_by_label("Комментарий").fill("План мероприятий по адаптации утверждён")
    form.locator("input[type=file]").set_input_files(plan)
    page.get_by_role("button", name="Сохранить отчёт").click()
    expect(page.locator(".alert-success")).to_have_text("Отчёт сохранён.")

    # The municipal coordinator finds it waiting and returns it; the curator does not see it.
    _as(page, live_server, "curator")
    expect(page.get_by_test_id("nav-inbox")).not_to_contain_text("1")
    _as(page, live_server, "municipal")
    expect(page.get_by_test_id("nav-inbox")).to_contain_text("1")
    page.get_by_test_id("nav-inbox").click()
    expect(page.get_by_test_id("inbox-total")).to_have_text("1 дело ждёт вашего решения")
    expect(page.get_by_test_id("inbox-item")).to_contain_text("Отчёт на проверку")
    shot(page, "loop-municipal-inbox")
    page.get_by_test_id("inbox-item").get_by_role("link").click()
    reports = page.get_by_test_id("reports")
    reports.get_by_label("Комментарий проверяющего").fill("Нет приказа по школе")
    reports.get_by_role("button", name="Вернуть").click()
    expect(page.locator(".alert-success")).to_have_text("Отчёт возвращён с комментарием.")

    # The school sees it returned, notified; it resubmits.
    _as(page, live_server, "school")
    expect(page.get_by_test_id("nav-notifications-list")).to_contain_text("1")
    expect(page.get_by_test_id("home-inbox")).to_contain_text("Нет приказа по школе")
    _my_tasks(page)
    expect(_state(page, event)).to_have_text("возвращено на доработку")
    page.get_by_test_id("nav-notifications-list").click()
    notification = page.get_by_test_id("notification")
    expect(notification).to_contain_text("Отчёт возвращён на доработку")
    notification.get_by_role("button").click()
    expect(page.get_by_test_id("returned")).to_contain_text("Нет приказа по школе")
    shot(page, "loop-municipal-school-returned")
    _phone_shot(page, "loop-municipal-school-returned")
    form = page.get_by_test_id("report-form")
    form.get_by_label("Комментарий").fill("Приказ по школе № 7 приложен")
    form.locator("input[type=file]").set_input_files(plan)
    page.get_by_role("button", name="Отправить повторно").click()
    expect(page.locator(".alert-success")).to_have_text("Отчёт сохранён.")
    expect(page.get_by_test_id("round")).to_have_text("подача 2")

    # The coordinator accepts; the municipal roll-up counts the school as accepted.
    _as(page, live_server, "municipal")
    page.get_by_test_id("nav-inbox").click()
    page.get_by_test_id("inbox-item").get_by_role("link").click()
    page.get_by_test_id("reports").get_by_role("button", name="Принять").click()
    expect(page.locator(".alert-success")).to_have_text("Отчёт принят.")
    expect(page.get_by_test_id("rollup-summary")).to_contain_text("Принято: 1")
    page.get_by_test_id("rollup-summary").get_by_role("link", name="таблица").click()
    row = page.get_by_test_id("rollup-row").filter(has_text=world.home_school.short_name)
    expect(row).to_contain_text("принято")
    shot(page, "loop-municipal-rollup")
    _phone_shot(page, "loop-municipal-rollup")
    page.get_by_test_id("nav-inbox").click()
    expect(page.get_by_test_id("inbox-total")).to_have_text("Ничего не ждёт вашего решения")

    states = list(
        ProgressReport.objects.filter(event=event)
        .order_by("pk")
        .values_list("review_state", flat=True)
    )
    assert states == [ReviewState.RETURNED, ReviewState.ACCEPTED]


def municipal_event_for(world):
    """An event of the home municipality's roadmap in execution, addressed to its school."""
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        owner_name="Управление образования",
        title="Муниципальная дорожная карта на 2026 год",
        period_start=date(2026, 1, 1),
        period_end=date(2099, 12, 31),
        status=RoadmapStatus.APPROVED,
    )
    event = RoadmapEvent.objects.create(
        roadmap=roadmap,
        number="11.",
        text="Разработка школьных планов адаптации к муниципальной программе",
        deadline_text="Май 2026г.",
        due_on=date(2026, 5, 31),
    )
    EventExecutor.objects.create(event=event, written="ОО", role=ExecutorRole.SCHOOL)
    EventPeriod.objects.create(event=event, start=date(2026, 5, 1), end=date(2026, 5, 31))
    event.schools.add(world.home_school)
    return event


def _my_tasks(page):
    """«Дорожные карты → Мои задачи» in the top menu."""
    nav = page.locator("#nav")
    nav.get_by_role("button", name="Дорожные карты").click()
    nav.get_by_role("link", name="Мои задачи").click()
