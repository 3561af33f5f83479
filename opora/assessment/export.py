"""The lists of a run: Excel, and Word as the appendix to the order that approves them."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from opora.core.formatting import appendix_line
from opora.core.spreadsheets import finish_table, workbook_bytes
from opora.documents.render import Column, Sheet, render_sheet
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
    finish_table(ws, 3)
    return workbook_bytes(wb)


def run_docx(run) -> bytes:
    """The lists as the appendix to the order that approves them («Приложение к распоряжению
    … от … № …», or «ПРОЕКТ» before approval), laid out by the documents layer: a working
    export, signed as part of the order, not a document of its own."""
    rows = []
    for i, r in enumerate(_rows(run), start=1):
        status = ", ".join(x for x, on in (("ШНОР", r["low"]), ("ШНСУ", r["unfavourable"])) if on)
        rows.append([str(i), r["municipality"], r["code"], r["name"], status])
    return render_sheet(
        Sheet(
            title="Список школ с низкими образовательными результатами (ШНОР) и школ, "
            f"функционирующих в неблагоприятных социальных условиях (ШНСУ), на {run.year} год",
            columns=[
                Column("№ п/п", mm=12),
                Column("Муниципальное образование", mm=40),
                Column("Код ОО", mm=20),
                Column("Образовательная организация", mm=85),
                Column("Статус", mm=23),
            ],
            rows=rows,
            appendix=appendix_line(run.basis_kind, run.basis_number, run.basis_date)
            if run.basis_number
            else "",
        )
    )
