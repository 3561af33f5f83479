"""The lists of a run: Excel, and Word as the appendix to the order that approves them."""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from opora.core.formatting import appendix_line
from opora.core.spreadsheets import workbook_bytes
from opora.documents import docx_style
from opora.registry.models import School


def _rows(run):
    codes = sorted(set(run.low_results) | set(run.unfavourable))
    schools = {
        s.code: s for s in School.objects.filter(code__in=codes).select_related("municipality")
    }
    rows = []
    for code in codes:
        s = schools.get(code)
        rows.append(
            {
                "code": code,
                "name": s.full_name if s else "(нет в реестре)",
                "municipality": s.municipality.name if s else "",
                "low": code in run.low_results,
                "unfavourable": code in run.unfavourable,
            }
        )
    rows.sort(key=lambda r: (r["municipality"], r["name"]))
    return rows


def run_xlsx(run) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Списки {run.year}"
    ws.append([f"Списки ШНОР и ШНСУ на {run.year} год — расчёт № {run.pk} ({run.methodology})"])
    ws["A1"].font = Font(bold=True)
    ws.append([])
    ws.append(["№", "Муниципалитет", "Код ОО", "Образовательная организация", "ШНОР", "ШНСУ"])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i, r in enumerate(_rows(run), start=1):
        ws.append(
            [
                i,
                r["municipality"],
                r["code"],
                r["name"],
                "да" if r["low"] else "",
                "да" if r["unfavourable"] else "",
            ]
        )
    for col, width in zip("ABCDEF", (5, 28, 12, 60, 8, 8), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=4):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A4"
    return workbook_bytes(wb)


def run_docx(run) -> bytes:
    """«Приложение к распоряжению … от … № …» (or «ПРОЕКТ» before approval) with the lists."""
    doc = docx_style.new_document()
    appendix = (
        appendix_line(run.basis_kind, run.basis_number, run.basis_date)
        if run.basis_number
        else "ПРОЕКТ"
    )
    docx_style.add_paragraph(doc, appendix, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after_pt=12)
    docx_style.add_paragraph(
        doc,
        f"Список школ с низкими образовательными результатами (ШНОР) и школ, "
        f"функционирующих в неблагоприятных социальных условиях (ШНСУ), на {run.year} год",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after_pt=12,
    )
    rows = _rows(run)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells,
        ("№ п/п", "Муниципальное образование", "Код ОО", "Образовательная организация", "Статус"),
        strict=True,
    ):
        docx_style.set_cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    docx_style.repeat_header(table.rows[0])
    for i, r in enumerate(rows, start=1):
        status = ", ".join(x for x, on in (("ШНОР", r["low"]), ("ШНСУ", r["unfavourable"])) if on)
        cells = table.add_row().cells
        for cell, value in zip(
            cells, (str(i), r["municipality"], r["code"], r["name"], status), strict=True
        ):
            docx_style.set_cell_text(cell, value)
    docx_style.set_table_font(table)
    docx_style.set_col_widths(table, (12, 40, 20, 85, 23))
    docx_style.add_page_numbers(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
