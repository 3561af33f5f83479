"""A table as a grid: one cell per row and column, merged cells shared by the positions they cover.

Example: a Word or Excel table whose header «Сроки» spans two columns above «начало» and
«окончание» reads as the rows ``[Cell("Сроки"), same Cell]`` and ``[Cell("начало"),
Cell("окончание")]``; :func:`distinct` gives the first row's cell once, covering columns 0 and 1.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Cell:
    """A grid position; merged positions of one row share ``key``."""

    text: str = ""  # normalised
    raw: str = ""  # as written
    key: object = None
    inherited: bool = False  # continues a vertical merge from the row above
    bold: bool = False


@dataclass
class Grid:
    rows: list[list[Cell]]
    row_numbers: list[int]  # source row number of each row, 1-based
    ncols: int


def blank_cell() -> Cell:
    return Cell(key=object())


def pad_rows(rows: list[list[Cell]], ncols: int) -> None:
    for row in rows:
        while len(row) < ncols:
            row.append(blank_cell())
        del row[ncols:]


def distinct(row: list[Cell]) -> list[tuple[Cell, list[int]]]:
    """Cells of a row with the grid columns each covers (merged cells counted once)."""
    seen: dict[int, tuple[Cell, list[int]]] = {}
    order: list[int] = []
    for column, cell in enumerate(row):
        marker = id(cell.key)
        if marker not in seen:
            seen[marker] = (cell, [])
            order.append(marker)
        seen[marker][1].append(column)
    return [seen[marker] for marker in order]
