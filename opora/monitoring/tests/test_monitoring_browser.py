"""Monitoring in a real browser: a school fills its checklist and submits it; the municipality
accepts it, generates the order, edits a sentence, fixes it with a number and date, and
downloads the .docx. Screenshots of each step go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document as read_docx
from playwright.sync_api import expect

from opora.browser_fixtures import SCREENSHOTS, login, shot
from opora.monitoring import checklist as checklist
from opora.monitoring import selectors as monitoring_selectors
from opora.monitoring import services as monitoring
from opora.monitoring.defaults import ensure_default_template


@pytest.fixture
def campaign(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return monitoring.create_campaign(
        world.users.municipal,
        title="Мониторинг выполнения программ повышения качества образования",
        municipality=world.home,
        template=ensure_default_template(),
        period_text="1 полугодие 2025-2026 учебного года",
        due_date=date(2026, 2, 15),
    )


def _logout(page):
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_a_school_fills_its_checklist_and_the_municipality_issues_the_order(
    transactional_db, world, live_server, page, campaign, settings, tmp_path
):
    # The link check runs as a task right after the save (a worker would, a moment later);
    # the card shows «проверяется…» and then the stored result, as a school sees it.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    labels = checklist.item_labels(monitoring_selectors.template_items(campaign.template))

    # The school: the campaign list, its sheet, one item after another saved by HTMX.
    login(page, live_server, "school")
    page.goto(f"{live_server.url}/reviews/monitoring/")
    page.get_by_role("link", name="Заполнить").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Чек-лист: МКОУ «Вертикосская СОШ»"
    )
    expect(page.get_by_test_id("progress")).to_have_text(f"0 из {len(labels)}")
    for label in labels.values():
        card = page.get_by_test_id(f"item-{label}")
        answer = "частично" if label == "6.3" else "выполнено"
        card.get_by_label(answer, exact=True).check()
        if label == "2":
            card.get_by_label("Охваченные классы").fill("для обучающихся 5-9 классов")
        if label == "4.1":
            card.get_by_label("Ссылки на материалы").fill("https://vertikos.example/kachestvo")
        if label == "9":
            card.get_by_label("Конкурсы, в которых есть участники").fill(
                "Учитель года-2026\nПедагог-наставник"
            )
        if label == "1.1":  # a file confirming the item goes with its save
            order = tmp_path / "Приказ № 12.pdf"
            order.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
            card.get_by_test_id("files-1.1").set_input_files(order)
        card.get_by_test_id(f"save-{label}").click()
        expect(page.get_by_test_id(f"item-{label}").get_by_test_id("saved")).to_be_visible()
    expect(page.get_by_test_id("evidence-1.1")).to_contain_text("Приказ № 12.pdf")
    expect(page.get_by_test_id("progress")).to_have_text(f"{len(labels)} из {len(labels)}")
    link_card = page.get_by_test_id("item-4.1")
    expect(link_card.get_by_test_id("links")).to_contain_text("не проверено")
    link_card.scroll_into_view_if_needed()
    shot(page, "monitoring-1-school-sheet")
    page.once("dialog", lambda dialog: dialog.accept())  # sending asks first
    page.get_by_test_id("submit-sheet").click()
    expect(page.locator(".alert-success")).to_contain_text("Чек-лист отправлен в муниципалитет")
    expect(page.get_by_text("отправлен", exact=True)).to_be_visible()
    _logout(page)

    # The municipality: the campaign page, the sheet, acceptance.
    login(page, live_server, "municipal")
    page.goto(f"{live_server.url}/reviews/monitoring/{campaign.pk}/")
    expect(page.get_by_test_id("completion")).to_contain_text("100 %")
    shot(page, "monitoring-2-campaign")
    page.get_by_role("link", name="МКОУ «Вертикосская СОШ»").click()
    expect(page.get_by_test_id("item-2")).to_contain_text("для обучающихся 5-9 классов")
    page.get_by_test_id("accept").click()
    expect(page.locator(".alert-success")).to_contain_text("принят")
    expect(page.get_by_test_id("sheets")).to_contain_text("принят")

    # The order: options, the suggested instruction, the draft.
    page.get_by_test_id("order").click()
    expect(page.get_by_test_id("findings")).to_contain_text("МКОУ «Вертикосская СОШ»")
    expect(page.get_by_test_id("suggestions")).to_contain_text(
        "Организовать внутришкольное методическое сопровождение учителей по подготовке"
    )
    page.get_by_label("Организация (шапка)").fill("Управление образования\nКаргасокского района")
    page.get_by_label("Контроль возложить на").fill("Петрова Н.В.")
    page.get_by_label("Его должность").fill("главный специалист управления образования")
    page.get_by_label("Должность подписывающего").fill("Начальник управления")
    page.get_by_label("Подписывает (И.О. Фамилия)").fill("А.А. Иванова")
    page.get_by_label("Срок исполнения поручений").fill("2026-04-01")
    shot(page, "monitoring-3-order-form")
    page.get_by_test_id("generate").click()
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("РАСПОРЯЖЕНИЕ")
    expect(preview).to_contain_text(
        "возложить на Петрова Н.В., главного специалиста управления образования"
    )
    shot(page, "monitoring-4-draft")

    # Edit one sentence of the text, then fix the document with a number and a date.
    page.get_by_test_id("edit").click()
    body = page.get_by_label("Текст")
    text = body.input_value()
    assert "На основе анализа результатов мониторинга выявлено следующее:" in text
    body.fill(
        text.replace(
            "На основе анализа результатов мониторинга выявлено следующее:",
            "По результатам мониторинга установлено следующее:",
        )
    )
    page.get_by_test_id("save-document").click()
    expect(preview).to_contain_text("По результатам мониторинга установлено следующее:")
    page.get_by_label("Номер").fill("45-р")
    page.get_by_label("Дата").fill("2026-03-02")
    page.once("dialog", lambda dialog: dialog.accept())  # fixing asks first
    page.get_by_test_id("fix").click()
    expect(page.get_by_test_id("fixed")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Распоряжение от 02.03.2026 № 45-р")
    expect(page.get_by_test_id("edit")).to_have_count(0)
    shot(page, "monitoring-5-fixed")

    with page.expect_download() as info:
        page.get_by_test_id("download").click()
    download = info.value
    target = SCREENSHOTS.parent / "monitoring-order.docx"
    download.save_as(str(target))
    assert download.suggested_filename.endswith(".docx")
    paragraphs = [p.text for p in read_docx(io.BytesIO(target.read_bytes())).paragraphs]
    assert "По результатам мониторинга установлено следующее:" in paragraphs
    assert "02.03.2026\t№ 45-р" in paragraphs
    assert "ПРОЕКТ" not in paragraphs


def test_the_region_starts_a_campaign_and_the_schools_follow_the_municipality(
    transactional_db, world, live_server, page
):
    login(page, live_server, "region")
    page.goto(f"{live_server.url}/reviews/monitoring/")
    page.get_by_test_id("campaign-create").click()
    municipality = page.get_by_label("Муниципалитет")
    municipality.select_option(label="Чужой район")
    choices = page.get_by_test_id("school-choices")
    expect(choices).to_contain_text("Чужая СОШ № 1")
    # As a person would, choose again once the swapped-in form has settled (HTMX listens to
    # the new select only after it has processed it).
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    municipality.select_option(label="Каргасокский район")
    expect(choices).to_contain_text("МКОУ «Вертикосская СОШ» — в списке ШНОР/ШНСУ")
    expect(choices).not_to_contain_text("Чужая")
    expect(page.get_by_label("МКОУ «Вертикосская СОШ» — в списке ШНОР/ШНСУ")).to_be_checked()
    expect(page.get_by_label("МКОУ «Новоюгинская СОШ»")).not_to_be_checked()
    page.get_by_label("Срок заполнения").fill("2026-02-15")
    shot(page, "monitoring-0-create")
    page.get_by_test_id("campaign-save").click()
    expect(page.locator(".alert-success")).to_contain_text("чек-листы открыты для 1 школы")
    expect(page.get_by_test_id("sheets")).to_contain_text("МКОУ «Вертикосская СОШ»")


def test_the_coordinator_fills_a_schools_sheet_as_one_form_and_accepts_it(
    transactional_db, world, live_server, page, campaign
):
    """Seed 004: the department checks a school itself. One form for the whole checklist; a
    change not yet saved is announced (and leaving the page would ask); the coordinator
    accepts the sheet it filled."""
    labels = checklist.item_labels(monitoring_selectors.template_items(campaign.template))
    sheet = campaign.sheets.get(school=world.home_school)
    login(page, live_server, "municipal")
    page.goto(f"{live_server.url}/reviews/monitoring/sheets/{sheet.pk}/")
    expect(page.get_by_test_id("sheet-form")).to_be_visible()
    expect(page.get_by_test_id("submit-sheet")).to_have_count(0)
    for label in labels.values():
        page.get_by_test_id(f"item-{label}").get_by_label("выполнено", exact=True).check()
    expect(page.get_by_text("Есть несохранённые изменения.")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "monitoring-coordinator-one-form-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_test_id("save-sheet").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Сохранено ответов: {len(labels)}")
    expect(page.get_by_test_id("progress")).to_have_text(f"{len(labels)} из {len(labels)}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("accept-own").click()
    expect(page.locator(".alert-success")).to_contain_text("принят")
    sheet.refresh_from_db()
    assert sheet.status == "accepted"
