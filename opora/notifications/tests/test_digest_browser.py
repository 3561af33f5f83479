"""The e-mail digest end to end (issue 16): each user chooses in the browser how often letters
come; ``opora schedule`` (what ``make run`` starts) enqueues the digest, the task sends it
through a real SMTP server on loopback; the letter's link opens the returned report; a second
tick sends nothing again."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.notifications import digests
from opora.notifications.models import Digest
from opora.roadmaps import services
from opora.testing.roadmaps import regional_school_event
from opora.testing.smtp import loopback_smtp


@pytest.fixture
def smtp(settings, live_server):
    with loopback_smtp(settings, site_url=live_server.url) as received:
        yield received


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, monkeypatch):
    # The worker's part done at once; the day's digests due whatever the hour the test runs.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(digests, "DIGEST_HOUR", 0)


def _as(page, live_server, who):
    if page.get_by_role("button", name="Выйти").count():
        page.get_by_role("button", name="Выйти").click()
    login(page, live_server, who)


def _choose(page, label):
    page.get_by_test_id("nav-notifications-list").click()
    form = page.get_by_test_id("digest-form")
    form.get_by_label(label).check()
    form.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".alert-success")).to_have_text(f"Письмо-сводка: {label}.")


def test_a_daily_digest_arrives_once_and_its_link_opens_the_report(
    transactional_db, world, live_server, page, smtp
):
    users = world.users
    for user, address in ((users.school, "school@example.org"), (users.curator, "cur@example.org")):
        user.email = address
        user.save(update_fields=["email"])

    _as(page, live_server, "curator")
    _choose(page, "не присылать")
    _as(page, live_server, "school")
    _choose(page, "каждый день")
    shot(page, "digest-choice")

    event = regional_school_event()
    report = services.report_progress(users.school, event, status="done", school=world.home_school)
    services.review_report(users.curator, report, accept=False, comment="Приложите приказ")

    call_command("schedule", "--once")  # what `make run` does every five minutes
    assert [letter["To"] for letter in smtp] == ["school@example.org"]
    text = smtp[0].get_content()
    assert smtp[0]["Subject"].startswith("Опора: сводка на ")
    assert "Отчёт возвращён на доработку: 11. Разработка школьных программ" in text
    assert "Приложите приказ" in text

    call_command("schedule", "--once")  # a restart or the next tick: nothing twice
    assert len(smtp) == 1
    assert Digest.objects.filter(user=users.school, sent_at__isnull=False).count() == 1

    link = re.search(rf"{re.escape(live_server.url)}/roadmaps/events/\d+/\S*", text).group(0)
    page.goto(link)
    expect(page.get_by_test_id("returned")).to_contain_text("Приложите приказ")
    shot(page, "digest-link-opens-the-report")
