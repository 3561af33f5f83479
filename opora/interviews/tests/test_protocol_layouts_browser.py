"""A protocol in a layout of another region, in a real browser: the preview shows the rows it
understood and, row by row, what it did not. Screenshots (desktop and phone) are left in
``test-artifacts/screenshots/interviews-layouts-*.png``."""

import pytest
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.testing.protocol_files import HEAD, protocol_docx


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_preview_says_what_was_not_understood(
    transactional_db, world, live_server, page, tmp_path
):
    path = tmp_path / "протокол.docx"
    path.write_bytes(
        protocol_docx(
            HEAD,
            [
                (
                    ["Каргасокский район:"],
                    [
                        ["№", "Рекомендация", "Срок"],
                        ["1", "Составить план повышения квалификации учителей", "до 1 июня 2023"],
                        ["2", "", "май"],
                    ],
                )
            ],
        )
    )
    login(page, live_server, "region")
    page.goto(f"{live_server.url}/reviews/protocols/")
    page.get_by_role("link", name="Импорт из Word").click()
    page.get_by_label("Протокол (Word, .docx)").set_input_files(str(path))
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.get_by_test_id("preview-row")).to_have_count(1)
    expect(page.get_by_test_id("not-understood")).to_contain_text("1 строка")
    expect(page.get_by_test_id("not-understood-row")).to_contain_text("Таблица 1, строка 3")
    expect(page.get_by_test_id("preview-table")).to_contain_text("срок: до 1 июня 2023")
    shot(page, "interviews-layouts-preview")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "interviews-layouts-preview-phone")
