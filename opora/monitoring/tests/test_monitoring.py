"""Implementation monitoring: campaigns, the schools' sheets, review, Excel, the order.

Issue 6, «Implementation monitoring»: a school fills only its own sheet; the municipality
reviews, returns or accepts; answers go to and come from Excel (all or nothing); the order
is generated from the accepted sheets, edited and fixed; pages cost the same number of
queries for 3 schools and for 40.
"""

from __future__ import annotations

import io
import socket
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.documents.models import Document
from opora.monitoring import checklist as checklist
from opora.monitoring import links as links
from opora.monitoring import services as monitoring
from opora.monitoring.defaults import ensure_default_template
from opora.monitoring.models import CampaignSchool, ChecklistAnswer, MonitoringCampaign, SheetStatus
from opora.testing import FOREIGN_PK
from opora.testing.factories import SchoolFactory, StatusFactory, UserFactory
from opora.testing.monitoring import answer_all, items_of, seed_campaign, sheet_of


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


@pytest.fixture
def no_network(monkeypatch):
    """DNS fails as on a machine without a network (the real state of the test machine)."""

    def fail(*args, **kwargs):
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    monkeypatch.setattr(links, "_network_probe", {})


# ---------------------------------------------------------------- campaigns and scope


def test_a_campaign_takes_the_listed_schools_by_default(campaign, world):
    """The home school is on this year's ШНОР list, its neighbour is not."""
    assert [s.school for s in campaign.sheets.all()] == [world.home_school]
    assert campaign.sheets.get().status == SheetStatus.DRAFT


def test_a_coordinator_cannot_start_a_campaign_in_another_municipality(world):
    with pytest.raises(PermissionDenied):
        monitoring.create_campaign(
            world.users.municipal,
            title="Чужой",
            municipality=world.foreign,
            template=ensure_default_template(),
            period_text="2026",
            due_date=date(2026, 2, 1),
        )
    for role in ("school", "curator", "observer", "expert"):
        with pytest.raises(PermissionDenied):
            monitoring.create_campaign(
                world.users[role],
                title="Мониторинг",
                municipality=world.home,
                template=ensure_default_template(),
                period_text="2026",
                due_date=date(2026, 2, 1),
            )


def test_the_creation_page_starts_a_campaign(client, world):
    client.force_login(world.users.municipal)
    page = client.get(reverse("monitoring:campaign_create"))
    assert page.status_code == 200
    assert world.home_school.short_name in page.content.decode()
    response = client.post(
        reverse("monitoring:campaign_create"),
        {
            "title": "Мониторинг 2026",
            "municipality": world.home.pk,
            "template": ensure_default_template().pk,
            "period_text": "1 полугодие 2025-2026 учебного года",
            "due_date": "2026-02-15",
            "schools": [world.home_school.pk, world.other_home_school.pk],
        },
    )
    campaign = MonitoringCampaign.objects.get(title="Мониторинг 2026")
    assert response.status_code == 302
    assert campaign.sheets.count() == 2


def test_a_coordinator_of_another_municipality_gets_404(client, world, campaign):
    other = SchoolFactory(municipality=world.foreign)
    outsider = UserFactory(
        username="foreign-municipal", role="municipal", municipality=world.foreign
    )
    client.force_login(outsider)
    sheet = sheet_of(campaign, world.home_school)
    assert other.municipality == world.foreign
    for url in (
        reverse("monitoring:campaign_detail", args=[campaign.pk]),
        reverse("monitoring:campaign_order", args=[campaign.pk]),
        reverse("monitoring:campaign_export", args=[campaign.pk]),
        reverse("monitoring:sheet_detail", args=[sheet.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("monitoring:sheet_review", args=[sheet.pk]), {"decision": "accept"}
        ).status_code
        == 404
    )
    # and the home coordinator does not see the foreign campaign (pk 9001) either
    client.force_login(world.users.municipal)
    assert client.get(reverse("monitoring:campaign_detail", args=[FOREIGN_PK])).status_code == 404
    listed = client.get(reverse("monitoring:campaign_list")).content.decode()
    assert "Чуж" not in listed and campaign.title in listed


# ---------------------------------------------------------------- the school's sheet


def test_a_school_fills_only_its_own_sheet(client, world, campaign):
    sheet = sheet_of(campaign, world.home_school)
    item = items_of(campaign)[0]
    other_school_user = UserFactory(
        username="other-school", role="school", school=world.other_home_school
    )
    with pytest.raises(PermissionDenied):
        monitoring.save_answer(other_school_user, sheet, item, answer="done")
    client.force_login(other_school_user)
    url = reverse("monitoring:sheet_item_save", args=[sheet.pk, item.pk])
    assert client.post(url, {f"i{item.pk}-answer": "done"}).status_code == 404
    assert client.get(reverse("monitoring:sheet_detail", args=[sheet.pk])).status_code == 404
    assert not ChecklistAnswer.objects.filter(sheet=sheet).exists()


def test_the_school_saves_an_item_with_htmx_and_details(client, world, campaign, no_network):
    sheet = sheet_of(campaign, world.home_school)
    item = next(i for i in items_of(campaign) if i.section == 2)
    client.force_login(world.users.school)
    page = client.get(reverse("monitoring:sheet_detail", args=[sheet.pk]))
    assert page.status_code == 200 and "Отправить в муниципалитет" in page.content.decode()
    response = client.post(
        reverse("monitoring:sheet_item_save", args=[sheet.pk, item.pk]),
        {
            f"i{item.pk}-answer": "done",
            f"i{item.pk}-detail_grades": "для обучающихся 5-9 классов",
            f"i{item.pk}-detail_text": "графики на сайте",
            f"i{item.pk}-comment": "графики утверждены",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Сохранено" in body and 'id="sheet-progress" hx-swap-oob="true"' in body
    answer = ChecklistAnswer.objects.get(sheet=sheet, item=item)
    assert answer.answer == "done"
    assert answer.details == {"grades": "для обучающихся 5-9 классов", "text": "графики на сайте"}
    assert answer.comment == "графики утверждены"


def test_bad_details_are_refused_in_russian_and_nothing_is_saved(client, world, campaign):
    sheet = sheet_of(campaign, world.home_school)
    item = next(i for i in items_of(campaign) if i.section == 2)
    client.force_login(world.users.school)
    response = client.post(
        reverse("monitoring:sheet_item_save", args=[sheet.pk, item.pk]),
        {f"i{item.pk}-answer": "done", f"i{item.pk}-detail_grades": "старшие"},
        HTTP_HX_REQUEST="true",
    )
    assert "Не понятно, какие классы охвачены" in response.content.decode()
    assert not ChecklistAnswer.objects.filter(sheet=sheet).exists()


def test_links_are_checked_after_the_save_by_a_task_and_unchecked_without_a_network(
    world, campaign, no_network, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    item = next(i for i in items_of(campaign) if i.section == 4)
    details = checklist.clean_details(item, {"links": "https://school.example/vpr\n"})
    [link] = details["links"]
    # Reading the form makes no request: the link waits for the background check.
    assert (link["url"], link["status"], link["note"]) == (
        "https://school.example/vpr",
        "pending",
        "проверяется…",
    )
    sheet = sheet_of(campaign, world.home_school)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        saved = monitoring.save_answer(
            world.users.school, sheet, item, answer="done", details=details
        )
    assert len(callbacks) == 1 and saved.details["links"][0]["status"] == "pending"
    saved.refresh_from_db()
    [link] = saved.details["links"]
    assert (link["status"], link["note"]) == ("unchecked", "не проверено: нет сети")
    # The result is kept when the school saves the same address again: no new check.
    again = checklist.clean_details(item, {"links": "https://school.example/vpr"}, saved.details)
    assert again["links"][0]["status"] == "pending"  # «не проверено» is tried again
    with pytest.raises(ValidationError, match="нужна полная ссылка"):
        checklist.clean_details(item, {"links": "school.example/vpr"})


def test_a_checked_link_is_kept_and_a_late_check_does_not_overwrite_a_new_save(world, campaign):
    item = next(i for i in items_of(campaign) if i.section == 4)
    ok = {"url": "https://school.example/ok", "status": "ok", "note": "открывается (ответ 200)"}
    details = checklist.clean_details(
        item, {"links": "https://school.example/ok\nhttps://school.example/new"}, {"links": [ok]}
    )
    assert details["links"][0] == ok and details["links"][1]["status"] == "pending"
    sheet = sheet_of(campaign, world.home_school)
    saved = monitoring.save_answer(
        world.users.school, sheet, item, answer="done", details={"links": [ok]}
    )
    assert monitoring.record_link_checks(saved.pk) == 0  # nothing waits: no request
    saved.refresh_from_db()
    assert saved.details["links"] == [ok]


def test_links_to_the_servers_own_network_are_not_requested():
    assert links.check_link("http://127.0.0.1:8000/admin/") == (
        "unchecked",
        "не проверено: адрес во внутренней сети",
    )


def test_grades_and_documents_are_parsed_from_what_schools_write():
    assert checklist.parse_grades("для обучающихся 5-9, 10 классов, 4 классов, 9, 11 классов") == [
        4, 5, 6, 7, 8, 9, 10, 11,
    ]  # fmt: skip
    assert checklist.parse_grades("для обучающимися 9-х, 11-х классов") == [9, 11]
    assert checklist.parse_documents("положение о ВСОКО от 25.12.2020\nпорядок, 2021-01-12") == [
        {"title": "положение о ВСОКО", "date": "2020-12-25"},
        {"title": "порядок", "date": "2021-01-12"},
    ]
    with pytest.raises(ValidationError, match="укажите дату документа"):
        checklist.parse_documents("положение о ВСОКО")


def test_submit_needs_every_item_then_the_sheet_is_closed_to_the_school(world, campaign):
    school = world.users.school
    sheet = sheet_of(campaign, world.home_school)
    items = items_of(campaign)
    monitoring.save_answer(school, sheet, items[0], answer="done")
    with pytest.raises(ValidationError, match="Не отвечено на пункты: 1.2"):
        monitoring.submit_sheet(school, sheet)
    answer_all(school, sheet)
    monitoring.submit_sheet(school, sheet)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED and sheet.submitted_at
    with pytest.raises(ValidationError, match="только если муниципалитет вернёт"):
        monitoring.save_answer(school, sheet, items[0], answer="partly")


def test_the_municipality_returns_with_a_comment_then_accepts(client, world, campaign):
    school, municipal = world.users.school, world.users.municipal
    sheet = sheet_of(campaign, world.home_school)
    answer_all(school, sheet)
    monitoring.submit_sheet(school, sheet)
    with pytest.raises(ValidationError, match="без замечаний вернуть нельзя"):
        monitoring.return_sheet(municipal, sheet, "  ")
    with pytest.raises(PermissionDenied):
        monitoring.accept_sheet(school, sheet)
    client.force_login(municipal)
    client.post(
        reverse("monitoring:sheet_review", args=[sheet.pk]),
        {"decision": "return", "comment": "Приложите графики занятий"},
    )
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.RETURNED
    client.force_login(world.users.school)
    page = client.get(reverse("monitoring:sheet_detail", args=[sheet.pk])).content.decode()
    assert "Приложите графики занятий" in page and "Сохранить пункт" in page
    monitoring.submit_sheet(school, sheet)
    client.force_login(municipal)
    client.post(reverse("monitoring:sheet_review", args=[sheet.pk]), {"decision": "accept"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.ACCEPTED


def test_the_coordinator_checks_a_school_itself_fills_its_sheet_as_one_form_and_accepts(
    client, world, campaign
):
    """Seed 004: the department checked the schools itself. The coordinator fills the school's
    whole sheet in one form and accepts it without the school sending it."""
    municipal = world.users.municipal
    sheet = sheet_of(campaign, world.home_school)
    items = items_of(campaign)
    client.force_login(municipal)
    page = client.get(reverse("monitoring:sheet_detail", args=[sheet.pk])).content.decode()
    assert 'data-testid="sheet-form"' in page and "data-unsaved-warning" in page
    assert "Отправить в муниципалитет" not in page

    # One bad item: nothing is saved, and everything entered comes back.
    grades = next(i for i in items if i.section == 2)
    data = {f"i{i.pk}-answer": "done" for i in items}
    data[f"i{grades.pk}-comment"] = "Проверено на месте 12 марта"
    data[f"i{grades.pk}-detail_grades"] = "x" * 400  # over the field's 300 characters
    response = client.post(reverse("monitoring:sheet_save", args=[sheet.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200 and "Ничего не сохранено" in html
    assert "Проверено на месте 12 марта" in html
    assert not ChecklistAnswer.objects.filter(sheet=sheet).exists()

    data[f"i{grades.pk}-detail_grades"] = "5–9 классы"
    client.post(reverse("monitoring:sheet_save", args=[sheet.pk]), data)
    assert ChecklistAnswer.objects.filter(sheet=sheet).count() == len(items)
    assert ChecklistAnswer.objects.get(sheet=sheet, item=grades).comment == (
        "Проверено на месте 12 марта"
    )

    client.post(reverse("monitoring:sheet_review", args=[sheet.pk]), {"decision": "accept"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.ACCEPTED


def test_a_coordinator_of_another_municipality_cannot_fill_the_sheet(world, campaign):
    other = UserFactory(username="other-muni", role="municipal", municipality=world.foreign)
    sheet = sheet_of(campaign, world.home_school)
    with pytest.raises(PermissionDenied):
        monitoring.save_answer(other, sheet, items_of(campaign)[0], answer="done")


# ---------------------------------------------------------------- Excel


def _xlsx_rows(content: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, campaign, content: bytes, name="ответы.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("monitoring:campaign_import", args=[campaign.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_excel_round_trip(client, world, campaign):
    """Export → the same file changes nothing → edited cells are previewed, then saved."""
    school, municipal = world.users.school, world.users.municipal
    campaign.sheets.create(school=world.other_home_school)
    sheet = sheet_of(campaign, world.home_school)
    items = items_of(campaign)
    monitoring.save_answer(school, sheet, items[0], answer="partly", comment="начали анализ")
    client.force_login(municipal)
    exported = client.get(reverse("monitoring:campaign_export", args=[campaign.pk]))
    assert exported.status_code == 200
    rows = _xlsx_rows(exported.content)
    header = rows[0]
    assert header[:4] == ["Код ОО", "Школа", header[2], "1.1. комментарий"]
    assert header[2].startswith("1.1. Проанализированы")
    assert len(header) == 2 + 2 * len(items)
    home_row = next(r for r in rows if r[0] == world.home_school.code)
    assert home_row[2:4] == ["частично", "начали анализ"]

    unchanged = _upload(client, campaign, exported.content)
    assert "ничего не меняет" in unchanged.content.decode()

    home_row[2], home_row[3] = "выполнено", "анализ завершён"
    other_row = next(r for r in rows if r[0] == world.other_home_school.code)
    other_row[4] = "нет"
    preview = _upload(client, campaign, _xlsx(rows))
    text = preview.content.decode()
    assert "Будет изменено ответов: 2 у 2 школ" in text
    assert ChecklistAnswer.objects.count() == 2  # the foreign answer and the school's one
    done = client.post(reverse("monitoring:campaign_import_confirm", args=[campaign.pk]))
    assert done.status_code == 302
    answer = ChecklistAnswer.objects.get(sheet=sheet, item=items[0])
    assert (answer.answer, answer.comment) == ("done", "анализ завершён")
    other = ChecklistAnswer.objects.get(sheet__school=world.other_home_school, item=items[1])
    assert other.answer == "not_done"
    other_row[4] = "не выполнено"  # «нет» is read as «не выполнено» and written back so
    again = _xlsx_rows(
        client.get(reverse("monitoring:campaign_export", args=[campaign.pk])).content
    )
    assert again == _xlsx_rows(_xlsx(rows))


def test_a_bad_excel_file_is_refused_in_russian_and_nothing_is_saved(client, world, campaign):
    client.force_login(world.users.municipal)
    rows = _xlsx_rows(client.get(reverse("monitoring:campaign_export", args=[campaign.pk])).content)
    rows[1][2] = "может быть"
    rows.append(["000000", "Школа, которой нет", "выполнено"])
    before = ChecklistAnswer.objects.count()
    text = _upload(client, campaign, _xlsx(rows)).content.decode()
    assert "В файле ошибки — ничего не записано" in text
    assert "Строка 2, пункт 1.1: «может быть» — допустимо" in text
    assert "Строка 3: школа «Школа, которой нет» не участвует в этом мониторинге" in text
    assert "import-apply" not in text
    response = client.post(reverse("monitoring:campaign_import_confirm", args=[campaign.pk]))
    assert response.status_code == 302  # nothing was stashed: nothing to apply
    assert ChecklistAnswer.objects.count() == before

    not_a_table = _upload(client, campaign, b"%PDF-1.4 not a table", "ответы.pdf")
    assert "Нужен файл Excel (.xlsx) или CSV" in not_a_table.content.decode()
    no_columns = _upload(client, campaign, _xlsx([["Школа", "Ответ"], ["СОШ", "да"]]))
    assert "В файле нет столбцов пунктов" in no_columns.content.decode()
    assert ChecklistAnswer.objects.count() == before


def test_an_accepted_sheet_is_not_changed_by_an_import(client, world, campaign):
    school, municipal = world.users.school, world.users.municipal
    sheet = sheet_of(campaign, world.home_school)
    answer_all(school, sheet)
    monitoring.submit_sheet(school, sheet)
    monitoring.accept_sheet(municipal, sheet)
    client.force_login(municipal)
    rows = _xlsx_rows(client.get(reverse("monitoring:campaign_export", args=[campaign.pk])).content)
    rows[1][2] = "частично"
    text = _upload(client, campaign, _xlsx(rows)).content.decode()
    assert "уже принят — чтобы изменить ответы, сначала верните его" in text


# ---------------------------------------------------------------- queries


def _grow(campaign, municipality, start: int, stop: int) -> None:
    """Schools ``start``..``stop`` in the campaign, each with answers to every item."""
    items = items_of(campaign)
    for i in range(start, stop):
        school = SchoolFactory(
            code=f"7031{i:02d}", full_name=f"МКОУ «СОШ № {i}»", number=i, municipality=municipality
        )
        StatusFactory(school=school)
        sheet = CampaignSchool.objects.create(campaign=campaign, school=school, status="submitted")
        ChecklistAnswer.objects.bulk_create(
            ChecklistAnswer(sheet=sheet, item=item, answer="done", details={"text": f"{i}"})
            for item in items
        )


def _count(client, url: str) -> int:
    client.get(url)  # warm caches (content types, the default template)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["municipal", "region"])
def test_campaign_pages_cost_the_same_queries_for_3_and_40_schools(client, world, campaign, role):
    client.force_login(world.users[role])
    _grow(campaign, world.home, 1, 3)
    sheet = campaign.sheets.order_by("pk").last()
    pages = {
        "list": reverse("monitoring:campaign_list"),
        "campaign": reverse("monitoring:campaign_detail", args=[campaign.pk]),
        "sheet": reverse("monitoring:sheet_detail", args=[sheet.pk]),
        "order": reverse("monitoring:campaign_order", args=[campaign.pk]),
    }
    few = {name: _count(client, url) for name, url in pages.items()}
    _grow(campaign, world.home, 3, 40)
    assert campaign.sheets.count() == 40
    many = {name: _count(client, url) for name, url in pages.items()}
    assert many == few


# ---------------------------------------------------------------- the order as a document


def test_the_order_is_generated_edited_fixed_and_downloaded(client, db):
    campaign = seed_campaign()
    coordinator = UserFactory(
        username="tomsk", role="municipal", municipality=campaign.municipality
    )
    client.force_login(coordinator)
    page = client.get(reverse("monitoring:campaign_order", args=[campaign.pk])).content.decode()
    assert "в ООУ № 5, 11, 28, 38, 41, 44, 66" in page
    assert "Департамент образования администрации Города Томска" in page  # the default header
    response = client.post(
        reverse("monitoring:campaign_order", args=[campaign.pk]),
        {
            "kind": "order",
            "organisation": "Администрация Города Томска\nДепартамент образования",
            "place": "г. Томск",
            "title": "О результатах анализа мониторинга",
            "instructions": ["legal-base"],
            "instruction_due": "2021-04-01",
            "control_person": "Швайко И.В.",
            "control_position": "заместитель начальника департамента",
            "signer_position": "Начальник департамента",
            "signer_name": "И.В. Васильева",
        },
    )
    document = Document.objects.get(object_id=campaign.pk)
    assert response["Location"] == reverse("documents:detail", args=[document.pk])
    assert "1.1. Привести локальные акты" in document.body
    assert "(срок – до 01.04.2021)" in document.body
    assert "\n\n1.2. " not in document.body  # only the chosen instruction

    body = document.body.replace("Проведен мониторинг", "Проведён мониторинг")
    client.post(
        reverse("documents:edit", args=[document.pk]),
        {
            "kind": "order",
            "organisation": document.organisation,
            "place": document.place,
            "title": document.title,
            "body": body,
            "signer": document.signer,
            "executor": "Иванова А.А., 8 (3822) 12-34-56",
        },
    )
    document.refresh_from_db()
    assert document.body.startswith("Проведён мониторинг")
    client.post(
        reverse("documents:fix", args=[document.pk]), {"number": "128", "date": "2024-03-02"}
    )
    document.refresh_from_db()
    assert (document.is_fixed, document.number, document.date) == (True, "128", date(2024, 3, 2))
    assert document.file.name.endswith(".docx")
    download = client.get(reverse("documents:download", args=[document.pk]))
    assert download.content[:2] == b"PK"
    assert "128" in download["Content-Disposition"]
    # fixed documents do not change
    client.post(reverse("documents:edit", args=[document.pk]), {"body": "другой текст"})
    document.refresh_from_db()
    assert document.body.startswith("Проведён мониторинг")


def test_no_order_without_accepted_sheets(client, world, campaign):
    client.force_login(world.users.municipal)
    page = client.get(reverse("monitoring:campaign_order", args=[campaign.pk])).content.decode()
    assert "Принятых чек-листов пока нет" in page
    client.post(reverse("monitoring:campaign_order", args=[campaign.pk]), {"kind": "order"})
    assert not Document.objects.filter(object_id=campaign.pk).exists()


def test_schools_see_only_fixed_documents(client, db):
    campaign = seed_campaign()
    school = campaign.sheets.select_related("school").first().school
    document = Document(
        kind="order", organisation="Департамент", title="О мониторинге", body="Текст."
    )
    document.source = campaign
    document.save()
    client.force_login(UserFactory(username="school5", role="school", school=school))
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    document.is_fixed, document.number, document.date = True, "1", date(2024, 1, 1)
    document.save()
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 200
    assert client.post(reverse("documents:delete", args=[document.pk])).status_code == 403


# ---------------------------------------------------------------- the command


def test_monitoring_report_writes_the_order(db, tmp_path, capsys):
    campaign = seed_campaign()
    call_command("monitoring-report", str(campaign.pk), "--format", "txt")
    text = capsys.readouterr().out
    assert "РАСПОРЯЖЕНИЕ" in text and "в ООУ № 5, 11, 28, 38, 41, 44, 66" in text
    target = tmp_path / "order.docx"
    call_command("monitoring-report", str(campaign.pk), "--format", "docx", "-o", str(target))
    from docx import Document as read_docx

    paragraphs = [p.text for p in read_docx(str(target)).paragraphs]
    assert any(p.startswith("9. Используют ресурсы") for p in paragraphs)


def test_monitoring_report_refuses_an_unknown_campaign_in_russian(db):
    with pytest.raises(CommandError, match="Мониторинг № 424242 не найден"):
        call_command("monitoring-report", "424242", "--format", "docx", "-o", "/tmp/x.docx")
    with pytest.raises(CommandError, match="не найден"):
        call_command("monitoring-report", "abc")


# ---------------------------------------------------------------- the demo


def test_the_demo_shows_seed_004_and_loads_once(db, settings):
    from opora.monitoring import demo as demo_monitoring
    from opora.monitoring.documents import build_order, monitoring_data
    from opora.registry.demo import load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(target_schools=60)
    demo_monitoring.load(2026)
    demo_monitoring.load(2026)  # idempotent
    seed = MonitoringCampaign.objects.get(period_text=demo_monitoring.SEED_PERIOD)
    assert MonitoringCampaign.objects.filter(municipality=seed.municipality).count() == 2
    assert seed.sheets.filter(status=SheetStatus.ACCEPTED).count() == 7
    text = build_order(monitoring_data(seed)).body
    assert "в ООУ № 5, 11, 28, 38, 41, 44, 66, сформулированы" in text
    assert "«Учитель года-2021» – 5, 11, 28, 41, 66" in text
    draft = Document.objects.get(object_id=seed.pk)
    assert draft.title.endswith("на территории Города Томска") and not draft.is_fixed
    assert "возложить на Швайко И.В., заместителя начальника департамента" in draft.body
