"""The region manages the working group and the curators in a real browser."""

from django.urls import reverse
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.people import models as m
from opora.testing.factories import PersonFactory


def test_region_adds_a_head_and_a_curator(transactional_db, world, live_server, page):
    m.WorkingGroup.objects.create(level="region", year=2026, title="Региональная рабочая группа")
    person = PersonFactory(
        last_name="Неверова", first_name="Виктория", patronymic="Владимировна",
        position="начальник отдела", school=world.home_school,
    )  # fmt: skip
    login(page, live_server, "region")

    page.goto(live_server.url + reverse("people:groups"))
    page.get_by_role("link", name="Региональная рабочая группа").click()
    page.get_by_label("Сотрудник").select_option(label=person.short_name)
    page.get_by_label("Роль в группе").select_option(label="руководитель")
    page.get_by_label("Должность (как в документе)").fill("начальник отдела общего образования")
    page.get_by_role("button", name="Добавить в группу").click()
    members = page.get_by_test_id("members")
    expect(members).to_contain_text("Неверова Виктория Владимировна")
    expect(members).to_contain_text("руководитель")
    expect(page.get_by_test_id("history")).to_contain_text("член рабочей группы")
    shot(page, "people-group-head")

    page.goto(live_server.url + reverse("people:groups"))
    expect(page.locator("main, body").first).to_contain_text("Неверова В.В.")

    page.goto(live_server.url + reverse("people:curators"))
    page.get_by_role("link", name="Закрепить куратора").click()
    page.locator("#id_person").select_option(label=person.short_name)
    page.get_by_label("Муниципалитет").select_option(label="Каргасокский район")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Куратор закреплён.")).to_be_visible()
    row = page.locator("tr", has_text="Неверова Виктория Владимировна")
    expect(row).to_contain_text("Каргасокский район")
    shot(page, "people-curator-assigned")
    assert m.CuratorAssignment.objects.filter(person=person, municipality=world.home).exists()
