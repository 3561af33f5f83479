"""The roadmap pages through the Django test client: import, inline editing, progress with
evidence, review, approval, export, the overview pages, query counts and bad input.

Issue 4: «Word and Excel, in and out», «Progress and control», «Pages», «Measured».
"""

from datetime import date, timedelta

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opora.accounts.models import Role
from opora.registry.models import Organisation, OrganisationKind
from opora.roadmaps import services
from opora.roadmaps.importing import apply_roadmap_import, plan_roadmap_import
from opora.roadmaps.models import (
    EventExecutor,
    EventPeriod,
    Evidence,
    ProgressReport,
    ProgressStatus,
    ReviewState,
    Roadmap,
    RoadmapEvent,
    RoadmapSection,
    RoadmapStatus,
)
from opora.roadmaps.table_reader import read_roadmap
from opora.testing.factories import UserFactory
from opora.testing.ole import ole_file
from opora.testing.roadmaps import PDF, municipal_roadmap, post_report, regional_school_event
from opora.testing.world import login_as


@pytest.fixture
def curator_client(world):
    """A second browser session: the curator who reviews what the coordinator reports."""
    other = Client()
    other.force_login(world.users.curator)
    return other


ROLES = ["region", "operator", "curator", "municipal", "school", "expert", "observer"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Evidence and approval files land in a temporary folder, not in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- import on the web -------------------------------------------------------------------------


def _upload(client, path_or_bytes, name, **fields):
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    return client.post(
        reverse("roadmaps:import"),
        {"file": SimpleUploadedFile(name, data), **fields},
    )


def _preview_events(response) -> list[dict]:
    return [e.to_dict() for e in response.context["preview"].events]


def test_region_imports_its_roadmap_through_preview_and_confirmation(client, world, samples_dir):
    login_as(client, world, "region")
    response = _upload(
        client,
        samples_dir / "003_region_roadmap_2023.docx",
        "003_region_roadmap_2023.docx",
        level="region",
        owner_name="ДОО ТО",
        period="2023",
    )

    assert response.status_code == 200
    assert response.context["error"] is None
    events = _preview_events(response)
    assert len(events) == 35
    assert all(e["deadline"]["understood"] for e in events)
    assert response.context["preview"].period == (date(2023, 1, 1), date(2023, 12, 31))
    html = response.content.decode()
    assert 'data-testid="import-preview"' in html
    assert "не распознан" not in html
    # Nothing saved before «confirm» (the world has a regional roadmap of its own).
    imported = Roadmap.objects.filter(level="region").exclude(pk=world.regional_roadmap.pk)
    assert not imported.exists()

    response = client.post(reverse("roadmaps:import_confirm"))

    roadmap = imported.get()
    assert response.status_code == 302
    assert response.url == reverse("roadmaps:detail", args=[roadmap.pk])
    assert roadmap.status == RoadmapStatus.DRAFT and roadmap.owner_name == "ДОО ТО"
    assert roadmap.events.count() == 35 and roadmap.sections.count() == 4
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="event-row"') == 35
    assert "35 мероприятий" in " ".join(_messages(page))
    # The stash is spent: confirming twice saves nothing more.
    again = client.post(reverse("roadmaps:import_confirm"), follow=True)
    assert "загрузите его ещё раз" in " ".join(_messages(again))
    assert Roadmap.objects.count() == 3  # the region's and the two of `world`


def test_municipal_coordinator_imports_the_kargasok_roadmap(client, world, samples_dir):
    login_as(client, world, "municipal")
    form = client.get(reverse("roadmaps:import"))
    assert form.context["form"].initial["level"] == "municipality"

    response = _upload(
        client,
        samples_dir / "002_kargasok_roadmap_2020.docx",
        "002.docx",
        level="municipality",
        municipality=world.home.pk,
    )
    events = _preview_events(response)
    assert len(events) == 32
    assert sum(1 for e in events if not e["number"]) == 1
    assert all(e["deadline"]["understood"] for e in events)
    # No period given: it comes from the title «… на 2020 - 2021 год».
    assert response.context["preview"].period == (date(2020, 1, 1), date(2021, 12, 31))

    response = client.post(reverse("roadmaps:import_confirm"))
    roadmap = Roadmap.objects.get(municipality=world.home)
    assert response.url == reverse("roadmaps:detail", args=[roadmap.pk])
    assert roadmap.level == "municipality" and roadmap.events.count() == 32
    assert roadmap.tasks and roadmap.indicators.count() == 4


def test_municipal_coordinator_cannot_import_for_another_municipality(client, world, samples_dir):
    login_as(client, world, "municipal")
    response = _upload(
        client,
        samples_dir / "002_kargasok_roadmap_2020.docx",
        "002.docx",
        level="municipality",
        municipality=world.foreign.pk,
    )
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors  # not among its choices
    assert response.context["preview"] is None


@pytest.mark.parametrize("role", ["curator", "expert", "observer"])
def test_import_is_refused_to_roles_that_do_not_write_roadmaps(client, world, role):
    login_as(client, world, role)
    assert client.get(reverse("roadmaps:import")).status_code == 403


# --- bad files -------------------------------------------------------------------------------


def _docx_without_table(tmp_path) -> bytes:
    document = docx.Document()
    document.add_heading("Протокол совещания", level=1)
    document.add_paragraph("Присутствовали: руководители школ Каргасокского района.")
    path = tmp_path / "protocol.docx"
    document.save(path)
    return path.read_bytes()


BAD_FILES = {
    "old .doc": (lambda tmp: ole_file("WordDocument", "1Table"), "карта.doc", "LibreOffice"),
    "password": (
        lambda tmp: ole_file("EncryptionInfo", "EncryptedPackage"),
        "карта.docx",
        "защищён паролем",
    ),
    "damaged zip": (
        lambda tmp: b"PK\x03\x04" + b"\x14\x00\x00\x00" + b"oops" * 200,
        "карта.docx",
        "повреждён",
    ),
    "no table": (_docx_without_table, "протокол.docx", "таблиц"),
    "not office": (lambda tmp: "Просто текст".encode(), "карта.docx", "не является документом"),
}


@pytest.mark.usefixtures("without_libreoffice")
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_gives_a_russian_message_and_saves_nothing(client, world, tmp_path, case):
    make, name, expected = BAD_FILES[case]
    login_as(client, world, "region")
    before = Roadmap.objects.count()

    response = _upload(client, make(tmp_path), name, level="region", period="2023")

    assert response.status_code == 200
    assert expected in response.context["error"]
    html = response.content.decode()
    assert 'data-testid="import-error"' in html and "ничего не сохранено" in html
    assert response.context["preview"] is None
    assert "roadmap_import" not in client.session
    assert Roadmap.objects.count() == before
    confirm = client.post(reverse("roadmaps:import_confirm"))
    assert confirm.url == reverse("roadmaps:import") and Roadmap.objects.count() == before


def test_a_file_over_twenty_megabytes_is_refused(client, world):
    login_as(client, world, "region")
    big = b"PK\x03\x04" + b"\x00" * (21 * 1024 * 1024)

    response = _upload(client, big, "огромная.docx", level="region", period="2023")

    assert response.status_code == 200
    assert response.context["error"] == "Файл больше 20 МБ — такой файл не принимается."
    assert "roadmap_import" not in client.session
    assert not Roadmap.objects.filter(level="region").exclude(pk=world.regional_roadmap.pk).exists()


def test_the_upload_limit_comes_from_the_settings(client, world, settings, samples_dir):
    settings.MAX_UPLOAD_BYTES = 4096  # the 003 sample has about 10 KB
    login_as(client, world, "region")
    response = _upload(
        client,
        samples_dir / "003_region_roadmap_2023.docx",
        "003.docx",
        level="region",
        period="2023",
    )
    assert response.context["preview"] is None
    assert "не принимается" in response.context["error"]


def test_a_missing_period_is_asked_for(client, world, samples_dir, tmp_path):
    document = docx.Document(samples_dir / "003_region_roadmap_2023.docx")
    for paragraph in document.paragraphs:
        if "2023" in paragraph.text:
            for run in paragraph.runs:
                run.text = run.text.replace("2023", "")
    path = tmp_path / "no-year.docx"
    document.save(path)
    login_as(client, world, "region")
    response = _upload(client, path, "no-year.docx", level="region")
    assert "укажите его" in response.context["error"]
    assert "roadmap_import" not in client.session


# --- inline editing with HTMX -----------------------------------------------------------------


def _event_data(event, **changes) -> dict:
    data = {
        "number": event.number,
        "text": event.text,
        "deadline_text": event.deadline_text,
        "executors_text": event.executors_text,
        "indicator_text": event.indicator_text,
        "evidence_text": event.evidence_text,
        "section": event.section_id or "",
        "target_quantity": event.target_quantity or "",
        "target_unit": event.target_unit,
    }
    return {**data, **changes}


def test_inline_editing_fixes_a_deadline_that_was_not_understood(client, world):
    roadmap, event = municipal_roadmap(world, deadline="когда-нибудь потом")
    login_as(client, world, "municipal")
    page = client.get(reverse("roadmaps:detail", args=[roadmap.pk])).content.decode()
    assert "срок не распознан" in page and 'data-testid="edit-event"' in page

    form = client.get(reverse("roadmaps:event_edit", args=[event.pk]), HTTP_HX_REQUEST="true")

    assert form.status_code == 200
    html = form.content.decode()
    assert html.lstrip().startswith(f'<tr id="event-{event.pk}"')  # a row, not a page
    assert "<html" not in html and 'hx-post="' in html and 'name="deadline_text"' in html

    row = client.post(
        reverse("roadmaps:event_edit", args=[event.pk]),
        _event_data(event, deadline_text="до 15 мая 2026"),
        HTTP_HX_REQUEST="true",
    )

    assert row.status_code == 200
    html = row.content.decode()
    assert html.lstrip().startswith(f'<tr id="event-{event.pk}"') and "<form" not in html
    assert "до 15.05.2026" in html and "срок не распознан" not in html
    event.refresh_from_db()
    assert event.deadline_understood and event.due_on == date(2026, 5, 15)
    assert event.deadline_text == "до 15 мая 2026"
    assert list(event.periods.values_list("end", flat=True)) == [date(2026, 5, 15)]


def test_inline_editing_shows_errors_in_the_form_row(client, world):
    roadmap, event = municipal_roadmap(world)
    login_as(client, world, "municipal")
    response = client.post(
        reverse("roadmaps:event_edit", args=[event.pk]),
        _event_data(event, text=""),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<form" in response.content.decode() and response.context["form"].errors
    event.refresh_from_db()
    assert event.text == "Совещание с руководителями школ"


def test_editing_without_htmx_is_a_full_page_and_redirects(client, world):
    roadmap, event = municipal_roadmap(world)
    login_as(client, world, "municipal")
    page = client.get(reverse("roadmaps:event_edit", args=[event.pk]))
    assert "<html" in page.content.decode()
    response = client.post(
        reverse("roadmaps:event_edit", args=[event.pk]),
        _event_data(event, executors_text="УООиП"),
    )
    assert response.url == reverse("roadmaps:detail", args=[roadmap.pk])
    assert [x.written for x in RoadmapEvent.objects.get(pk=event.pk).executors.all()] == ["УООиП"]


@pytest.mark.parametrize("status", [RoadmapStatus.SUBMITTED, RoadmapStatus.APPROVED])
def test_a_submitted_or_approved_roadmap_refuses_edits(client, world, status):
    roadmap, event = municipal_roadmap(world, deadline="март 2026", status=status)
    login_as(client, world, "municipal")
    page = client.get(reverse("roadmaps:detail", args=[roadmap.pk])).content.decode()
    assert 'data-testid="edit-event"' not in page

    url = reverse("roadmaps:event_edit", args=[event.pk])
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 403
    response = client.post(
        url, _event_data(event, deadline_text="май 2026"), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 403
    event.refresh_from_db()
    assert event.deadline_text == "март 2026" and event.due_on == date(2026, 3, 31)


def test_a_returned_roadmap_is_edited_again(client, world):
    """«Возвращена на доработку» means: to be revised — its owner edits it and resubmits."""
    roadmap, event = municipal_roadmap(world, status=RoadmapStatus.RETURNED)
    login_as(client, world, "municipal")
    response = client.post(
        reverse("roadmaps:event_edit", args=[event.pk]),
        _event_data(event, deadline_text="июнь 2026"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert RoadmapEvent.objects.get(pk=event.pk).due_on == date(2026, 6, 30)


@pytest.mark.parametrize("role", ["curator", "school", "observer"])
def test_others_cannot_edit_a_municipal_roadmap(client, world, role):
    roadmap, event = municipal_roadmap(world)
    login_as(client, world, role)
    response = client.post(
        reverse("roadmaps:event_edit", args=[event.pk]),
        _event_data(event, text="Чужая правка"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code in (403, 404)
    assert RoadmapEvent.objects.get(pk=event.pk).text == "Совещание с руководителями школ"


def test_a_foreign_event_is_not_found(client, world):
    login_as(client, world, "municipal")
    for name in ("event", "event_edit", "event_row"):
        response = client.get(reverse(f"roadmaps:{name}", args=[9001]), HTTP_HX_REQUEST="true")
        assert response.status_code == 404, name
        assert "Чуж" not in response.content.decode()


# --- the event page speaks Russian and starts the report where it is due ---------------------


def test_the_event_page_is_russian_and_the_report_form_is_prefilled(client, world):
    roadmap, event = municipal_roadmap(world)
    march = event.periods.get(start=date(2026, 3, 1))
    event.periods.filter(end__lt=march.start).update(status=ProgressStatus.DONE)
    Roadmap.objects.filter(level="region").update(status=RoadmapStatus.ARCHIVED)
    login_as(client, world, "municipal")

    response = client.get(reverse("roadmaps:event", args=[event.pk]))

    html = response.content.decode()
    assert "повтор: ежемесячно" in html and "повтор: monthly" not in html
    assert "Select an option" not in html
    form = response.context["report_form"]
    assert form.initial["period"] == march.pk  # the earliest period not yet done
    today = timezone.localdate().isoformat()
    assert f'type="date" name="done_on" value="{today}"' in html  # the picker reads ISO only
    assert response.context["parent_form"] is None  # no regional roadmap to link to
    assert "Мероприятие региональной карты" not in html
    # The audit trail names who created the event, even outside a request.
    assert event.history.earliest("history_date").history_user == world.users.municipal


def test_the_import_preview_names_recurrences_in_russian(client, world, samples_dir):
    login_as(client, world, "region")
    page = client.get(reverse("roadmaps:import")).content.decode()
    assert "Select an option" not in page and "— не выбран —" in page
    response = _upload(
        client,
        samples_dir / "003_region_roadmap_2023.docx",
        "003.docx",
        level="region",
        period="2023",
    )
    html = response.content.decode()
    assert "(ежемесячно)" in html and "monthly" not in html


def test_the_approval_form_offers_today_in_iso(client, world):
    roadmap, _ = municipal_roadmap(world, status=RoadmapStatus.SUBMITTED)
    login_as(client, world, "municipal")
    html = client.get(reverse("roadmaps:detail", args=[roadmap.pk])).content.decode()
    assert f'name="day" value="{timezone.localdate().isoformat()}"' in html


# --- progress, evidence, review ----------------------------------------------------------------


def _review(client, report, decision, comment=""):
    return client.post(
        reverse("roadmaps:report_review", args=[report.pk]),
        {"decision": decision, "comment": comment},
        follow=True,
    )


def test_report_with_evidence_is_returned_then_a_new_one_accepted(client, world, curator_client):
    roadmap, event = municipal_roadmap(world)
    march = event.periods.get(start=date(2026, 3, 1))
    login_as(client, world, "municipal")

    page = post_report(client, event, march)

    assert page.status_code == 200 and "Отчёт сохранён." in _messages(page)
    report = ProgressReport.objects.get(event=event)
    assert report.reported_by == world.users.municipal
    assert report.status == ProgressStatus.DONE and report.done_on == date(2026, 3, 20)
    assert report.links == ["https://kargasok.example.ru/news/1"]
    evidence = report.evidence.get()
    assert evidence.original_name == "протокол.pdf" and evidence.content_type == "application/pdf"
    html = page.content.decode()
    assert "протокол.pdf" in html and "https://kargasok.example.ru/news/1" in html
    march.refresh_from_db()
    assert march.status == ProgressStatus.DONE

    # The curator may not return a report without saying why.
    page = _review(curator_client, report, "return")
    assert any("почему" in m for m in _messages(page))
    assert ProgressReport.objects.get(pk=report.pk).review_state == ReviewState.PENDING

    page = _review(curator_client, report, "return", "Нет подписи на протоколе")

    report.refresh_from_db()
    march.refresh_from_db()
    assert report.review_state == ReviewState.RETURNED
    assert report.review_comment == "Нет подписи на протоколе"
    assert report.reviewed_by == world.users.curator
    assert march.status == ProgressStatus.NOT_STARTED  # a returned report no longer counts
    html = page.content.decode()
    assert "возвращён" in html and "Нет подписи на протоколе" in html
    # The history names the reviewer as people know them, not by login.
    assert f"проверил: — → {world.users.curator.display_name}<" in html
    assert "→ curator<" not in html

    post_report(client, event, march, comment="Протокол с подписью")
    second = ProgressReport.objects.filter(event=event).exclude(pk=report.pk).get()
    page = _review(curator_client, second, "accept")

    second.refresh_from_db()
    march.refresh_from_db()
    assert "Отчёт принят." in _messages(page)
    assert second.review_state == ReviewState.ACCEPTED and march.status == ProgressStatus.DONE
    report.refresh_from_db()
    assert report.review_state == ReviewState.RETURNED  # the history stays


def test_a_reporter_does_not_review_their_own_report(client, world):
    roadmap, event = municipal_roadmap(world)
    login_as(client, world, "municipal")
    post_report(client, event, event.periods.get(start=date(2026, 3, 1)))
    report = ProgressReport.objects.get(event=event)
    page = _review(client, report, "accept")
    assert any("Свой отчёт" in m for m in _messages(page))
    assert ProgressReport.objects.get(pk=report.pk).review_state == ReviewState.PENDING


def test_a_fake_pdf_and_a_bad_link_are_refused(client, world):
    roadmap, event = municipal_roadmap(world)
    march = event.periods.get(start=date(2026, 3, 1))
    login_as(client, world, "municipal")

    fake = SimpleUploadedFile("акт.pdf", b"MZ\x90\x00 an exe", "application/pdf")
    page = post_report(client, event, march, files=fake)
    assert any("не принят" in m for m in _messages(page))
    page = post_report(client, event, march, links="javascript:alert(1)")
    assert any("не ссылка" in m for m in _messages(page))
    page = post_report(client, event, march, status="взорвать")
    assert any("Отчёт не сохранён" in m for m in _messages(page))

    assert not ProgressReport.objects.filter(event=event).exists()
    assert not Evidence.objects.filter(report__event=event).exists()
    march.refresh_from_db()
    assert march.status == ProgressStatus.NOT_STARTED


# The curator is an executor of this event («УООиП, кураторы») and reports as one: see
# test_report_scope.py.
@pytest.mark.parametrize("role", ["school", "observer"])
def test_only_the_owner_side_reports_on_a_municipal_event(client, world, role):
    roadmap, event = municipal_roadmap(world)
    login_as(client, world, role)
    response = client.post(
        reverse("roadmaps:event_report", args=[event.pk]),
        {"status": "done", "period": event.periods.first().pk},
    )
    assert response.status_code in (302, 404)
    assert not ProgressReport.objects.filter(event=event).exists()


def test_evidence_download_is_scoped(client, world):
    roadmap, event = municipal_roadmap(world)
    login_as(client, world, "municipal")
    post_report(client, event, event.periods.get(start=date(2026, 3, 1)))
    evidence = Evidence.objects.get(report__event=event)
    url = reverse("roadmaps:evidence", args=[evidence.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("roadmaps:evidence", args=[9001])).status_code == 404

    client.force_login(world.users.curator)
    assert client.get(url).status_code == 200
    outsider = UserFactory(username="foreign", role=Role.MUNICIPAL, municipality=world.foreign)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("roadmaps:evidence", args=[9001])).status_code == 200
    client.force_login(world.users.school)
    assert client.get(url).status_code == 404


# --- approval and export ----------------------------------------------------------------------


_APPROVAL = {"kind": "приказ УООиП", "number": "353", "day": "2026-02-10"}


def test_submit_then_approve_by_a_document(client, world):
    roadmap, _ = municipal_roadmap(world)
    login_as(client, world, "municipal")
    transition = reverse("roadmaps:transition", args=[roadmap.pk, "submit"])
    client.post(transition)
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.SUBMITTED

    approve = reverse("roadmaps:transition", args=[roadmap.pk, "approve"])
    page = client.post(approve, _APPROVAL, follow=True)
    assert any("утверждает другой сотрудник" in m for m in _messages(page))  # not one's own
    client.force_login(world.users.curator)
    page = client.post(approve, {"kind": "приказ УООиП", "day": "2026-02-10"}, follow=True)
    assert any("номер" in m for m in _messages(page))
    assert Roadmap.objects.get(pk=roadmap.pk).status == RoadmapStatus.SUBMITTED

    page = client.post(
        approve,
        {
            "kind": "приказ УООиП",
            "number": "353",
            "day": "2026-02-10",
            "file": SimpleUploadedFile("приказ.pdf", PDF, "application/pdf"),
        },
        follow=True,
    )

    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.APPROVED
    assert (roadmap.approval_kind, roadmap.approval_number, roadmap.approval_date) == (
        "приказ УООиП",
        "353",
        date(2026, 2, 10),
    )
    assert roadmap.approval_file.read() == PDF
    html = page.content.decode()
    assert "Карта утверждена." in _messages(page)
    assert "утверждена: приказ УООиП от 10.02.2026 № 353" in html
    assert 'data-testid="roadmap-status">утверждена<' in html
    assert list(roadmap.transitions.values_list("to_status", flat=True))[:2] == [
        "approved",
        "submitted",
    ]


@pytest.mark.parametrize("role", ["school", "observer", "expert"])
def test_approval_is_refused_to_those_who_do_not_review(client, world, role):
    roadmap, _ = municipal_roadmap(world, status=RoadmapStatus.SUBMITTED)
    login_as(client, world, role)
    response = client.post(
        reverse("roadmaps:transition", args=[roadmap.pk, "approve"]),
        {"kind": "приказ", "number": "1", "day": "2026-02-10"},
    )
    assert response.status_code in (302, 404)
    assert Roadmap.objects.get(pk=roadmap.pk).status == RoadmapStatus.SUBMITTED


def test_an_unknown_transition_is_not_found(client, world):
    roadmap, _ = municipal_roadmap(world)
    login_as(client, world, "municipal")
    url = reverse("roadmaps:transition", args=[roadmap.pk, "explode"])
    assert client.post(url).status_code == 404
    assert (
        client.get(reverse("roadmaps:transition", args=[roadmap.pk, "submit"])).status_code == 405
    )


@pytest.fixture
def region_roadmap(world, samples_dir):
    Organisation.objects.create(
        short_name="ДОО ТО",
        name="Департамент общего образования Томской области",
        kind=OrganisationKind.REGIONAL_AUTHORITY,
        abbreviations=["ДОО ТО", "ДОО"],
    )
    return apply_roadmap_import(
        world.users.region,
        plan_roadmap_import(
            read_roadmap(samples_dir / "003_region_roadmap_2023.docx"),
            (date(2026, 1, 1), date(2026, 12, 31)),
        ),
        level="region",
        title="",
        owner_name="ДОО ТО",
    )


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_export_reads_back_as_the_same_events(client, world, region_roadmap, fmt, content_type):
    login_as(client, world, "municipal")  # a regional roadmap is readable by everyone
    response = client.get(reverse("roadmaps:export", args=[region_roadmap.pk, fmt]))

    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert f'filename="roadmap-{region_roadmap.pk}.{fmt}"' in response["Content-Disposition"]
    parsed = read_roadmap(response.content, f"export.{fmt}")
    saved = list(region_roadmap.events.order_by("order"))
    assert len(parsed.events) == 35 and len(parsed.sections) == 4
    assert [e.number for e in parsed.events] == [e.number for e in saved]
    assert [e.deadline_text for e in parsed.events] == [e.deadline_text for e in saved]


def test_export_is_scoped_and_knows_its_formats(client, world, region_roadmap):
    login_as(client, world, "municipal")
    assert client.get(reverse("roadmaps:export", args=[9001, "docx"])).status_code == 404
    assert (
        client.get(reverse("roadmaps:export", args=[region_roadmap.pk, "pdf"])).status_code == 404
    )


# --- the overview pages for every role ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_overview_pages_render_for_every_role(client, world, region_roadmap, role):
    services.approve_roadmap(
        world.users.region,
        region_roadmap,
        kind="распоряжение ДОО ТО",
        number="352-р",
        day=date(2026, 3, 13),
    )
    municipal, _ = municipal_roadmap(world)
    login_as(client, world, role)

    pages = {
        "list": reverse("roadmaps:list"),
        "tasks": reverse("roadmaps:tasks"),
        "overdue": reverse("roadmaps:overdue"),
        "overdue week": reverse("roadmaps:overdue") + "?horizon=week",
        "overdue month": reverse("roadmaps:overdue")
        + f"?horizon=month&municipality={world.home.pk}",
        "region roadmap": reverse("roadmaps:detail", args=[region_roadmap.pk]),
        "region timeline": reverse("roadmaps:timeline", args=[region_roadmap.pk]),
        "region event": reverse("roadmaps:event", args=[region_roadmap.events.first().pk]),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "Чуж" not in response.content.decode() or role in (
            "region",
            "operator",
            "expert",
            "observer",
        ), name

    timeline = client.get(reverse("roadmaps:timeline", args=[region_roadmap.pk]))
    assert timeline.content.decode().count("<tr>") == 1 + 35
    sees_home = role not in ("school",)
    municipal_page = client.get(reverse("roadmaps:timeline", args=[municipal.pk]))
    assert municipal_page.status_code == (200 if sees_home else 404)
    tasks = client.get(reverse("roadmaps:tasks")).content.decode()
    if role in ("municipal", "school", "curator"):
        assert 'data-testid="regional-tasks"' in tasks  # «Задачи от региона»


def test_my_tasks_lists_the_open_events_of_my_roadmaps(client, world):
    roadmap, event = municipal_roadmap(world, deadline="до 20 декабря 2026")
    login_as(client, world, "municipal")
    assert (
        "Совещание с руководителями школ"
        not in client.get(reverse("roadmaps:tasks")).content.decode()
    )  # a draft has no tasks yet
    Roadmap.objects.filter(pk=roadmap.pk).update(status=RoadmapStatus.APPROVED)
    login_as(client, world, "municipal")
    html = client.get(reverse("roadmaps:tasks")).content.decode()
    assert "Совещание с руководителями школ" in html and "Чуж" not in html
    client.force_login(world.users.school)
    assert (
        "Совещание с руководителями школ"
        not in client.get(reverse("roadmaps:tasks")).content.decode()
    )


def test_overdue_page_counts_and_filters(client, world):
    roadmap, event = municipal_roadmap(world)
    Roadmap.objects.filter(pk=roadmap.pk).update(status=RoadmapStatus.APPROVED)
    today = timezone.localdate()
    past = EventPeriod.objects.filter(event=event, end__lt=today).count()
    login_as(client, world, "municipal")
    response = client.get(reverse("roadmaps:overdue"))
    assert response.context["total"] == past
    response = client.get(reverse("roadmaps:overdue") + f"?municipality={world.foreign.pk}")
    assert response.context["total"] == 0  # another municipality's filter shows nothing of it


# --- a page's number of queries does not grow with its rows -----------------------------------


def _roadmap_with_events(
    world, n: int, *, open_periods_each: int = 2, status: str = RoadmapStatus.DRAFT
) -> Roadmap:
    """A municipal roadmap with ``n`` events, each with executors, a school and periods."""
    roadmap = Roadmap.objects.create(
        status=status,
        level="municipality",
        municipality=world.home,
        title=f"Синтетическая карта на {n} мероприятий",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        has_indicator_column=True,
        has_evidence_column=True,
    )
    sections = [
        RoadmapSection.objects.create(roadmap=roadmap, order=i, title=f"Раздел {i + 1}")
        for i in range(4)
    ]
    organisation = Organisation.objects.create(
        short_name="УООиП",
        name="Управление образования, опеки и попечительства",
        kind=OrganisationKind.MUNICIPAL_AUTHORITY,
        municipality=world.home,
    )
    events = RoadmapEvent.objects.bulk_create(
        RoadmapEvent(
            roadmap=roadmap,
            section=sections[i % 4],
            order=i + 1,
            number=f"{i + 1}.",
            text=f"Мероприятие {i + 1}",
            deadline_text="ежемесячно" if i % 3 else "когда-нибудь",
            deadline_understood=bool(i % 3),
            due_on=date(2026, 12, 31),
            indicator_text="Проведено",
            evidence_text="Протокол",
        )
        for i in range(n)
    )
    EventExecutor.objects.bulk_create(
        x
        for i, e in enumerate(events)
        for x in (
            EventExecutor(event=e, order=0, written="УООиП", organisation=organisation),
            EventExecutor(event=e, order=1, written="кураторы", role="curator"),
            EventExecutor(event=e, order=2, written="РМО-х", known=False),
        )
    )
    RoadmapEvent.schools.through.objects.bulk_create(
        RoadmapEvent.schools.through(roadmapevent_id=e.pk, school_id=world.home_school.pk)
        for e in events
    )
    today = timezone.localdate()
    EventPeriod.objects.bulk_create(
        EventPeriod(
            event=e,
            start=today - timedelta(days=60 + k),
            end=today - timedelta(days=30 + k),
            # every other event also has a finished period, which overdue control skips
            status="done" if k == open_periods_each else "not_started",
        )
        for i, e in enumerate(events)
        for k in range(open_periods_each + i % 2)
    )
    for e in events[:3]:
        ProgressReport.objects.create(event=e, status="in_progress", comment="идёт")
    return roadmap


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["municipal", "region", "curator"])
def test_the_roadmap_page_runs_the_same_queries_for_10_and_120_events(client, world, role):
    small = _roadmap_with_events(world, 10)
    Organisation.objects.filter(short_name="УООиП").delete()
    large = _roadmap_with_events(world, 120)
    login_as(client, world, role)

    for suffix in (
        "",
        "?state=overdue",
        f"?section={large.sections.first().pk}&executor=role:curator",
    ):
        few = _queries(client, reverse("roadmaps:detail", args=[small.pk]) + suffix)
        many = _queries(client, reverse("roadmaps:detail", args=[large.pk]) + suffix)
        assert few == many, suffix
    html = client.get(reverse("roadmaps:detail", args=[large.pk])).content.decode()
    assert html.count('data-testid="event-row"') == 100  # a page of a hundred events
    assert "Мероприятия 1–100 из 120" in html
    second = client.get(reverse("roadmaps:detail", args=[large.pk]) + "?page=2").content.decode()
    assert second.count('data-testid="event-row"') == 20
    assert _queries(client, reverse("roadmaps:timeline", args=[small.pk])) == _queries(
        client, reverse("roadmaps:timeline", args=[large.pk])
    )


@pytest.mark.parametrize("role", ["municipal", "region", "curator"])
def test_the_overdue_page_runs_the_same_queries_for_20_and_400_open_periods(client, world, role):
    login_as(client, world, role)
    url = reverse("roadmaps:overdue")
    queries = [f"?horizon={h}" for h in ("overdue", "week", "month")]
    queries.append(f"?municipality={world.home.pk}&executor=role:curator")

    def figures():
        total = client.get(url + f"?municipality={world.home.pk}").context["total"]
        counts = {q: _queries(client, url + q) for q in queries}
        return total, counts, _queries(client, reverse("roadmaps:tasks"))

    small = _roadmap_with_events(world, 10, open_periods_each=2, status=RoadmapStatus.APPROVED)
    few_total, few, few_tasks = figures()
    small.delete()
    Organisation.objects.filter(short_name="УООиП").delete()
    _roadmap_with_events(world, 200, open_periods_each=2, status=RoadmapStatus.APPROVED)
    many_total, many, many_tasks = figures()

    assert (few_total, many_total) == (20, 400)
    assert few == many
    assert few_tasks == many_tasks


# --- garbage in the address never gives a server error ----------------------------------------

HUGE = "9" * 30

DETAIL_GARBAGE = [
    "?section=abc&executor=org:xx&state=<script>alert(1)</script>",
    "?section=-1&executor=org:&state=",
    f"?section={HUGE}&executor=org:{HUGE}",
    "?executor=role:<b>&state=done",
    "?executor=unknown&state=unknown_deadline",
    "?section=1.5&executor=org:1%00&state=%00",
    "?section=٣&executor=org:٣",  # Arabic-Indic digits pass str.isdigit()
]
OVERDUE_GARBAGE = [
    "?horizon=zzz&municipality=abc",
    "?horizon=&municipality=-5&executor=org:xx",
    f"?municipality={HUGE}&executor=org:{HUGE}",
    "?municipality=٣&executor=org:٣",
    "?executor=role:%3Cscript%3E&horizon=week",
]


@pytest.mark.parametrize("query", DETAIL_GARBAGE)
def test_garbage_filters_on_the_roadmap_page_are_ignored(client, world, query):
    roadmap, _ = municipal_roadmap(world)
    login_as(client, world, "municipal")
    response = client.get(reverse("roadmaps:detail", args=[roadmap.pk]) + query)
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("query", OVERDUE_GARBAGE)
def test_garbage_filters_on_the_overdue_page_are_ignored(client, world, query):
    municipal_roadmap(world)
    login_as(client, world, "region")
    response = client.get(reverse("roadmaps:overdue") + query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("query", ["?status=<x>&level=zzz", "?status=approved&level=region"])
def test_garbage_filters_on_the_list_are_ignored(client, world, query):
    login_as(client, world, "curator")
    assert client.get(reverse("roadmaps:list") + query).status_code == 200


def test_review_and_parent_link_with_garbage_ids(client, world):
    roadmap, event = municipal_roadmap(world)
    login_as(client, world, "municipal")
    assert client.post(reverse("roadmaps:report_review", args=[9001])).status_code == 404
    response = client.post(
        reverse("roadmaps:event_parent", args=[event.pk]), {"parent_event": "abc"}
    )
    assert response.status_code in (302, 404)
    response = client.post(
        reverse("roadmaps:event_report", args=[event.pk]),
        {"status": "done", "period": "abc", "done_on": "32.13.2026"},
        follow=True,
    )
    assert response.status_code == 200
    assert not ProgressReport.objects.filter(event=event).exists()


def test_a_report_form_with_an_error_keeps_everything_entered(client, world):
    """Issue 16: the form came back empty and «выполнено»; now it keeps status and comment and
    says to choose the file again."""
    roadmap, event = municipal_roadmap(world)
    march = event.periods.get(start=date(2026, 3, 1))
    login_as(client, world, "municipal")
    page = client.post(
        reverse("roadmaps:event_report", args=[event.pk]),
        {
            "period": march.pk,
            "status": "in_progress",
            "done_on": "31.02.2026",
            "comment": "Совещание перенесено на апрель",
            "files": SimpleUploadedFile("протокол.pdf", PDF, "application/pdf"),
        },
    )
    assert page.status_code == 200
    form = page.context["report_form"]
    assert form.data["status"] == "in_progress"
    html = page.content.decode()
    assert "Совещание перенесено на апрель" in html
    assert any("выберите их снова" in m for m in _messages(page))
    assert not ProgressReport.objects.filter(event=event).exists()


def test_a_school_reads_the_periods_of_a_regional_event_as_its_own_reports(client, world):
    """The walk of issue 16: after the curator accepted the school's report, the school's
    event page still read «просрочено · не начато» — the region's own execution."""
    event = regional_school_event("15.", "Мониторинг ШНОР")
    march = EventPeriod.objects.create(event=event, start=date(2026, 3, 1), end=date(2026, 3, 31))
    EventPeriod.objects.create(event=event, start=date(2026, 4, 1), end=date(2026, 4, 30))
    report = services.report_progress(
        world.users.school, event, status="done", period=march, school=world.home_school
    )
    services.review_report(world.users.curator, report, accept=True, comment="")

    login_as(client, world, "school")
    html = client.get(reverse("roadmaps:event", args=[event.pk])).content.decode()
    assert "Отчётные периоды · ваши отчёты" in html
    assert 'data-testid="my-period-state">отчёт принят<' in html
    assert 'data-testid="my-period-state">просрочено · отчёта нет<' in html  # April
    periods = html.split('data-testid="periods"')[1].split("</ul>")[0]
    assert "не начато" not in periods
    # The region reads its own execution, as before.
    login_as(client, world, "region")
    html = client.get(reverse("roadmaps:event", args=[event.pk])).content.decode()
    periods = html.split('data-testid="periods"')[1].split("</ul>")[0]
    assert "ваши отчёты" not in html and "просрочено · не начато" in periods
