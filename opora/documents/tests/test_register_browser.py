"""The register of documents in a browser (issue 12): an official prepares the order approving
the working group from the group's page, edits its text in the page, fixes it with a number and
a date, finds it in the register by kind, organisation and number; the fixed one cannot change
(no «Править текст», the edit page refuses)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.documents.models import Document
from opora.people.models import WorkingGroup, WorkingGroupMember
from opora.registry.models import Organisation, OrganisationKind, Region
from opora.testing.factories import PersonFactory

DEPARTMENT = "Департамент общего образования Томской области"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_generated_order_is_edited_fixed_and_found_in_the_register(
    transactional_db, world, live_server, page
):
    Region.objects.update(centre="г. Томск")
    Organisation.objects.create(
        name=DEPARTMENT,
        short_name="ДОО ТО",
        kind=OrganisationKind.REGIONAL_AUTHORITY,
        head_position="Начальник департамента",
        head_name="И.Б. Грабцевич",
        phone="(382 2) 51 37 49",
    )
    group = WorkingGroup.objects.create(
        level="region",
        year=2026,
        title="Региональная рабочая группа по организации работы со школами с низкими "
        "образовательными результатами обучающихся",
    )
    head = PersonFactory(last_name="Неверова", first_name="Вера", patronymic="Викторовна")
    WorkingGroupMember.objects.create(
        group=group, person=head, role="head", position_text="председатель комитета"
    )
    login(page, live_server, "region")

    page.goto(f"{live_server.url}/registry/groups/{group.pk}/")
    page.get_by_test_id("draft").click()
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("Об утверждении состава региональной рабочей группы")
    expect(preview).to_contain_text("Неверова В.В., председатель комитета – руководитель")
    expect(preview).to_contain_text("Приложение к распоряжению Департамента общего образования")
    expect(page.get_by_test_id("signature")).to_contain_text("И.Б. Грабцевич")

    page.get_by_test_id("edit").click()
    body = page.get_by_label("Текст")
    body.fill(body.input_value().replace("оставляю за собой.", "оставляю за собой. Исправлено."))
    page.get_by_test_id("save-document").click()
    expect(page.get_by_role("alert").first).to_contain_text("Текст документа сохранён")
    expect(preview).to_contain_text("оставляю за собой. Исправлено.")
    shot(page, "documents-group-order-draft")

    page.get_by_label("Номер").fill("352-р")
    page.get_by_label("Дата").fill("2026-03-13")
    page.once("dialog", lambda dialog: dialog.accept())  # fixing asks first
    page.get_by_test_id("fix").click()
    expect(page.get_by_test_id("fixed")).to_be_visible()
    expect(preview).to_contain_text("от 13.03.2026 № 352-р")  # the appendix mark completed
    expect(page.get_by_test_id("edit")).to_have_count(0)
    document = Document.objects.get(number="352-р")
    page.goto(f"{live_server.url}/documents/{document.pk}/edit/")
    expect(page.get_by_role("alert").first).to_contain_text("зафиксирован")

    page.goto(f"{live_server.url}/documents/")
    page.get_by_label("Вид").select_option(label="распоряжение")
    page.get_by_label("Организация").fill("Департамент общего")
    page.get_by_label("Номер").fill("352-р")
    page.get_by_role("button", name="Найти").click()
    rows = page.get_by_test_id("register-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("13.03.2026")
    expect(rows.first).to_contain_text("Об утверждении состава региональной рабочей группы")
    expect(page.get_by_test_id("register-total")).to_contain_text("Найдено: 1 документ")
    shot(page, "documents-register-found")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "documents-register-found-phone")

    page.get_by_label("Номер").fill("353-р")
    page.get_by_role("button", name="Найти").click()
    expect(page.get_by_test_id("register-empty")).to_be_visible()
    document.refresh_from_db()
    assert document.is_fixed and "Исправлено." in document.body
