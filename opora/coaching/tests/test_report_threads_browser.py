"""A thread on a school's progress report in a real browser: the curator comments under the
report on the event page, the school finds it in «Ждут меня» and answers, at desktop and phone
width (screenshots in ``test-artifacts/screenshots/``)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.testing.coaching import school_programme_event, school_report

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def test_the_curator_comments_on_a_report_and_the_school_answers(
    transactional_db, world, live_server, page
):
    event = school_programme_event(world)
    report = school_report(world, event)
    page.set_viewport_size(DESKTOP)
    login(page, live_server, "curator")
    page.goto(f"{live_server.url}/roadmaps/events/{event.pk}/")
    thread = page.locator(f"#report-{report.pk}").get_by_test_id("report-thread")
    thread.get_by_text("Обсуждение отчёта").click()
    thread.get_by_label("Комментарий к отчёту").fill("Приложите протокол семинара и список")
    thread.get_by_role("button", name="Отправить").click()
    expect(page.get_by_test_id("comment")).to_contain_text("Приложите протокол семинара")
    shot(page, "coaching-report-thread")
    page.set_viewport_size(PHONE)
    shot(page, "coaching-report-thread-curator-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    login(page, live_server, "school")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_role("link", name=re.compile("Приложите протокол семинара")).first.click()
    expect(page).to_have_url(re.compile(rf"/roadmaps/events/{event.pk}/#comment-\d+$"))
    comment = page.get_by_test_id("comment")
    comment.get_by_text("Ответить").first.click()
    comment.get_by_label("Ответ").fill("Приложили протокол, список участников — в отчёте")
    comment.get_by_role("button", name="Ответить").click()
    expect(page.get_by_test_id("reply")).to_contain_text("Приложили протокол")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing runs off a phone's screen"
    shot(page, "coaching-report-thread-phone")
