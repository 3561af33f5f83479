"""Word tables read into a :class:`~opora.core.intake.grid.Grid`, as the reader sees them.

Horizontal merges (``gridSpan``, ``hMerge``) give one cell several columns; a vertical merge
(``vMerge``) repeats the cell above, marked ``inherited``; ``gridBefore`` leaves blanks;
nested tables are flattened into the cell's text («а | б»); content controls and custom XML
are opened; deleted and moved-away text of tracked changes is skipped; automatic numbers
(«1.», «1.1.») are written in. Example: a roadmap row «1. | Провести семинар | сентябрь»
whose number is Word's own reads as three cells with the raw text «1.», «Провести семинар»,
«сентябрь».
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from opora.core.intake.grid import Cell, Grid, blank_cell, pad_rows
from opora.core.intake.numbering import Numbering
from opora.core.intake.wordml import MC_FALLBACK, W, attr, int_value, is_on, w

_SKIP_TAGS = {f"{W}del", f"{W}moveFrom", MC_FALLBACK, f"{W}pPr", f"{W}rPr"}


def walk_text(element: Any) -> Iterator[str]:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:
            continue
        if tag == w("t"):
            yield child.text or ""
        elif tag == w("tab"):
            yield "\t"
        elif tag in (w("br"), w("cr")):
            yield "\n"
        elif tag == w("noBreakHyphen"):
            yield "-"
        else:
            yield from walk_text(child)


def paragraph_text(paragraph: Any, numbering: Numbering) -> tuple[str, bool]:
    """(text as written with its auto-number label, is a list item)."""
    text = "".join(walk_text(paragraph))
    label, is_list = numbering.labels.get(paragraph, ("", False))
    if label and text.strip() and not text.lstrip().startswith(label):
        text = f"{label} {text.lstrip()}"
    elif label and not text.strip():
        text = label
    return text, is_list


def paragraph_bold(paragraph: Any) -> bool:
    runs = [run for run in paragraph.iter(w("r")) if "".join(walk_text(run)).strip()]
    if not runs:
        return False
    for run in runs:
        rpr = run.find(w("rPr"))
        if rpr is None or not is_on(rpr.find(w("b"))):
            return False
    return True


def cell_content(container: Any, numbering: Numbering) -> tuple[list[str], bool]:
    """Raw paragraph texts of a table cell (nested tables flattened) and whether all is bold."""
    texts: list[str] = []
    bold_flags: list[bool] = []
    for child in container:
        if child.tag == w("p"):
            text, _ = paragraph_text(child, numbering)
            texts.append(text)
            if text.strip():
                bold_flags.append(paragraph_bold(child))
        elif child.tag == w("tbl"):
            for tr in child.iter(w("tr")):
                cells = []
                for tc in tr.iterchildren(w("tc")):
                    inner, _ = cell_content(tc, numbering)
                    cells.append(" ".join(t.strip() for t in inner if t.strip()))
                texts.append(" | ".join(c for c in cells if c))
        elif child.tag in (w("sdt"), w("sdtContent"), w("customXml")):
            inner, inner_bold = cell_content(child, numbering)
            texts.extend(inner)
            if any(t.strip() for t in inner):
                bold_flags.append(inner_bold)
    return texts, bool(bold_flags) and all(bold_flags)


def row_cells(tr: Any) -> Iterator[Any]:
    for child in tr:
        if child.tag == w("tc"):
            yield child
        elif child.tag in (w("sdt"), w("customXml")):
            yield from child.iter(w("tc"))


def table_rows(tbl: Any) -> Iterator[Any]:
    for child in tbl:
        if child.tag == w("tr"):
            yield child
        elif child.tag in (w("sdt"), w("customXml")):
            yield from child.iter(w("tr"))


def docx_grid(tbl: Any, numbering: Numbering, normalise: Callable[[str], str]) -> Grid:
    """The grid of a ``<w:tbl>``; ``normalise`` makes each cell's ``text`` from its ``raw``."""
    rows: list[list[Cell]] = []
    grid_el = tbl.find(w("tblGrid"))
    ncols = len(grid_el.findall(w("gridCol"))) if grid_el is not None else 0
    previous: list[Cell] = []
    for tr in table_rows(tbl):
        cells: list[Cell] = []
        trpr = tr.find(w("trPr"))
        before = attr(trpr.find(w("gridBefore")), "val") if trpr is not None else None
        for _ in range(min(int_value(before, 0), 64)):
            cells.append(blank_cell())
        for tc in row_cells(tr):
            tcpr = tc.find(w("tcPr"))
            span = 1
            vmerge = hmerge = None
            if tcpr is not None:
                span = int_value(attr(tcpr.find(w("gridSpan")), "val"), 1)
                vm = tcpr.find(w("vMerge"))
                if vm is not None:
                    vmerge = attr(vm, "val") or "continue"
                hm = tcpr.find(w("hMerge"))
                if hm is not None:
                    hmerge = attr(hm, "val") or "continue"
            span = max(1, min(span, 64))
            column = len(cells)
            if hmerge == "continue" and cells:
                left = cells[-1]
                cells.extend([left] * span)
                continue
            if vmerge == "continue" and column < len(previous):
                above = previous[column]
                cell = Cell(above.text, above.raw, object(), True, above.bold)
            else:
                texts, bold = cell_content(tc, numbering)
                raw = "\n".join(texts).strip("\n")
                cell = Cell(normalise(raw), raw, object(), False, bold)
            cells.extend([cell] * span)
        rows.append(cells)
        previous = cells
        ncols = max(ncols, len(cells))
    pad_rows(rows, ncols)
    return Grid(rows, list(range(1, len(rows) + 1)), ncols)
