"""A roadmap («дорожная карта») exported to Word in the official form and to Excel.

Both files carry exactly the roadmap's columns, in the order of the regional form
(seed 003)::

    № п/п | Мероприятие | Сроки реализации | Показатель реализации | Результат | Исполнители

«Показатель реализации» and «Результат» appear only when the roadmap has them; a roadmap
without them keeps the municipal form of seed 002: «№ | Мероприятия | Сроки | Ответственные».
Reading an exported file back with :func:`opora.roadmaps.table_reader.read_roadmap` gives the
same sections and events.

Both exports read the roadmap in three queries (indicators, sections, events) whatever its
size; a roadmap whose relations were prefetched costs none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from opora.core import formatting
from opora.core.spreadsheets import finish_table, workbook_bytes
from opora.documents.render import Column, Sheet, render_sheet
from opora.roadmaps.models import (
    Roadmap,
    RoadmapEvent,
    RoadmapIndicator,
    RoadmapSection,
    RoadmapStatus,
)

#: A document with this many columns or more is laid out on landscape pages.
LANDSCAPE_FROM_COLUMNS = 5
#: Width of the «№» column; the others share the rest of the line by their weights.
NUMBER_COLUMN_MM = 14


@dataclass(frozen=True)
class _Column:
    key: str  # as the table reader names it
    attribute: str  # of RoadmapEvent
    weight: float  # share of the Word line left after the «№» column
    excel_width: float  # in characters


_NUMBER = _Column("number", "number", 0, 7)
_TEXT = _Column("text", "text", 3.2, 60)
_DEADLINE = _Column("deadline", "deadline_text", 1.3, 18)
_INDICATOR = _Column("indicator", "indicator_text", 1.8, 34)
_EVIDENCE = _Column("evidence", "evidence_text", 1.7, 34)
_EXECUTORS = _Column("executors", "executors_text", 1.5, 24)

# Header texts of the two forms in use: regional (seed 003) and municipal (seed 002).
_FULL_LABELS = {
    "number": "№ п/п",
    "text": "Мероприятие",
    "deadline": "Сроки реализации",
    "indicator": "Показатель реализации",
    "evidence": "Результат",
    "executors": "Исполнители",
}
_SHORT_LABELS = {
    "number": "№",
    "text": "Мероприятия",
    "deadline": "Сроки",
    "executors": "Ответственные",
}

# The first word of a document kind after «Приложение к …».


@dataclass
class _Content:
    """Everything an export prints, read in three queries."""

    roadmap: Roadmap
    columns: list[_Column]
    labels: list[str]
    indicators: list[RoadmapIndicator]
    # (section title or None for events outside any section, its events), in order.
    groups: list[tuple[str | None, list[RoadmapEvent]]]

    @property
    def landscape(self) -> bool:
        return len(self.columns) >= LANDSCAPE_FROM_COLUMNS


def _content(roadmap: Roadmap) -> _Content:
    indicators = list(roadmap.indicators.all())
    sections: list[RoadmapSection] = list(roadmap.sections.all())
    events: list[RoadmapEvent] = sorted(roadmap.events.all(), key=lambda e: (e.order, e.pk))

    by_section: dict[int | None, list[RoadmapEvent]] = {}
    for event in events:
        by_section.setdefault(event.section_id, []).append(event)
    groups: list[tuple[str | None, list[RoadmapEvent]]] = []
    if None in by_section:
        groups.append((None, by_section.pop(None)))
    for section in sorted(sections, key=lambda s: (s.order, s.pk)):
        groups.append((section.title, by_section.pop(section.pk, [])))
    for orphans in by_section.values():  # an event of a section of another roadmap: keep it
        groups.append((None, orphans))

    show_indicator = roadmap.has_indicator_column or any(e.indicator_text for e in events)
    show_evidence = roadmap.has_evidence_column or any(e.evidence_text for e in events)
    columns = [_NUMBER, _TEXT, _DEADLINE]
    columns += [_INDICATOR] if show_indicator else []
    columns += [_EVIDENCE] if show_evidence else []
    columns.append(_EXECUTORS)
    labels_of = _FULL_LABELS if show_indicator or show_evidence else _SHORT_LABELS
    labels = [labels_of[column.key] for column in columns]
    return _Content(roadmap, columns, labels, indicators, groups)


def appendix_line(roadmap: Roadmap) -> str:
    """«Приложение к распоряжению ДОО ТО от 13.03.2023 № 352-р»."""
    return formatting.appendix_line(
        roadmap.approval_kind, roadmap.approval_number, roadmap.approval_date
    )


def is_approved(roadmap: Roadmap) -> bool:
    """An approved (or approved and since archived) roadmap is printed as an appendix."""
    return roadmap.status in (RoadmapStatus.APPROVED, RoadmapStatus.ARCHIVED)


def roadmap_docx(roadmap: Roadmap) -> bytes:
    """The roadmap as a Word table in the official form (ГОСТ Р 7.0.97-2016), laid out by the
    documents layer (:func:`opora.documents.render.render_sheet`).

    A working export, not a document of its own: an approved roadmap is the appendix to the
    order that approved it («Приложение к распоряжению ДОО ТО от 13.03.2023 № 352-р» at the top
    right), any other is marked «ПРОЕКТ»; the title centred in bold; «Цель: …», «Задачи:» and
    «Показатели …» as numbered lines; then the table — a header repeated on every page,
    sections as merged bold rows, every line of a cell as its own paragraph. Times New Roman
    14 (table 12), A4, landscape from five columns, page numbers from page 2.
    """
    content = _content(roadmap)
    centred = {"number", "deadline"}
    columns = [
        Column(
            label,
            mm=NUMBER_COLUMN_MM if not column.weight else 0,
            share=column.weight,
            centred=column.key in centred,
        )
        for column, label in zip(content.columns, content.labels, strict=True)
    ]
    rows: list[list[str] | str] = []
    for title, events in content.groups:
        if title is not None:
            rows.append(title)
        rows += [[getattr(e, c.attribute) or "" for c in content.columns] for e in events]
    return render_sheet(
        Sheet(
            title=roadmap.title,
            columns=columns,
            rows=rows,
            appendix=appendix_line(roadmap) if is_approved(roadmap) else "",
            lead=_lead(roadmap, content),
            landscape=content.landscape,
        )
    )


def _lead(roadmap: Roadmap, content: _Content) -> list[tuple[str, str]]:
    """«Цель: …», «Задачи:» with numbered tasks, «Показатели …:» with numbered indicators."""
    lead = []
    if roadmap.goal.strip():
        lead.append(("Цель: ", " ".join(roadmap.goal.split())))
    tasks = [task for task in (roadmap.tasks or []) if str(task).strip()]
    if tasks:
        lead.append(("Задачи:", ""))
        lead += [("", f"{i}. {' '.join(str(task).split())}") for i, task in enumerate(tasks, 1)]
    if content.indicators:
        lead.append(("Показатели реализации дорожной карты:", ""))
        lead += [
            ("", f"{i}. {_indicator_line(indicator)}")
            for i, indicator in enumerate(content.indicators, 1)
        ]
    return lead


def roadmap_xlsx(roadmap: Roadmap) -> bytes:
    """The roadmap as an Excel sheet: title, an empty row, the header (frozen, repeated on
    printed pages), sections as merged bold rows, events; wrapped text, column widths fitted
    to the form.
    """
    content = _content(roadmap)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Дорожная карта"
    ncols = len(content.columns)
    last = get_column_letter(ncols)
    line_chars = sum(column.excel_width for column in content.columns)

    font = Font(name="Times New Roman", size=12)
    bold = Font(name="Times New Roman", size=12, bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    top_left = Alignment(wrap_text=True, vertical="top")
    top_centre = Alignment(wrap_text=True, vertical="top", horizontal="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")

    for index, column in enumerate(content.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.excel_width

    title = sheet.cell(row=1, column=1, value=roadmap.title)
    title.font = Font(name="Times New Roman", size=14, bold=True)
    title.alignment = centre
    sheet.merge_cells(f"A1:{last}1")
    sheet.row_dimensions[1].height = _merged_height(roadmap.title, line_chars * 0.85, 18.75)

    # «Цель: …», «Задачи:» and «Показатели …» as in the Word export, one merged row a line.
    row = 2
    for label, text in _lead(roadmap, content):
        line = f"{label}{text}"
        cell = sheet.cell(row=row, column=1, value=line)
        cell.font = bold if label and not text else font
        cell.alignment = top_left
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        sheet.row_dimensions[row].height = _merged_height(line, line_chars, 15.75)
        row += 1
    header_row = row + 1
    for index, label in enumerate(content.labels, start=1):
        cell = sheet.cell(row=header_row, column=index, value=label)
        cell.font, cell.alignment, cell.border = bold, centre, border
        cell.fill = PatternFill("solid", fgColor="F2F2F2")

    row = header_row + 1
    centred = {"number", "deadline"}
    for section_title, events in content.groups:
        if section_title is not None:
            cell = sheet.cell(row=row, column=1, value=section_title)
            cell.font, cell.alignment, cell.border = bold, centre, border
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
            sheet.row_dimensions[row].height = _merged_height(section_title, line_chars, 15.75)
            row += 1
        for event in events:
            for index, column in enumerate(content.columns, start=1):
                value = getattr(event, column.attribute) or None
                cell = sheet.cell(row=row, column=index, value=value)
                cell.font, cell.border = font, border
                cell.alignment = top_centre if column.key in centred else top_left
            row += 1

    finish_table(sheet, header_row, last_column=ncols)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if content.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    workbook.properties.title = roadmap.title[:255]
    workbook.properties.creator = "Опора"

    return workbook_bytes(workbook)


# --- helpers ------------------------------------------------------------------------------------


def _indicator_line(indicator: RoadmapIndicator) -> str:
    """«Доля … (целевое значение: 100 %; фактическое значение: 85 %)»."""
    values = []
    if indicator.target_value.strip():
        values.append(f"целевое значение: {indicator.target_value.strip()}")
    if indicator.actual_value.strip():
        values.append(f"фактическое значение: {indicator.actual_value.strip()}")
    text = " ".join(indicator.text.split())
    return f"{text} ({'; '.join(values)})" if values else text


def _merged_height(text: str, line_chars: float, line_points: float) -> float:
    """Row height for a merged cell: neither Excel nor LibreOffice fits those themselves."""
    lines = sum(max(1, math.ceil(len(line) / max(line_chars, 1))) for line in text.split("\n"))
    return max(1, lines) * line_points + 4


__all__ = ["appendix_line", "is_approved", "roadmap_docx", "roadmap_xlsx"]
