"""Excel exports (issue 12, «Excel exports»): every table has an autofilter, dates are dates
(«13.03.2023» that Excel sorts by), shares are per cent over fractions, and a roadmap's
workbook keeps its goal, tasks and indicators while its events re-import unchanged."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from openpyxl import Workbook

from opora.core.spreadsheets import finish_table, workbook_bytes
from opora.registry.export import HEADERS, schools_workbook
from opora.registry.models import School, SchoolPassport
from opora.roadmaps.export import roadmap_xlsx
from opora.roadmaps.importing import apply_roadmap_import, plan_roadmap_import
from opora.roadmaps.table_reader import read_roadmap
from opora.testing.roadmaps import build_roadmap, read_back, stored


def _open(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_dates_are_dates_and_shares_are_per_cent():
    book = Workbook()
    sheet = book.active
    sheet.append(["Дата", "Когда", "Доля", "Текст"])
    sheet.append([date(2023, 3, 13), datetime(2023, 3, 13, 9, 30), 0.125, "=1+1"])
    finish_table(sheet, 1, percent=[3])

    cells = _open(workbook_bytes(book)).active[2]

    assert cells[0].is_date and cells[0].number_format == "DD.MM.YYYY"
    assert cells[0].value.date() == date(2023, 3, 13)
    assert cells[1].number_format == "DD.MM.YYYY HH:MM"
    assert cells[2].value == 0.125 and cells[2].number_format == "0.0%"
    assert cells[3].value == "=1+1" and cells[3].data_type == "s"  # still text
    assert _open(workbook_bytes(book)).active.auto_filter.ref == "A1:D2"


def test_the_school_list_has_an_autofilter_and_shares_in_per_cent(world):
    school = world.home_school
    SchoolPassport.objects.filter(school=school).update(share_special_needs=Decimal("0.125"))
    year = SchoolPassport.objects.filter(school=school).values_list("year", flat=True).first()

    sheet = _open(schools_workbook(School.objects.filter(pk=school.pk), year)).active

    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(HEADERS))}2"
    share = sheet.cell(row=2, column=HEADERS.index("Доля ОВЗ") + 1)
    assert share.value == 0.125 and share.number_format == "0.0%"


def test_the_roadmap_workbook_keeps_goal_tasks_indicators_and_reimports_unchanged(world):
    roadmap = build_roadmap()

    data = roadmap_xlsx(roadmap)
    sheet = _open(data).active
    lead = [sheet.cell(row=r, column=1).value for r in range(2, 9)]

    assert f"Цель: {roadmap.goal}" in lead
    assert "Задачи:" in lead and f"1. {roadmap.tasks[0]}" in lead
    assert "Показатели реализации дорожной карты:" in lead
    header = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "№ п/п")
    assert sheet.auto_filter.ref.startswith(f"A{header}:")
    parsed = read_roadmap(data)
    assert parsed.title == roadmap.title
    assert (parsed.goal, parsed.tasks) == (roadmap.goal, roadmap.tasks)
    assert read_back(parsed) == stored(roadmap)
    period = (roadmap.period_start, roadmap.period_end)
    again = apply_roadmap_import(
        world.users.region,
        plan_roadmap_import(parsed, period),
        level="region",
        title=parsed.title,
    )
    assert [(i.text, i.target_value, i.actual_value) for i in again.indicators.all()] == [
        (i.text, i.target_value, i.actual_value) for i in roadmap.indicators.all()
    ]
