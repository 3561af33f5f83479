"""Identification in a real browser: importing a file with a bad row and then a good one with
its progress, running a calculation, what-if, comparing two runs, approving a run.

Issue 5, «Pages»: «Browser tests for importing a file with a bad row, running, comparing,
approving». The region is the hand-made one of ``conftest.py`` (ШНОР 2026: 800001, 800002,
800005); screenshots go to ``test-artifacts/screenshots/assessment-*.png``.
"""

import re

import pytest
from playwright.sync_api import expect

from opora.assessment import services
from opora.assessment.models import IdentificationRun, ResultBatch, RunStatus
from opora.browser_fixtures import SCREENSHOTS, VIEWPORT, login, shot
from opora.registry.models import SchoolStatus
from opora.testing import FOREIGN_PK
from opora.testing.assessment import (
    EXPECTED_LOW,
    csv_bytes,
    import_bytes,
    make_region,
    region_rows,
)

CSV = "text/csv"


@pytest.fixture
def region(transactional_db, world):
    return make_region(user=world.users.region)


@pytest.fixture
def imported(region):
    region.batch = import_bytes(region.user, csv_bytes(region_rows()))
    return region


def _upload(page, live_server, name: str, data: bytes) -> int:
    page.goto(f"{live_server.url}/assessment/batches/")
    page.get_by_label("Файл результатов").set_input_files(
        {"name": name, "mimeType": CSV, "buffer": data}
    )
    page.get_by_role("button", name="Загрузить").click()
    page.wait_for_url(re.compile(r"/assessment/batches/\d+/$"))
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def _work_while_polled(page, batch_id: int) -> None:
    """Play the task worker between two polls of the page (the queue is a dummy here)."""
    with page.expect_response(re.compile(rf"/assessment/batches/{batch_id}/$")):
        pass
    services.run_import(batch_id)


def test_importing_a_file_with_a_bad_row_then_a_good_one(region, live_server, page, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    login(page, live_server, "region")
    rows = region_rows()
    bad = rows[:40] + [[2026, "ВПР", "800009", 5, "Математика", "99000002", 5, 7, ""]]

    batch_id = _upload(page, live_server, "ВПР с ошибкой.csv", csv_bytes(bad))
    status = page.get_by_test_id("batch-status")
    expect(status).to_contain_text("В очереди")
    _work_while_polled(page, batch_id)
    expect(status).to_contain_text("Отклонён")
    expect(status).to_contain_text("В файле 1 ошибочных строк — файл не загружен.")
    rejected = page.get_by_test_id("rejected")
    expect(rejected.locator("tbody tr")).to_have_count(1)
    expect(rejected).to_contain_text("42")
    expect(rejected).to_contain_text("значение «7» в поле «Отметка» вне диапазона: нужно от 2 до 5")
    shot(page, "assessment-import-refused")

    batch_id = _upload(page, live_server, "ВПР 2024-2026.csv", csv_bytes(rows, encoding="cp1251"))
    status = page.get_by_test_id("batch-status")
    expect(status).to_contain_text("В очереди")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    page.evaluate("window.notReloaded = true")
    _work_while_polled(page, batch_id)
    expect(status).to_contain_text("Загружен")
    expect(status).to_contain_text(f"загружено строк {len(rows)} из {len(rows)}, школ 12")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    assert page.evaluate("window.notReloaded") is True  # HTMX swapped the block in place
    shot(page, "assessment-import-done")

    page.goto(f"{live_server.url}/assessment/batches/")
    listing = page.get_by_test_id("batches")
    expect(listing.get_by_role("row").filter(has_text="ВПР 2024-2026.csv")).to_contain_text(
        "загружен"
    )
    expect(listing.get_by_role("row").filter(has_text="ВПР с ошибкой.csv")).to_contain_text(
        "отклонён"
    )


def test_running_what_if_and_comparing_two_runs(imported, live_server, page):
    login(page, live_server, "region")
    page.goto(f"{live_server.url}/assessment/")
    expect(page.get_by_test_id("region-dist")).to_contain_text("Регион: участников")
    page.locator("#f-grade").select_option("5")
    expect(page.locator("#f-grade")).to_have_value("5")
    shot(page, "assessment-overview")

    page.get_by_role("link", name="Расчёты списков").click()
    page.get_by_label("Год списка").fill("2026")
    page.get_by_test_id("run").click()
    expect(page.locator(".alert-success")).to_contain_text("Расчёт выполнен за")
    first = IdentificationRun.objects.exclude(pk=FOREIGN_PK).get()
    low = page.get_by_test_id("low_results-list")
    expect(low.locator(".accordion-item")).to_have_count(3)
    for code in EXPECTED_LOW:
        expect(low).to_contain_text(code)
    low.get_by_role("button", name=re.compile("800001")).click()
    expect(low.locator(".accordion-collapse").first).to_have_class(
        "accordion-collapse collapse show"
    )
    expect(low).to_contain_text("Математика, 6 класс: доля «2» — 60 % при пороге 57 % (10 уч.)")
    # The run's schools are listed a list at a time (issue 16): the biased ones on their tab.
    page.get_by_test_id("run-lists").get_by_role(
        "link", name=re.compile("признаки необъективности")
    ).click()
    biased = page.get_by_test_id("biased-list")
    expect(biased).to_contain_text("800003")
    # Why, with the numbers and the pupils: against the region and the similar schools.
    expect(biased).to_contain_text("2026 — 100 % (40 из 40 результатов учеников")
    expect(biased).to_contain_text("у похожих по результатам ВПР школ")
    expect(page.get_by_test_id("fair-table")).to_contain_text("ШНОР")
    shot(page, "assessment-run")
    biased.screenshot(path=str(SCREENSHOTS / "assessment-bias-why.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    biased.screenshot(path=str(SCREENSHOTS / "assessment-bias-why-phone.png"))
    page.set_viewport_size(VIEWPORT)

    page.get_by_role("link", name="«Что если»").click()
    page.get_by_label("Процентиль порога").fill("50")
    page.get_by_role("button", name="Пересчитать").click()
    whatif = page.get_by_test_id("whatif")
    expect(whatif).to_contain_text("Новый список ШНОР: 4 школы (было 3)")
    expect(whatif).to_contain_text("Вошли бы (1)")
    expect(whatif).to_contain_text("800007 СОШ № 7")
    expect(whatif).to_contain_text("Вышли бы (0)")
    shot(page, "assessment-whatif")
    assert IdentificationRun.objects.count() == 2  # the foreign one and ours: nothing saved

    # A second methodology, made in the editor, and a run with it.
    page.goto(f"{live_server.url}/assessment/methodologies/")
    page.get_by_role("link", name="Изменить").first.click()
    page.get_by_label("Название методики").fill("Мягкая методика")
    page.get_by_label("Процентиль порога доли «2»").fill("50")
    page.get_by_role("button", name="Сохранить новую версию").click()
    expect(page.locator(".alert-success")).to_contain_text("Мягкая методика, версия 1")

    page.goto(f"{live_server.url}/assessment/runs/")
    page.get_by_label("Методика").select_option(label="Мягкая методика, версия 1")
    page.get_by_label("Год списка").fill("2026")
    page.get_by_test_id("run").click()
    expect(page.get_by_test_id("low_results-list").locator(".accordion-item")).to_have_count(4)

    page.get_by_label("Сравнить с").select_option(str(first.pk))
    comparison = page.get_by_test_id("comparison")
    expect(comparison).to_contain_text("Вошли (1): 800007")
    expect(comparison).to_contain_text("Вышли (0): —")
    expect(comparison).to_contain_text("Остались: 3")
    expect(page.locator("main")).to_contain_text(f"Сравнение с расчётом № {first.pk} (2026)")
    shot(page, "assessment-run-compared")


def test_approving_a_run_sets_the_statuses_shown_on_the_school_card(imported, live_server, page):
    run = services.create_run(imported.user, services.default_methodology(), 2026)
    login(page, live_server, "region")
    page.goto(f"{live_server.url}/assessment/runs/{run.pk}/")
    expect(page.get_by_test_id("run-status")).to_have_text("расчёт")

    # Approval first shows what changes in the year's lists, then asks once more.
    page.get_by_test_id("approve-run-preview").click()
    expect(page.get_by_test_id("entered-low_results")).to_have_text("3")
    shot(page, "assessment-run-approve-preview")
    expect(page.get_by_label("Вид документа")).to_have_value("распоряжение ДОО ТО")
    page.get_by_label("Номер").fill("123-р")
    page.get_by_label("Дата").fill("2026-09-01")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("approve-run").click()

    expect(page.get_by_test_id("run-status")).to_have_text("утверждён")
    expect(page.locator(".alert-success")).to_contain_text("Списки утверждены")
    expect(page.locator("main")).to_contain_text("распоряжение ДОО ТО от 01.09.2026 № 123-р")
    expect(page.get_by_test_id("approve-run")).to_have_count(0)
    assert IdentificationRun.objects.get(pk=run.pk).status == RunStatus.APPROVED

    page.goto(f"{live_server.url}/registry/schools/{imported.schools['800001'].pk}/")
    statuses = page.get_by_test_id("statuses")
    expect(statuses).to_contain_text("ШНОР")
    expect(statuses).to_contain_text("региональная методика")
    expect(statuses).to_contain_text("распоряжение ДОО ТО от 01.09.2026 № 123-р")
    panel = page.get_by_test_id("school-results")
    expect(panel).to_contain_text(f"Расчёт № {run.pk} на 2026 год (утверждён)")
    expect(panel.get_by_test_id("why")).to_contain_text(
        "ШНОР в 2026 году: низкие результаты в годы 2024, 2025, 2026"
    )
    expect(panel.get_by_test_id("why")).to_contain_text(
        "Математика, 5 класс: доля «2» — 60 % при пороге 60 %"
    )
    panel.scroll_into_view_if_needed()
    shot(page, "assessment-school-card")
    assert SchoolStatus.objects.filter(year=2026, school=imported.schools["800001"]).exists()
    assert ResultBatch.objects.count() == 2


def _small_school_rows(code: str = "800012") -> list[list]:
    """The hand-made region, with ``code`` shrunk to 3 pupils per cell, all «2», every year."""
    from opora.testing.assessment import CELLS, SCORE, YEARS

    rows = [r for r in region_rows() if r[2] != code]
    for year in YEARS:
        for k, (grade, subject) in enumerate(CELLS):
            for i in range(3):
                pupil = f"{year % 100}{code[-2:]}{grade}{k}{i:02d}"
                rows.append([year, "ВПР", code, grade, subject, pupil, SCORE[2], 2, 4])
    return rows


def test_a_small_school_is_explained_and_the_fair_view_names_its_comparison_schools(
    region, live_server, page
):
    """Issue 13: a school whose every cell is under 5 participants is shown, with its pooled
    share of «2» and an interval against the region's; its card lists the schools it is
    compared with."""
    import_bytes(region.user, csv_bytes(_small_school_rows()))
    run = services.create_run(region.user, services.default_methodology(), 2026)
    login(page, live_server, "region")
    page.goto(f"{live_server.url}/assessment/runs/{run.pk}/?list=not_assessed")
    small = page.get_by_test_id("not_assessed-list")
    expect(small).to_contain_text("800012")
    expect(small).to_contain_text(
        "Результаты не оцениваются по методике: во всех ячейках меньше 5 участников."
    )
    # 36 of 36 results are «2»: the whole interval lies above the region's share.
    expect(small).to_contain_text("доля «2» — 100 % (36 из 36 результатов)")
    expect(small).to_contain_text("выше доли региона: нужна проверка вручную")
    shot(page, "assessment-small-school")

    page.goto(f"{live_server.url}/registry/schools/{region.schools['800012'].pk}/")
    why = page.get_by_test_id("why")
    expect(why).to_contain_text("Результаты не оцениваются по методике")
    similar = page.get_by_test_id("comparison-schools")
    expect(similar).to_contain_text("Школы в похожих условиях")
    expect(similar.locator("tbody tr")).to_have_count(11)  # ten schools and the mean
    expect(similar).to_contain_text("Среднее по похожим школам")
    shot(page, "assessment-fair-view")
