"""Files confirming the items of a monitoring sheet (issue 16): attached in the sheet's one form
(or with one item's save) through the one front door — size and type checked by content, all
or nothing with the answers —, downloaded only within the sheet's scope and logged, removed
while the sheet may change, each step in the history."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.accounts.models import AccessRecord
from opora.monitoring import selectors as monitoring_selectors
from opora.monitoring import services as monitoring
from opora.monitoring.defaults import ensure_default_template
from opora.monitoring.models import ChecklistAnswer, ItemEvidence, SheetStatus
from opora.testing.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
HTML = b"<html><script>alert(1)</script></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


@pytest.fixture
def sheet(world):
    campaign = monitoring.create_campaign(
        world.users.municipal,
        title="Мониторинг выполнения программ",
        municipality=world.home,
        template=ensure_default_template(),
        period_text="1 полугодие 2025-2026 учебного года",
        due_date=date(2026, 2, 15),
    )
    return campaign.sheets.get(school=world.home_school)


def _items(sheet):
    return monitoring_selectors.template_items(sheet.campaign.template)


def test_the_school_attaches_files_to_items_in_the_one_form(client, world, sheet):
    first, second = _items(sheet)[:2]
    client.force_login(world.users.school)
    response = client.post(
        reverse("monitoring:sheet_save", args=[sheet.pk]),
        {
            f"i{first.pk}-answer": "done",
            f"i{first.pk}-files": [
                SimpleUploadedFile("Приказ № 12.pdf", PDF),
                SimpleUploadedFile("План.pdf", PDF),
            ],
            f"i{second.pk}-files": [SimpleUploadedFile("Фото стенда.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    names = dict(sheet.evidence.values_list("original_name", "item_id"))
    assert names == {
        "Приказ № 12.pdf": first.pk,
        "План.pdf": first.pk,
        "Фото стенда.pdf": second.pk,
    }
    evidence = sheet.evidence.get(original_name="Приказ № 12.pdf")
    assert evidence.content_type == "application/pdf" and evidence.uploaded_by.username == "school"
    assert evidence.history.get().history_user.username == "school"
    page = client.get(reverse("monitoring:sheet_detail", args=[sheet.pk])).content.decode()
    assert "Приказ № 12.pdf" in page and reverse("monitoring:evidence", args=[evidence.pk]) in page


def test_a_file_of_the_wrong_type_saves_nothing_and_keeps_what_was_entered(client, world, sheet):
    first = _items(sheet)[0]
    client.force_login(world.users.school)
    response = client.post(
        reverse("monitoring:sheet_save", args=[sheet.pk]),
        {
            f"i{first.pk}-answer": "partly",
            f"i{first.pk}-comment": "Программа на согласовании",
            f"i{first.pk}-files": [
                SimpleUploadedFile("Приказ.pdf", PDF),
                SimpleUploadedFile("отчёт.pdf", HTML),
            ],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "не принят: допускаются PDF, Word, Excel и изображения" in html
    assert "выберите их снова" in html and "Программа на согласовании" in html
    assert not sheet.evidence.exists() and not ChecklistAnswer.objects.filter(sheet=sheet).exists()


def test_a_file_past_the_size_limit_is_refused(world, sheet, settings):
    settings.MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="больше"):
        monitoring.attach_evidence(
            world.users.school,
            sheet,
            _items(sheet)[0],
            [SimpleUploadedFile("большой.pdf", PDF + b"0" * 200)],
        )
    assert not sheet.evidence.exists()


def test_one_items_save_carries_its_files(client, world, sheet):
    item = _items(sheet)[0]
    client.force_login(world.users.school)
    response = client.post(
        reverse("monitoring:sheet_item_save", args=[sheet.pk, item.pk]),
        {f"i{item.pk}-answer": "done", f"i{item.pk}-files": SimpleUploadedFile("Акт.pdf", PDF)},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Сохранено" in html and "Акт.pdf" in html
    assert sheet.evidence.get().item_id == item.pk


def test_downloads_are_scoped_and_logged(client, world, sheet):
    item = _items(sheet)[0]
    monitoring.attach_evidence(
        world.users.school, sheet, item, [SimpleUploadedFile("Приказ.pdf", PDF)]
    )
    evidence = sheet.evidence.get()
    url = reverse("monitoring:evidence", args=[evidence.pk])
    for who in ("school", "municipal", "curator", "region"):
        client.force_login(world.users[who])
        response = client.get(url)
        assert response.status_code == 200, who
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
    assert AccessRecord.objects.filter(what="Файл подтверждения пункта чек-листа").count() == 4
    other = UserFactory(username="other", role="school", school=world.other_home_school)
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_files_are_removed_while_the_sheet_changes_and_kept_once_sent(client, world, sheet):
    school = world.users.school
    items = _items(sheet)
    monitoring.attach_evidence(school, sheet, items[0], [SimpleUploadedFile("a.pdf", PDF)])
    monitoring.attach_evidence(school, sheet, items[0], [SimpleUploadedFile("b.pdf", PDF)])
    a, b = sheet.evidence.order_by("pk")
    client.force_login(school)
    response = client.post(
        reverse("monitoring:evidence_remove", args=[a.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "a.pdf" not in html and "b.pdf" in html
    assert list(sheet.evidence.values_list("original_name", flat=True)) == ["b.pdf"]
    assert ItemEvidence.history.filter(id=a.pk, history_type="-").get().history_user == school

    for item in items:
        monitoring.save_answer(school, sheet, item, answer="done")
    monitoring.submit_sheet(school, sheet)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    client.post(reverse("monitoring:evidence_remove", args=[b.pk]))
    assert ItemEvidence.objects.filter(pk=b.pk).exists()
    with pytest.raises(ValidationError):
        monitoring.attach_evidence(school, sheet, items[1], [SimpleUploadedFile("c.pdf", PDF)])


def test_the_coordinator_checking_the_school_attaches_files_too(world, sheet):
    """Seed 004: the department checked the schools itself and keeps its own evidence."""
    municipal = world.users.municipal
    n = monitoring.attach_evidence(
        municipal, sheet, _items(sheet)[0], [SimpleUploadedFile("Акт проверки.pdf", PDF)]
    )
    assert n == 1 and sheet.evidence.get().uploaded_by == municipal
