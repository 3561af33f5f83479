"""Word's automatic numbering: the «1.», «1.1.», «II.», «а)» that Word draws but never saves.

A paragraph numbered by Word holds only its text and a reference, ``<w:numPr><w:ilvl w:val="1"/>
<w:numId w:val="5"/></w:numPr>``; the label comes from the level's template in numbering.xml
(``<w:lvlText w:val="%1.%2."/>``, ``<w:numFmt w:val="decimal"/>``) and from counting the
paragraphs before it. Example: the items «Провести семинар», «Подготовить отчёт» of a list
whose second item is one level deeper read as «1. Провести семинар» and «1.1. Подготовить
отчёт».
"""

from __future__ import annotations

import re
from typing import Any

from opora.core.intake.wordml import attr, int_value, w


class Numbering:
    """Labels of Word's automatic numbering («1.», «1.1.», «а)»), computed in document order.

    ``Numbering(document)`` reads the definitions (numbering.xml, and the styles that number
    their paragraphs, such as «Список 2»); ``compute(body)`` counts the paragraphs of ``body``
    and fills ``labels``: ``{<w:p>: ("1.1.", True)}``, a bullet giving ``("", True)``.
    """

    def __init__(self, document: Any) -> None:
        self.labels: dict[Any, tuple[str, bool]] = {}
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except Exception:  # a document without numbering
            numbering = None
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        if numbering is not None:
            for item in numbering.iterchildren(w("abstractNum")):
                abstract[attr(item, "abstractNumId") or ""] = self._read_levels(item)
            for num in numbering.iterchildren(w("num")):
                ref = num.find(w("abstractNumId"))
                levels = dict(abstract.get(attr(ref, "val") or "", {}))
                for override in num.iterchildren(w("lvlOverride")):
                    ilvl = int_value(attr(override, "ilvl"), 0)
                    start = override.find(w("startOverride"))
                    if start is not None and ilvl in levels:
                        _, fmt, text = levels[ilvl]
                        levels[ilvl] = (int_value(attr(start, "val"), 1), fmt, text)
                    lvl = override.find(w("lvl"))
                    if lvl is not None:
                        levels.update(self._read_levels_from([lvl]))
                self.levels[attr(num, "numId") or ""] = levels
        try:
            styles = document.styles.element
        except Exception:
            styles = None
        if styles is not None:
            self._read_styles(styles)

    @staticmethod
    def _read_levels_from(lvls: Any) -> dict[int, tuple[int, str, str]]:
        levels = {}
        for lvl in lvls:
            start = lvl.find(w("start"))
            fmt = lvl.find(w("numFmt"))
            text = lvl.find(w("lvlText"))
            levels[int_value(attr(lvl, "ilvl"), 0)] = (
                int_value(attr(start, "val"), 1) if start is not None else 1,
                (attr(fmt, "val") or "decimal") if fmt is not None else "decimal",
                (attr(text, "val") or "") if text is not None else "",
            )
        return levels

    def _read_levels(self, abstract: Any) -> dict[int, tuple[int, str, str]]:
        return self._read_levels_from(abstract.iterchildren(w("lvl")))

    def _read_styles(self, styles: Any) -> None:
        raw: dict[str, tuple[str | None, tuple[str, int] | None]] = {}
        for style in styles.iterchildren(w("style")):
            based = style.find(w("basedOn"))
            num_pr = style.find(f"{w('pPr')}/{w('numPr')}")
            num = None
            if num_pr is not None:
                num_id = attr(num_pr.find(w("numId")), "val")
                ilvl = attr(num_pr.find(w("ilvl")), "val")
                if num_id:
                    num = (num_id, int_value(ilvl, 0))
            raw[attr(style, "styleId") or ""] = (attr(based, "val"), num)
        for style_id in raw:
            current: str | None = style_id
            for _ in range(10):
                if current is None or current not in raw:
                    break
                based, num = raw[current]
                if num is not None:
                    self.style_num[style_id] = num
                    break
                current = based

    def compute(self, body: Any) -> None:
        counters: dict[str, dict[int, int]] = {}
        for paragraph in body.iter(w("p")):
            ppr = paragraph.find(w("pPr"))
            num_id, ilvl = None, 0
            if ppr is not None:
                num_pr = ppr.find(w("numPr"))
                if num_pr is not None:
                    num_id = attr(num_pr.find(w("numId")), "val")
                    ilvl = int_value(attr(num_pr.find(w("ilvl")), "val"), 0)
                if num_id is None:
                    style = attr(ppr.find(w("pStyle")), "val")
                    if style in self.style_num:
                        num_id, ilvl = self.style_num[style]
            if not num_id or num_id == "0" or num_id not in self.levels:
                continue
            levels = self.levels[num_id]
            if ilvl not in levels:
                continue
            count = counters.setdefault(num_id, {})
            count[ilvl] = count.get(ilvl, levels[ilvl][0] - 1) + 1
            for deeper in [level for level in count if level > ilvl]:
                del count[deeper]
            _, fmt, text = levels[ilvl]
            if fmt in ("bullet", "none"):
                self.labels[paragraph] = ("", True)
                continue

            self.labels[paragraph] = (render_label(text, count, levels), True)


def render_label(
    template: str, count: dict[int, int], levels: dict[int, tuple[int, str, str]]
) -> str:
    """«%1.%2.» with counters {0: 3, 1: 2} → «3.2.»."""

    def render(match: re.Match[str]) -> str:
        level = int(match.group(1)) - 1
        start, fmt, _ = levels.get(level, (1, "decimal", ""))
        return format_number(count.get(level, start), fmt)

    return re.sub(r"%(\d)", render, template)


def format_number(value: int, fmt: str) -> str:
    """A counter in a level's format: (3, "russianLower") → «в», (4, "upperRoman") → «IV»."""
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "russianLower":
        return "абвгдежзиклмнопрстуфхцчшщэюя"[(value - 1) % 28]
    if fmt == "russianUpper":
        return "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯ"[(value - 1) % 28]
    if fmt in ("upperRoman", "lowerRoman"):
        numeral = roman(value)
        return numeral if fmt == "upperRoman" else numeral.lower()
    return str(value)


def roman(value: int) -> str:
    """Roman numerals, as Word writes section numbers: 4 → «IV», 1999 → «MCMXCIX», 0 → «»."""
    result = ""
    for number, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while value >= number:
            result += letters
            value -= number
    return result


def is_list_paragraph(paragraph: Any) -> bool:
    """Whether a python-docx paragraph is a list item (numbered, or in a «List …» style)."""
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None:
        return True
    try:
        style_name = paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, ValueError):
        style_name = ""
    return (style_name or "").lower().startswith("list")


def list_level(paragraph: Any) -> int:
    """The list level of a python-docx paragraph: 0 for «1.», 1 for «1.1.», 0 if not in a list."""
    p_pr = paragraph._p.pPr
    if p_pr is None or p_pr.numPr is None or p_pr.numPr.ilvl is None:
        return 0
    return int(p_pr.numPr.ilvl.val)
