"""The column-mapping step of the roadmap import in a real browser (issue 12, «Header
wording»): a table nobody could read by its header is mapped column by column, previewed,
saved, and the next file of the same body is read without asking."""

import pytest
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.roadmaps.models import ColumnMapping, Roadmap
from opora.testing.roadmaps import ODD_HEADER, odd_roadmap


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def _upload(page, live_server, tmp_path, data: bytes, name: str):
    path = tmp_path / name
    path.write_bytes(data)
    page.goto(f"{live_server.url}/roadmaps/import/")
    page.get_by_label("Файл дорожной карты").set_input_files(path)
    page.get_by_role("button", name="Проверить файл").click()


def test_mapping_the_columns_of_an_unknown_header(
    transactional_db, world, live_server, page, tmp_path
):
    login(page, live_server, "municipal")
    _upload(page, live_server, tmp_path, odd_roadmap(), "план.docx")

    step = page.get_by_test_id("column-mapping")
    expect(step).to_contain_text("Какая колонка — что?")
    expect(step).to_contain_text("март 2024")
    shot(page, "roadmap-import-columns")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "roadmap-import-columns-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    for position, key in enumerate(["number", "text", "deadline", "executors"], start=1):
        page.get_by_label(f"Колонка {position}: {ODD_HEADER[position - 1]}").select_option(key)
    page.get_by_role("button", name="Прочитать файл с этими колонками").click()

    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text("Колонки прочитаны так, как вы их указали")
    expect(page.locator("[data-testid=preview-event]")).to_have_count(3)
    expect(page.get_by_text("не распознан", exact=True)).to_have_count(0)
    expect(page.get_by_test_id("unknown-executors")).to_contain_text("Министерство")
    shot(page, "roadmap-import-mapped-preview")
    page.get_by_role("button", name="Сохранить карту как черновик").click()
    expect(page.locator(".alert-success")).to_contain_text("3 мероприятия")
    assert ColumnMapping.objects.get(municipality=world.home).headers["Окно"] == "deadline"

    # The next file with these wordings in another order is read without the question.
    _upload(page, live_server, tmp_path, odd_roadmap(order=(1, 0, 3, 2)), "план-2.docx")
    expect(page.get_by_test_id("import-preview")).to_contain_text("сохранённому при прошлом")
    expect(page.get_by_test_id("column-mapping")).to_have_count(0)
    expect(page.locator("[data-testid=preview-event]")).to_have_count(3)
    assert Roadmap.objects.filter(source_name="план.docx").count() == 1
