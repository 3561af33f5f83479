"""An Excel sheet as a grid (see :mod:`opora.core.intake.grid`), merged cells included.

Example: a sheet whose A1:C1 is merged with «1. Организационные мероприятия» gives a first row of
three positions sharing one cell; a date 01.09.2023 reads as «01.09.2023», 3.0 as «3».
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from opora.core.intake.grid import Cell, Grid, pad_rows


def xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def xlsx_grid(
    sheet: Any,
    normalise: Callable[[str], str],
    max_rows: int,
    max_columns: int,
    max_empty_run: int,
) -> Grid:
    """The grid of an openpyxl sheet; merged areas shared by the positions they cover.

    ``normalise`` makes each cell's ``text`` from its ``raw``; reading stops after
    ``max_empty_run`` empty rows in a row and never goes past ``max_rows`` × ``max_columns``.
    """
    max_row = min(sheet.max_row or 0, max_rows)
    max_col = min(sheet.max_column or 0, max_columns)
    merged: dict[tuple[int, int], tuple[int, int, int]] = {}
    for index, area in enumerate(sheet.merged_cells.ranges):
        if area.min_row > max_row or area.min_col > max_col:
            continue
        for row in range(area.min_row, min(area.max_row, max_row) + 1):
            for col in range(area.min_col, min(area.max_col, max_col) + 1):
                merged[(row, col)] = (index, area.min_row, area.min_col)
    rows: list[list[Cell]] = []
    numbers: list[int] = []
    empty_run = 0
    top_cells: dict[int, Cell] = {}
    row_keys: dict[tuple[int, int], object] = {}
    for row_number, sheet_row in enumerate(
        sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col), start=1
    ):
        cells: list[Cell] = []
        for col_number, item in enumerate(sheet_row, start=1):
            area = merged.get((row_number, col_number))
            if area is None:
                raw = xlsx_text(item.value)
                bold = bool(item.font is not None and item.font.b)
                cells.append(Cell(normalise(raw), raw, object(), False, bold))
                continue
            index, top, left = area
            key = row_keys.setdefault((index, row_number), object())
            if row_number == top and col_number == left:
                raw = xlsx_text(item.value)
                bold = bool(item.font is not None and item.font.b)
                top_cells[index] = Cell(normalise(raw), raw, key, False, bold)
            source = top_cells.get(index, Cell())
            cells.append(Cell(source.text, source.raw, key, row_number != top, source.bold))
        if any(cell.text for cell in cells):
            empty_run = 0
        else:
            empty_run += 1
            if empty_run > max_empty_run:
                break
        rows.append(cells)
        numbers.append(row_number)
    while rows and not any(cell.text for cell in rows[-1]):
        rows.pop()
        numbers.pop()
    ncols = max((len(row) for row in rows), default=0)
    pad_rows(rows, ncols)
    return Grid(rows, numbers, ncols)
