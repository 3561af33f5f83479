"""Adding a person a roadmap names to the people registry from the import preview, in a real
browser (issue 12, «Executors»): the person is offered with the position read beside the name,
added, and recognised in the preview at once."""

import pytest
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.people.models import Person
from opora.registry.models import Organisation
from opora.testing.roadmap_people import people_plan


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def test_adding_an_unknown_person_from_the_preview(
    transactional_db, world, live_server, page, tmp_path
):
    place = Organisation.objects.create(
        short_name="Гимназия (орг.)", name="Гимназия", municipality=world.home, kind="other"
    )
    login(page, live_server, "municipal")
    path = tmp_path / "план.docx"
    path.write_bytes(people_plan())
    page.goto(f"{live_server.url}/roadmaps/import/")
    page.get_by_label("Файл дорожной карты").set_input_files(path)
    page.get_by_role("button", name="Проверить файл").click()

    card = page.get_by_test_id("unknown-people")
    expect(card).to_contain_text("«Корнилова Е.Д.», заместитель директора по УВР")
    expect(card).to_contain_text("встречается в 2 мероприятиях")
    expect(page.get_by_test_id("unknown-executors")).to_have_count(0)
    card.get_by_text("«Корнилова Е.Д.»").click()
    expect(card.get_by_label("Должность").first).to_have_value("заместитель директора по УВР")
    card.get_by_label("Организация").first.select_option(str(place.pk))
    shot(page, "roadmap-import-add-person")
    card.get_by_role("button", name="Добавить в реестр").first.click()

    expect(page.locator(".alert-success")).to_contain_text("Сотрудник «Корнилова Е.Д.» добавлен")
    expect(page.get_by_test_id("unknown-people")).not_to_contain_text("Корнилова")
    expect(page.get_by_test_id("unknown-people")).to_contain_text("Лаптев С.Г.")
    person = Person.objects.get(last_name="Корнилова")
    assert (person.initials, person.organisation) == ("Е.Д.", place)
    page.get_by_role("button", name="Сохранить карту как черновик").click()
    expect(page.locator(".alert-success")).to_contain_text("3 мероприятия")
