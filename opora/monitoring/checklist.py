"""What a checklist item asks for, and how a school's answer to it is read.

Example: for an item asking the grades covered, «для обучающихся 5-9 классов» is kept as written
and understood as grades 5–9; «положение о ВСОКО от 25.12.2020» gives a document of 2020-12-25.
Links are only read here; whether they open is checked later (``monitoring.links``).

The evidence a school gives for an item is kept in ``ChecklistAnswer.details`` by kind::

    {"grades": "для обучающихся 5-9 классов",              # as written
     "forms": ["родительские собрания", "Совет профилактики"],
     "links": [{"url": "https://school5.ru/vpr", "status": "unchecked",
                "note": "не проверено: нет сети", "checked_at": "2024-03-01T10:00:00+07:00"}],
     "document_date": [{"title": "положение о ВСОКО", "date": "2020-12-25"}],
     "legal_base": true,                                    # the cited legal base is outdated
     "text": "посредством анкеты обратной связи"}
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from opora.core.formatting import short_date
from opora.monitoring.links import carry_over
from opora.monitoring.models import (
    ChecklistItem,
    DetailKind,
)


@dataclass(frozen=True)
class DetailSpec:
    """One typed detail an item asks for: its kind, the label and hint shown to the school."""

    kind: str
    label: str
    help: str = ""


DETAIL_TEXTS = {
    DetailKind.TEXT: ("подробности", "Что и как сделано: попадёт в распоряжение в скобках."),
    DetailKind.GRADES: (
        "охваченные классы",
        "Например: «для обучающихся 5-9 классов», «2-11», «9, 11 классы».",
    ),
    DetailKind.FORMS: (
        "формы работы",
        "По одной в строке: «родительские собрания», «Совет профилактики».",
    ),
    DetailKind.LINKS: ("ссылки на материалы", "По одной в строке, с http:// или https://."),
    DetailKind.DOCUMENT_DATE: (
        "документы и даты их утверждения",
        "По одному в строке: «положение о ВСОКО от 25.12.2020».",
    ),
    DetailKind.LEGAL_BASE: ("в документе указана не действующая нормативно-правовая база", ""),
}


def detail_specs(item: ChecklistItem) -> list[DetailSpec]:
    """The item's details; an entry of ``detail_kinds`` is a kind or ``{"kind", "label"}``."""
    specs = []
    for entry in item.detail_kinds or []:
        kind = entry.get("kind") if isinstance(entry, dict) else entry
        if kind not in DetailKind.values:
            continue
        label, hint = DETAIL_TEXTS[kind]
        if isinstance(entry, dict):
            label, hint = entry.get("label") or label, entry.get("help", hint)
        specs.append(DetailSpec(kind, label, hint))
    return specs


def item_labels(items: list[ChecklistItem]) -> dict[int, str]:
    """«1.1», «1.2», «2», … — the item's number in the order (its section, then its place)."""
    by_section = Counter(item.section for item in items)
    seen: Counter = Counter()
    labels = {}
    for item in sorted(items, key=lambda i: (i.section, i.order, i.pk or 0)):
        seen[item.section] += 1
        labels[item.pk] = (
            f"{item.section}.{seen[item.section]}"
            if by_section[item.section] > 1
            else str(item.section)
        )
    return labels


_GRADE_RANGE = re.compile(r"(?<!\d)(\d{1,2})\s*(?:-х|-ых)?\s*[-–—]\s*(\d{1,2})(?!\d)")


_GRADE = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")


def parse_grades(text: str) -> list[int]:
    """The grades a text covers, 1–11: «для обучающихся 5-9, 10 классов, 4 классов» →
    [4, 5, 6, 7, 8, 9, 10]; «9-х, 11-х классов» → [9, 11]."""
    grades: set[int] = set()
    rest = text
    for match in _GRADE_RANGE.finditer(text):
        low, high = int(match.group(1)), int(match.group(2))
        if 1 <= low <= high <= 11:
            grades.update(range(low, high + 1))
        rest = rest.replace(match.group(0), " ")
    grades.update(int(g) for g in _GRADE.findall(rest) if 1 <= int(g) <= 11)
    return sorted(grades)


_DOCUMENT_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{4})-(\d{2})-(\d{2})")


def parse_documents(text: str) -> list[dict]:
    """Lines «положение о ВСОКО от 25.12.2020» → [{"title": "положение о ВСОКО",
    "date": "2020-12-25"}]; a line without a date is an error."""
    documents = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        matches = list(_DOCUMENT_DATE.finditer(line))
        if not matches:
            raise ValidationError(
                f"Строка {number}: «{line}» — укажите дату документа, например "
                "«положение о ВСОКО от 25.12.2020»."
            )
        match = matches[-1]
        day, month, year = (
            (match.group(1), match.group(2), match.group(3))
            if match.group(1)
            else (match.group(6), match.group(5), match.group(4))
        )
        try:
            when = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"Строка {number}: дата «{match.group(0)}» невозможна.") from exc
        title = line[: match.start()] + line[match.end() :]
        title = re.sub(r"(\s|^)(от|утв\.?|утверждено|утверждён|утверждена)\s*$", "", title.strip())
        title = title.strip(" ,;:—–-").strip()
        documents.append({"title": title or "документ", "date": when.isoformat()})
    return documents


def document_lines(documents: list[dict]) -> str:
    return "\n".join(
        f"{d.get('title', '')} от {short_date(date.fromisoformat(d['date']))}".strip()
        for d in documents or []
        if d.get("date")
    )


def parse_links(text: str) -> list[str]:
    urls = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        url = line.strip()
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(
                f"Строка {number}: «{url}» — нужна полная ссылка, начинающаяся с https://."
            )
        if url not in urls:
            urls.append(url)
    return urls


def _clean_text(value, previous: dict):
    return " ".join(str(value or "").split())


def _clean_grades(value, previous: dict):
    text = " ".join(str(value or "").split())
    if text and not parse_grades(text):
        raise ValidationError(
            "Не понятно, какие классы охвачены: напишите, например, «5-9 классов»."
        )
    return text


def _clean_forms(value, previous: dict):
    lines = value if isinstance(value, list) else str(value or "").splitlines()
    return [" ".join(f.split()) for f in lines if f.strip()]


def _clean_links(value, previous: dict):
    urls = value if isinstance(value, list) else parse_links(str(value or ""))
    return carry_over(urls, previous.get("links") or []) if urls else []


def _clean_documents(value, previous: dict):
    return value if isinstance(value, list) else parse_documents(str(value or ""))


def _clean_legal_base(value, previous: dict):
    return True if value else None


# How each kind of detail is read from the form: an empty result is not kept.
_CLEANERS = {
    DetailKind.TEXT: _clean_text,
    DetailKind.GRADES: _clean_grades,
    DetailKind.FORMS: _clean_forms,
    DetailKind.LINKS: _clean_links,
    DetailKind.DOCUMENT_DATE: _clean_documents,
    DetailKind.LEGAL_BASE: _clean_legal_base,
}


def clean_details(item: ChecklistItem, raw: dict, previous: dict | None = None) -> dict:
    """Typed details from the form's values (``raw`` by kind), checking each kind.

    Links keep the result of an earlier check when the same address comes again; new
    addresses wait for the background check (``monitoring.tasks``): no request here.
    """
    previous = previous or {}
    details: dict = {}
    errors: dict[str, list[str]] = {}
    for spec in detail_specs(item):
        cleaner = _CLEANERS.get(spec.kind)
        if cleaner is None:
            continue
        try:
            value = cleaner(raw.get(spec.kind), previous)
        except ValidationError as exc:
            errors[spec.kind] = exc.messages
            continue
        if value:
            details[str(spec.kind)] = value
    if errors:
        raise ValidationError(errors)
    return details
