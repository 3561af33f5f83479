"""Browser tests: one headless Chromium per test session, a fresh context per test.

Playwright's own browsers are not downloaded; Debian's ``chromium`` package is driven instead
(``make browser`` installs it). ``opora/conftest.py`` re-exports the fixtures, so a browser
test anywhere under ``opora/`` only needs::

    from opora.browser_fixtures import login, shot

    def test_something(transactional_db, world, live_server, page):
        login(page, live_server, "region")
        shot(page, "something")

Every test with ``page`` also fails when the page raised a JavaScript error, the server answered
with a 5xx, or a static file (Bootstrap, HTMX, icons) could not be loaded; a failing test leaves
a screenshot ``FAILED-<test id>.png`` next to the others in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1366, "height": 900}
DEFAULT_TIMEOUT_MS = 10_000
PASSWORD = "pass-Opora-1"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do: on a loaded 2-core CI an HTMX swap can take
    # longer than Playwright's default 5 s.
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    """Headless Debian Chromium, launched once per test session (per xdist worker)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Для браузерных тестов нужен Chromium ({CHROMIUM}): "
            "sudo apt-get install chromium или make browser."
        )
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser, request):
    """A page in a fresh context (own cookies): 1366×900, ru-RU, 10 s timeouts."""
    context = browser.new_context(viewport=VIEWPORT, locale="ru-RU")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"ошибка JavaScript: {exc}"))
    page.on("console", lambda message: _check_console(message, problems))
    page.on("response", lambda r: _check_response(r, problems))
    yield page
    report = getattr(request.node, "rep_call", None)
    failed_shot = "FAILED-" + request.node.nodeid.removeprefix("opora/")
    if report is not None and report.failed:
        with contextlib.suppress(Exception):  # a dead page must not hide the real failure
            shot(page, failed_shot)
    else:
        _path(failed_shot).unlink(missing_ok=True)  # a stale one from an earlier run
    context.close()
    if problems:
        pytest.fail("Страница с ошибками:\n" + "\n".join(problems), pytrace=False)


def _check_console(message, problems: list[str]) -> None:
    """Whatever the Content-Security-Policy blocked (an inline script, handler or style)."""
    if message.type == "error" and "Content Security Policy" in message.text:
        problems.append(f"нарушение CSP: {message.text}")


def _check_response(response, problems: list[str]) -> None:
    """A server error anywhere, or a static file (CSS, JS, fonts) that did not load."""
    if response.status >= 500 or (response.status >= 400 and "/static/" in response.url):
        problems.append(f"{response.status} {response.request.method} {response.url}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so ``page`` knows whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def login(page, live_server, username: str, password: str = PASSWORD):
    """Sign in through the real login form and wait for the navbar of the signed-in user."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.get_by_test_id("whoami").wait_for()
    return page


def shot(page, name: str) -> Path:
    """Save a full-page screenshot to ``test-artifacts/screenshots/<name>.png``."""
    path = _path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def _path(name: str) -> Path:
    return SCREENSHOTS / f"{re.sub(r'[^\w.-]+', '_', name)}.png"
