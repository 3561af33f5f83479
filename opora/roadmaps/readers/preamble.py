"""Goal, tasks, indicators and the title written above a roadmap table.

Example: «Цель: повышение качества образования», «Задачи: 1. … 2. …» and «ДОРОЖНАЯ КАРТА … на
2020 - 2021 год» before the table give the goal, the two tasks and the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opora.roadmaps.readers.text import BULLET_RE, LIST_MARKER_RE

_GOAL_RE = re.compile(r"^цел[ьи]\b[^:\n]{0,40}[:.\-–—]\s*(.*)$", re.IGNORECASE | re.DOTALL)
_TASKS_RE = re.compile(r"^задачи\b[^:\n]{0,40}:?\s*(.*)$", re.IGNORECASE | re.DOTALL)
_INDICATORS_RE = re.compile(
    r"^(?:целевые\s+|основные\s+)?показател\w*\b(.*)$", re.IGNORECASE | re.DOTALL
)
_TITLE_RE = re.compile(
    r"дорожн\w*\s+карт|план\w*\s+мероприяти|план\s+работы|комплекс\w*\s+мер", re.IGNORECASE
)
_INLINE_ITEMS_RE = re.compile(r"(?:^|\s)\d{1,2}[.)]\s+")


@dataclass
class Para:
    text: str
    is_list: bool = False


def _strip_marker(text: str) -> str:
    return LIST_MARKER_RE.sub("", BULLET_RE.sub("", text, count=1), count=1).strip()


def _split_inline(text: str) -> list[str]:
    items = [item.strip(" ;") for item in _INLINE_ITEMS_RE.split(text)]
    return [item for item in items if item]


def parse_preamble(paragraphs: list[Para]) -> tuple[str, list[str], list[str], set[int]]:
    """Goal, tasks and indicators from the paragraphs before the table; also the used indexes."""
    goal = ""
    tasks: list[str] = []
    indicators: list[str] = []
    used: set[int] = set()
    state: str | None = None
    items: list[str] = []
    marked = False
    for index, para in enumerate(paragraphs):
        text = para.text.strip()
        if not text:
            continue
        if match := _GOAL_RE.match(text):
            goal = " ".join(match.group(1).split())
            state = None if goal else "goal"
            used.add(index)
            continue
        if (match := _TASKS_RE.match(text)) and (text.split()[0].endswith(":") or len(text) < 60):
            items, marked, state = tasks, False, "list"
            items.extend(_split_inline(match.group(1)))
            used.add(index)
            continue
        if (match := _INDICATORS_RE.match(text)) and len(text) < 400 and not para.is_list:
            items, marked, state = indicators, False, "list"
            rest = match.group(1)
            if ":" in rest and rest.split(":", 1)[1].strip():
                items.extend(_split_inline(rest.split(":", 1)[1]))
            used.add(index)
            continue
        if state == "goal":
            goal = " ".join(text.split())
            state = None
            used.add(index)
            continue
        if state == "list":
            has_marker = para.is_list or bool(LIST_MARKER_RE.match(text) or BULLET_RE.match(text))
            if has_marker or not marked:
                if marked and not has_marker:
                    state = None
                    continue
                marked = marked or has_marker
                items.append(_strip_marker(text) if has_marker else text)
                used.add(index)
                continue
            state = None
    return goal, tasks, indicators, used


def find_title(paragraphs: list[Para], used: set[int]) -> tuple[str, int | None]:
    """The roadmap heading: the nearest paragraph before the table naming a roadmap/plan."""
    candidates = [
        i for i in range(len(paragraphs) - 1, -1, -1) if paragraphs[i].text and i not in used
    ][:60]
    for index in candidates:
        text = paragraphs[index].text
        if _TITLE_RE.search(text) and len(text) < 600 and not LIST_MARKER_RE.match(text):
            return _title_with_year(paragraphs, used, index), index
    if candidates:
        index = candidates[0]
        text = paragraphs[index].text
        if len(text) < 400 and not paragraphs[index].is_list and not LIST_MARKER_RE.match(text):
            return _title_from_lines_above(paragraphs, used, index), index
    return "", None


_TITLE_YEAR_RE = re.compile(r"(?<!\d)20\d\d(?!\d)")


def _title_line(paragraphs: list[Para], used: set[int], index: int) -> str | None:
    if not 0 <= index < len(paragraphs) or index in used:
        return None
    para = paragraphs[index]
    if not para.text or para.is_list or len(para.text) >= 300 or LIST_MARKER_RE.match(para.text):
        return None
    return " ".join(para.text.split())


def _title_with_year(paragraphs: list[Para], used: set[int], index: int) -> str:
    """A title split over paragraphs: «План мероприятий …» / «на 2022/23 учебный год»."""
    title = " ".join(paragraphs[index].text.split())
    if _TITLE_YEAR_RE.search(title):
        return title
    lines = [title]
    for following in range(index + 1, min(index + 4, len(paragraphs))):
        line = _title_line(paragraphs, used, following)
        if line is None:
            break
        lines.append(line)
        if _TITLE_YEAR_RE.search(line):
            return " ".join(lines)
    return title


def _title_from_lines_above(paragraphs: list[Para], used: set[int], index: int) -> str:
    """«ПЛАН» / «мероприятий по …» / «на 2023 год»: lines that name a plan only together."""
    title = " ".join(paragraphs[index].text.split())
    lines = [title]
    for previous in range(index - 1, max(index - 4, -1), -1):
        line = _title_line(paragraphs, used, previous)
        if line is None:
            break
        lines.insert(0, line)
        if _TITLE_RE.search(" ".join(lines)):
            return " ".join(lines)
    return title


_VALUES_RE = re.compile(r"^(?P<text>.*\S)\s*\((?P<values>[^()]*значени[ея][^()]*)\)\s*$", re.DOTALL)
_TARGET_RE = re.compile(r"(?:целев\w*|планов\w*)\s+значени[ея]\s*[:\-–—]\s*(?P<v>[^;]+)", re.I)
_ACTUAL_RE = re.compile(r"(?:фактическ\w*)\s+значени[ея]\s*[:\-–—]\s*(?P<v>[^;]+)", re.I)


def indicator_values(line: str) -> tuple[str, str, str]:
    """An indicator line split into its text and its target and actual values, as Opora's own
    exports write them (so that a workbook re-imports unchanged).

    Example: «Доля школ с программами (целевое значение: 100 %; фактическое значение: 85 %)» →
    («Доля школ с программами», «100 %», «85 %»); a line without such brackets stays whole.
    """
    found = _VALUES_RE.match(line.strip())
    if not found:
        return line, "", ""
    values = found["values"]
    target, actual = _TARGET_RE.search(values), _ACTUAL_RE.search(values)
    if not (target or actual):
        return line, "", ""
    return (
        found["text"],
        target["v"].strip() if target else "",
        actual["v"].strip() if actual else "",
    )
