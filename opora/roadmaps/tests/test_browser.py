"""Roadmaps in a real browser: import a sample, fix a deadline inline, report with a file,
return a report, approve a roadmap and export it to Word.

Issue 4, «Pages»: «Browser tests for: importing a sample, fixing a deadline the parser did not
understand, reporting progress with a file, returning a report, approving a roadmap, exporting
it». Each test gets the `world` of the root conftest in a transactional database (the live
server runs in another thread) and leaves screenshots in ``test-artifacts/screenshots/``.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.roadmaps import services
from opora.roadmaps.models import (
    ProgressReport,
    ReviewState,
    Roadmap,
    RoadmapSection,
    RoadmapStatus,
)
from opora.roadmaps.table_reader import read_roadmap

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _roadmap(world, deadline: str) -> tuple[Roadmap, object]:
    """A draft municipal roadmap of the home district with one event."""
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Дорожная карта Каргасокского района на 2026 год",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    section = RoadmapSection.objects.create(roadmap=roadmap, title="Организационные мероприятия")
    event = services.add_event(
        world.users.municipal,
        roadmap,
        section,
        number="1.",
        text="Совещание с руководителями школ по итогам диагностики",
        deadline_text=deadline,
        executors_text="УООиП, кураторы",
    )
    return roadmap, event


def test_importing_the_region_sample(transactional_db, world, live_server, page, samples_dir):
    login(page, live_server, "region")
    page.goto(f"{live_server.url}/roadmaps/")
    page.get_by_role("link", name="Импорт из Word/Excel").click()

    page.get_by_label("Файл дорожной карты").set_input_files(
        samples_dir / "003_region_roadmap_2023.docx"
    )
    page.get_by_label("Уровень").select_option("region")
    page.get_by_label("Орган (как в документе)").fill("ДОО ТО")
    page.get_by_label("Период").fill("2023")
    page.get_by_role("button", name="Проверить файл").click()

    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text("Период: 01.01.2023 – 31.12.2023 · разделов: 4")
    rows = page.locator("[data-testid=preview-event]")
    expect(rows).to_have_count(35)
    expect(page.get_by_text("не распознан", exact=True)).to_have_count(0)
    shot(page, "roadmap-import-preview")

    page.get_by_role("button", name="Сохранить карту как черновик").click()

    expect(page.locator(".alert-success")).to_contain_text("35 мероприятий")
    expect(page.get_by_test_id("event-row")).to_have_count(35)
    expect(page.get_by_test_id("roadmap-status")).to_have_text("черновик")
    assert Roadmap.objects.get(level="region", source_name__endswith=".docx").events.count() == 35
    shot(page, "roadmap-page")


def test_fixing_a_deadline_the_parser_did_not_understand(
    transactional_db, world, live_server, page
):
    roadmap, event = _roadmap(world, "когда-нибудь потом")
    login(page, live_server, "municipal")
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/")
    row = page.locator(f"#event-{event.pk}")
    expect(row.get_by_test_id("deadline-unknown")).to_contain_text("срок не распознан")
    page.evaluate("window.notReloaded = true")

    row.get_by_test_id("edit-event").click()
    field = row.get_by_label("Сроки (как написано)")
    expect(field).to_have_value("когда-нибудь потом")
    field.fill("до 15 мая 2026")
    row.get_by_role("button", name="Сохранить").click()

    expect(row).to_contain_text("до 15.05.2026")
    expect(row.get_by_test_id("deadline-unknown")).to_have_count(0)
    expect(row.locator("form")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True  # HTMX swapped the row, no reload
    event.refresh_from_db()
    assert event.deadline_understood and event.due_on == date(2026, 5, 15)


def test_reporting_progress_with_a_file(transactional_db, world, live_server, page):
    roadmap, event = _roadmap(world, "ежемесячно")
    login(page, live_server, "municipal")
    page.goto(f"{live_server.url}/roadmaps/events/{event.pk}/")

    form = page.get_by_test_id("report-form")
    form.get_by_label("Отчётный период").select_option(label="01.03.2026 – 31.03.2026")
    form.get_by_label("Состояние").select_option("done")
    form.get_by_label("Дата").fill("2026-03-20")
    form.get_by_label("Комментарий").fill("Совещание проведено, протокол приложен")
    form.get_by_label("Подтверждающие файлы").set_input_files(
        {"name": "протокол совещания.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.get_by_label("Ссылки").fill("https://kargasok.example.ru/news/1")
    form.get_by_role("button", name="Сохранить отчёт").click()

    expect(page.locator(".alert-success")).to_have_text("Отчёт сохранён.")
    reports = page.get_by_test_id("reports")
    expect(reports.get_by_role("link", name="протокол совещания.pdf")).to_be_visible()
    expect(reports).to_contain_text("Совещание проведено, протокол приложен")
    expect(reports.get_by_test_id("review-state")).to_contain_text("на проверке")
    expect(page.get_by_test_id("periods")).to_contain_text("выполнено")
    shot(page, "roadmap-event-with-report")
    evidence = ProgressReport.objects.get(event=event).evidence.get()
    assert evidence.file.read() == PDF


def test_curator_returns_a_report_with_a_comment(transactional_db, world, live_server, page):
    roadmap, event = _roadmap(world, "ежемесячно")
    services.report_progress(
        world.users.municipal,
        event,
        status="done",
        period=event.periods.get(start=date(2026, 3, 1)),
        done_on=date(2026, 3, 20),
        comment="Проведено",
        files=[SimpleUploadedFile("протокол.pdf", PDF, "application/pdf")],
    )
    login(page, live_server, "curator")
    page.goto(f"{live_server.url}/roadmaps/events/{event.pk}/")

    reports = page.get_by_test_id("reports")
    reports.get_by_label("Комментарий проверяющего").fill("Нет подписи на протоколе")
    reports.get_by_role("button", name="Вернуть").click()

    expect(page.locator(".alert-success")).to_have_text("Отчёт возвращён с комментарием.")
    state = reports.get_by_test_id("review-state")
    expect(state).to_contain_text("возвращён")
    expect(state).to_contain_text("Нет подписи на протоколе")
    expect(reports.get_by_role("button", name="Вернуть")).to_have_count(0)
    expect(page.get_by_test_id("periods")).to_contain_text("не начато")
    shot(page, "roadmap-report-returned")
    assert ProgressReport.objects.get(event=event).review_state == ReviewState.RETURNED


def test_approving_a_roadmap_and_exporting_it(transactional_db, world, live_server, page, tmp_path):
    roadmap, event = _roadmap(world, "до 20 сентября 2026")
    services.submit_roadmap(world.users.municipal, roadmap)
    login(page, live_server, "municipal")
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/")
    expect(page.get_by_test_id("roadmap-status")).to_have_text("на согласовании")
    # one's own submission is approved by someone else (issue 16)
    expect(page.get_by_test_id("own-submission")).to_be_visible()
    expect(page.get_by_test_id("approve-toggle")).to_have_count(0)
    page.get_by_role("button", name="Выйти").click()
    login(page, live_server, "curator")
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/")

    page.get_by_test_id("approve-toggle").click()
    page.get_by_label("Вид документа").fill("приказ УООиП")
    page.get_by_label("Номер").fill("353")
    page.get_by_label("Дата", exact=True).fill("2026-02-10")
    page.once("dialog", lambda dialog: dialog.accept())  # approving asks first
    page.get_by_test_id("approve").click()

    expect(page.get_by_test_id("roadmap-status")).to_have_text("утверждена")
    expect(page.locator("main")).to_contain_text("утверждена: приказ УООиП от 10.02.2026 № 353")
    expect(page.get_by_test_id("approve-toggle")).to_have_count(0)
    expect(page.get_by_test_id("edit-event")).to_have_count(0)
    shot(page, "roadmap-approved")

    with page.expect_download() as download_info:
        page.get_by_test_id("export-docx").click()
    download = download_info.value
    assert download.suggested_filename == f"roadmap-{roadmap.pk}.docx"
    path = tmp_path / "export.docx"
    download.save_as(path)
    parsed = read_roadmap(path)
    assert [(e.number, e.text, e.deadline_text) for e in parsed.events] == [
        ("1.", event.text, "до 20 сентября 2026")
    ]
    assert [s.title for s in parsed.sections] == ["Организационные мероприятия"]
    assert Roadmap.objects.get(pk=roadmap.pk).status == RoadmapStatus.APPROVED


def test_a_double_click_saves_one_report(transactional_db, world, live_server, page):
    """Issue 9: a double click on «Сохранить отчёт» sends the form once (the button waits
    for the answer; the server would refuse a second copy of the form anyway)."""
    roadmap, event = _roadmap(world, "ежемесячно")
    login(page, live_server, "municipal")
    page.goto(f"{live_server.url}/roadmaps/events/{event.pk}/")
    form = page.get_by_test_id("report-form")
    form.get_by_label("Состояние").select_option("in_progress")
    form.get_by_label("Комментарий").fill("Совещание назначено")
    form.get_by_role("button", name="Сохранить отчёт").dblclick()
    expect(page.locator(".alert-success")).to_have_text("Отчёт сохранён.")
    assert ProgressReport.objects.filter(event=event).count() == 1
