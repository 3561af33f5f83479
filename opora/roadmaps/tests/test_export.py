"""Export of a roadmap to Word (the official form) and to Excel.

The specification: a roadmap exported and read back with ``read_roadmap`` gives the same
sections and events — for a roadmap built here and for the real samples (seeds 002, 003).
Пример: региональная дорожная карта 2023 года (seed 003) выгружается на альбомных листах
с шестью колонками и строкой «Приложение к распоряжению ДОО ТО от 13.03.2023 № 352-р».
"""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from opora.roadmaps.export import roadmap_docx, roadmap_xlsx
from opora.roadmaps.models import (
    Roadmap,
    RoadmapEvent,
    RoadmapStatus,
)
from opora.roadmaps.table_reader import read_roadmap
from opora.testing import shared_dir
from opora.testing.roadmaps import (
    MULTILINE_TEXT,
    build_roadmap,
    read_back,
    roadmap_from_parsed,
    stored,
)

SAMPLES = shared_dir() / "samples"
SAMPLE_002 = SAMPLES / "002_kargasok_roadmap_2020.docx"
SAMPLE_003 = SAMPLES / "003_region_roadmap_2023.docx"

EXPORTS = {"docx": roadmap_docx, "xlsx": roadmap_xlsx}


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def body_texts(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


@pytest.fixture
def roadmap(db) -> Roadmap:
    return build_roadmap()


@pytest.fixture
def approved(db) -> Roadmap:
    return build_roadmap(
        status=RoadmapStatus.APPROVED,
        approval_kind="распоряжение ДОО ТО",
        approval_number="352-р",
        approval_date=date(2023, 3, 13),
    )


# --- round trip ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", EXPORTS)
def test_export_then_import_gives_back_the_same_sections_and_events(roadmap, kind):
    parsed = read_roadmap(EXPORTS[kind](roadmap))

    assert read_back(parsed) == stored(roadmap)
    assert parsed.title == roadmap.title
    assert [e.number for e in parsed.events] == ["1.", "2.", "", "3."]
    assert parsed.events[1].text == MULTILINE_TEXT
    assert parsed.columns == ["number", "text", "deadline", "indicator", "evidence", "executors"]


def test_word_export_keeps_goal_tasks_and_indicators_before_the_table(roadmap):
    parsed = read_roadmap(roadmap_docx(roadmap))

    assert parsed.goal == roadmap.goal
    assert parsed.tasks == roadmap.tasks
    assert parsed.indicators == [
        "Доля школ, разработавших программы перехода в эффективный режим "
        "(целевое значение: 100 %; фактическое значение: 85 %)"
    ]


@pytest.mark.parametrize("sample", [SAMPLE_003, SAMPLE_002], ids=["seed003", "seed002"])
@pytest.mark.parametrize("kind", EXPORTS)
def test_a_real_roadmap_survives_export_and_import(db, sample, kind):
    original = read_roadmap(sample)
    roadmap = roadmap_from_parsed(original)

    again = read_roadmap(EXPORTS[kind](roadmap))

    assert read_back(again) == read_back(original)
    assert again.columns == original.columns
    assert again.title == original.title
    if kind == "docx":
        assert (again.goal, again.tasks, again.indicators) == (
            original.goal, original.tasks, original.indicators
        )  # fmt: skip


# --- the official form in Word ------------------------------------------------------------------


def test_six_columns_are_laid_out_on_landscape_a4_with_the_regional_header(db):
    roadmap = roadmap_from_parsed(read_roadmap(SAMPLE_003))

    document = open_docx(roadmap_docx(roadmap))

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    margins = (section.left_margin, section.right_margin, section.top_margin,
               section.bottom_margin)  # fmt: skip
    assert [round(m.mm) for m in margins] == [20, 10, 20, 20]
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "№ п/п", "Мероприятие", "Сроки реализации", "Показатель реализации", "Результат",
        "Исполнители",
    ]  # fmt: skip
    assert abs(sum(col.width for col in table.columns) - Mm(267)) < Mm(1)


def test_four_columns_stay_portrait_with_the_municipal_header(db):
    roadmap = roadmap_from_parsed(read_roadmap(SAMPLE_002))

    document = open_docx(roadmap_docx(roadmap))

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header == ["№", "Мероприятия", "Сроки", "Ответственные"]


def test_fonts_are_times_new_roman_14_and_12_in_the_table_for_every_script(roadmap):
    document = open_docx(roadmap_docx(roadmap))

    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(script)) == "Times New Roman"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(
        f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
    )
    assert defaults.get(qn("w:eastAsia")) == "Times New Roman"
    assert defaults.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over the name
    assert all(run.font.name in (None, "Times New Roman") for p in document.paragraphs
               for run in p.runs)  # fmt: skip
    table_runs = [run for row in document.tables[0].rows for cell in row.cells
                  for p in cell.paragraphs for run in p.runs]  # fmt: skip
    assert table_runs and all(run.font.size == Pt(12) for run in table_runs)


def test_an_approved_roadmap_is_an_appendix_to_its_order(approved):
    texts = body_texts(open_docx(roadmap_docx(approved)))

    assert texts[0] == "Приложение к распоряжению ДОО ТО от 13.03.2023 № 352-р"
    assert "ПРОЕКТ" not in texts
    assert approved.title in texts


def test_a_draft_is_marked_as_a_project_without_an_appendix_line(roadmap):
    document = open_docx(roadmap_docx(roadmap))
    texts = body_texts(document)

    assert texts[0] == "ПРОЕКТ"
    assert document.paragraphs[0].runs[0].bold
    assert not any(text.startswith("Приложение") for text in texts)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("приказ УООиП", "Приложение к приказу УООиП от 08.06.2020 № 353"),
        ("Постановление Администрации", "Приложение к постановлению Администрации от "
         "08.06.2020 № 353"),
    ],
)  # fmt: skip
def test_the_kind_of_the_approving_document_is_put_in_the_dative(db, kind, expected):
    roadmap = build_roadmap(
        status=RoadmapStatus.APPROVED,
        approval_kind=kind,
        approval_number="№ 353",
        approval_date=date(2020, 6, 8),
    )

    assert body_texts(open_docx(roadmap_docx(roadmap)))[0] == expected


def test_pages_are_numbered_in_the_header_from_the_second_one(roadmap):
    section = open_docx(roadmap_docx(roadmap)).sections[0]

    assert section.different_first_page_header_footer
    header = section.header._element
    assert [t.text.strip() for t in header.iter(qn("w:instrText"))] == ["PAGE"]
    assert section.header.paragraphs[0].alignment == 1  # centred
    assert not list(section.first_page_header._element.iter(qn("w:instrText")))


def test_the_table_repeats_its_header_and_merges_section_rows(roadmap):
    table = open_docx(roadmap_docx(roadmap)).tables[0]

    rows = table._tbl.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    section_rows = [tr for tr in rows if len(tr.tc_lst) == 1]
    assert [tr.tc_lst[0].grid_span for tr in section_rows] == [6, 6]
    assert [table.rows[rows.index(tr)].cells[0].text for tr in section_rows] == [
        "Организационно-управленческая деятельность",
        "Аналитическая деятельность",
    ]
    assert all(run.bold for tr in section_rows for run in table.rows[rows.index(tr)].cells[0]
               .paragraphs[0].runs)  # fmt: skip


def test_every_line_of_an_event_is_a_paragraph_of_its_cell(roadmap):
    table = open_docx(roadmap_docx(roadmap)).tables[0]

    cell = next(row.cells[1] for row in table.rows if row.cells[0].text == "2.")
    assert [p.text for p in cell.paragraphs] == MULTILINE_TEXT.split("\n")


def test_a_roadmap_without_indicator_and_evidence_has_four_columns(db):
    roadmap = build_roadmap()
    roadmap.has_indicator_column = roadmap.has_evidence_column = False
    roadmap.save()
    RoadmapEvent.objects.filter(roadmap=roadmap).update(indicator_text="", evidence_text="")

    document = open_docx(roadmap_docx(roadmap))

    assert len(document.tables[0].columns) == 4
    assert document.sections[0].orientation == WD_ORIENT.PORTRAIT


# --- Excel --------------------------------------------------------------------------------------


def test_excel_sheet_has_a_title_a_frozen_header_and_merged_bold_sections(roadmap):
    sheet = openpyxl.load_workbook(io.BytesIO(roadmap_xlsx(roadmap))).active

    assert sheet["A1"].value == roadmap.title
    assert sheet["A2"].value == f"Цель: {roadmap.goal}"  # goal, tasks, indicators, then the table
    h = next(r for r in range(1, 30) if sheet.cell(row=r, column=1).value == "№ п/п")
    assert all(cell.value is None for cell in sheet[h - 1])
    assert [cell.value for cell in sheet[h]] == [
        "№ п/п", "Мероприятие", "Сроки реализации", "Показатель реализации", "Результат",
        "Исполнители",
    ]  # fmt: skip
    assert sheet.freeze_panes == f"A{h + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{h}:F")
    merged = {str(area) for area in sheet.merged_cells.ranges}
    assert {"A1:F1", f"A{h + 1}:F{h + 1}", f"A{h + 5}:F{h + 5}"} <= merged
    assert sheet[f"A{h + 1}"].value == "Организационно-управленческая деятельность"
    assert sheet[f"A{h + 1}"].font.b
    assert sheet[f"B{h + 3}"].value == MULTILINE_TEXT
    assert sheet[f"B{h + 3}"].alignment.wrap_text
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


# --- queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", EXPORTS)
def test_the_number_of_queries_does_not_grow_with_the_number_of_events(db, kind):
    counts = []
    for events in (4, 40):
        roadmap = Roadmap.objects.get(pk=build_roadmap(events=events).pk)
        with CaptureQueriesContext(connection) as queries:
            EXPORTS[kind](roadmap)
        counts.append(len(queries))

    assert counts[0] == counts[1] <= 3


def test_a_prefetched_roadmap_is_exported_without_queries(roadmap):
    prefetched = Roadmap.objects.prefetch_related("indicators", "sections", "events").get(
        pk=roadmap.pk
    )
    with CaptureQueriesContext(connection) as queries:
        roadmap_docx(prefetched)

    assert len(queries) == 0


# --- user text that looks like a formula (issue 9) -----------------------------------------------


@pytest.mark.django_db
def test_the_excel_export_writes_formula_like_text_as_text():
    from opora.testing.spreadsheets import FORMULA, text_cells

    roadmap = build_roadmap(events=1)
    Roadmap.objects.filter(pk=roadmap.pk).update(title=FORMULA)
    RoadmapEvent.objects.filter(roadmap=roadmap).update(
        text=FORMULA, executors_text="@кураторы", deadline_text="-март 2023"
    )
    content = roadmap_xlsx(Roadmap.objects.get(pk=roadmap.pk))
    assert {c.coordinate for c in text_cells(content, FORMULA)} >= {"A1"}
    text_cells(content, "@кураторы")
    text_cells(content, "-март 2023")
    # The file still reads back as the same events.
    parsed = read_roadmap(content, "roadmap.xlsx")
    texts = {e.text for s in parsed.sections for e in s.events}
    assert texts == {FORMULA}
