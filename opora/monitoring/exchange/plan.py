"""Reading the campaign's answers back from Excel or CSV: the preview of an import.

Example row (the shape :func:`opora.monitoring.exchange.export.export_answers_xlsx` writes):
«700912 | МАОУ СОШ № 28 | да | графики на сайте | частично | …» — the answers «выполнено» and
«частично» for the items 1 and 2, with the comment of item 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from opora.accounts.guards import require as _require
from opora.core.intake.files import UploadError
from opora.core.intake.tables import Table, read_table
from opora.monitoring.checklist import item_labels
from opora.monitoring.exchange.export import (
    ANSWER_WORDS,
    CODE_HEADER,
    COMMENT_WORD,
    SCHOOL_HEADER,
)
from opora.monitoring.models import (
    Answer,
    CampaignSchool,
    CampaignStatus,
    ChecklistItem,
    MonitoringCampaign,
    SheetStatus,
)
from opora.monitoring.selectors import answers_by_sheet, template_items

_ANSWER_SYNONYMS = {
    "выполнено": Answer.DONE,
    "да": Answer.DONE,
    "+": Answer.DONE,
    "1": Answer.DONE,
    "частично": Answer.PARTLY,
    "±": Answer.PARTLY,
    "+/-": Answer.PARTLY,
    "0,5": Answer.PARTLY,
    "не выполнено": Answer.NOT_DONE,
    "невыполнено": Answer.NOT_DONE,
    "нет": Answer.NOT_DONE,
    "-": Answer.NOT_DONE,
    "0": Answer.NOT_DONE,
}


@dataclass
class AnswerChange:
    sheet: CampaignSchool
    item: ChecklistItem
    label: str
    old_answer: str
    new_answer: str
    old_comment: str
    new_comment: str

    @property
    def old_answer_word(self) -> str:
        return ANSWER_WORDS.get(self.old_answer, "—")

    @property
    def new_answer_word(self) -> str:
        return ANSWER_WORDS.get(self.new_answer, "—")


@dataclass
class ImportPlan:
    """What an Excel file would change, or why it cannot be taken (then nothing is saved)."""

    rows: int = 0
    changes: list[AnswerChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def schools(self) -> int:
        return len({c.sheet.pk for c in self.changes})


_HEADER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?)\.?\s*(.*)$")
_CODE_KEY, _SCHOOL_KEY = CODE_HEADER.lower(), SCHOOL_HEADER.lower()


@dataclass
class _Layout:
    """Which column of the file holds each item's answer and comment."""

    items: list[ChecklistItem]
    labels: dict[int, str]
    answer_col: dict[int, str] = field(default_factory=dict)
    comment_col: dict[int, str] = field(default_factory=dict)


@dataclass
class _Context:
    """The campaign's schools and their current answers, read once for the whole file."""

    by_code: dict[str, CampaignSchool]
    by_name: dict[str, CampaignSchool]
    answers: dict[int, dict[int, Answer]]
    seen: dict[int, int] = field(default_factory=dict)


def plan_answers_import(
    user, campaign: MonitoringCampaign, data: bytes, filename: str = ""
) -> ImportPlan:
    """Read an Excel/CSV of answers (the shape :func:`export_answers_xlsx` writes) and list
    the changes. Every problem is collected with its row; any problem rejects the whole file.

    Example row: «700912 | МАОУ СОШ № 28 | выполнено | графики на сайте | частично | …».
    """
    _require(user, "monitoring.change_monitoringcampaign", campaign)
    plan = ImportPlan()
    try:
        table = read_table(data, filename)
    except UploadError as exc:
        plan.errors.append(str(exc))
        return plan
    layout = _layout(table, campaign)
    plan.errors.extend(_layout_errors(table, layout))
    if plan.errors:
        return plan
    context = _context(campaign)
    for line, values in table.rows:
        plan.rows += 1
        _plan_row(plan, layout, context, line, values)
    if campaign.status != CampaignStatus.OPEN and plan.changes:
        plan.errors.append("Мониторинг завершён: ответы больше не меняются.")
    if not plan.rows:
        plan.errors.append("В файле нет ни одной строки со школой.")
    return plan


def _layout(table: Table, campaign: MonitoringCampaign) -> _Layout:
    """«2. Проводятся …» is item 2's answer, «2. комментарий» its comment."""
    items = template_items(campaign.template)
    labels = item_labels(items)
    layout = _Layout(items, labels)
    by_label = {labels[item.pk]: item for item in items}
    for header in table.headers:
        match = _HEADER.match(header)
        if not match or match.group(1) not in by_label:
            continue
        item = by_label[match.group(1)]
        target = layout.comment_col if match.group(2).strip() == COMMENT_WORD else layout.answer_col
        target[item.pk] = header
    return layout


def _layout_errors(table: Table, layout: _Layout) -> list[str]:
    errors = []
    if _CODE_KEY not in table.headers and _SCHOOL_KEY not in table.headers:
        errors.append(
            "В файле нет столбца «Код ОО» или «Школа»: скачайте образец кнопкой «Excel» "
            "на странице мониторинга и заполните его."
        )
    missing = [layout.labels[i.pk] for i in layout.items if i.pk not in layout.answer_col]
    if missing:
        errors.append(f"В файле нет столбцов пунктов: {', '.join(missing)}.")
    return errors


def _context(campaign: MonitoringCampaign) -> _Context:
    sheets = list(campaign.sheets.select_related("school"))
    return _Context(
        by_code={s.school.code: s for s in sheets},
        by_name={" ".join(s.school.short_name.lower().split()): s for s in sheets},
        answers=answers_by_sheet(sheets),
    )


def _row_sheet(
    plan: ImportPlan, context: _Context, line: int, values: dict[str, str]
) -> CampaignSchool | None:
    """The school of a row, found by its code or its name; once per file."""
    code = values.get(_CODE_KEY, "").strip()
    name = values.get(_SCHOOL_KEY, "").strip()
    sheet = context.by_code.get(code) if code else None
    sheet = sheet or context.by_name.get(" ".join(name.lower().split()))
    if sheet is None:
        plan.errors.append(
            f"Строка {line}: школа «{name or code}» не участвует в этом мониторинге."
        )
        return None
    if sheet.pk in context.seen:
        plan.errors.append(
            f"Строка {line}: школа «{sheet.school}» уже была в строке {context.seen[sheet.pk]}."
        )
        return None
    context.seen[sheet.pk] = line
    return sheet


def _plan_row(
    plan: ImportPlan, layout: _Layout, context: _Context, line: int, values: dict[str, str]
) -> None:
    sheet = _row_sheet(plan, context, line, values)
    if sheet is None:
        return
    row_changes = []
    for item in layout.items:
        change = _item_change(plan, layout, context, sheet, item, line, values)
        if change is not None:
            row_changes.append(change)
    if row_changes and sheet.status == SheetStatus.ACCEPTED:
        plan.errors.append(
            f"Строка {line}: чек-лист школы «{sheet.school}» уже принят — чтобы изменить "
            "ответы, сначала верните его на доработку."
        )
        return
    plan.changes.extend(row_changes)


def _item_change(
    plan: ImportPlan,
    layout: _Layout,
    context: _Context,
    sheet: CampaignSchool,
    item: ChecklistItem,
    line: int,
    values: dict[str, str],
) -> AnswerChange | None:
    """The change one cell (and its comment) makes to a school's answer, or None."""
    label = layout.labels[item.pk]
    raw = values.get(layout.answer_col[item.pk], "").strip()
    comment = values.get(layout.comment_col.get(item.pk, ""), "").strip()
    current = context.answers[sheet.pk].get(item.pk)
    old_answer = current.answer if current else ""
    old_comment = current.comment if current else ""
    new_answer = old_answer
    if raw:
        new_answer = _ANSWER_SYNONYMS.get(" ".join(raw.lower().split()), "")
        if not new_answer:
            plan.errors.append(
                f"Строка {line}, пункт {label}: «{raw}» — допустимо «выполнено», "
                "«частично», «не выполнено» или пустая ячейка."
            )
            return None
    new_comment = comment or old_comment
    if comment and not new_answer:
        plan.errors.append(f"Строка {line}, пункт {label}: комментарий без ответа — укажите ответ.")
        return None
    if (new_answer, new_comment) == (old_answer, old_comment):
        return None
    return AnswerChange(sheet, item, label, old_answer, new_answer, old_comment, new_comment)
