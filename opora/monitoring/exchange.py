"""The campaign's answers in Excel: the file given out and read back (the preview of an import).

Example: a column «2. Проводятся дополнительные занятия …» with «да» / «частично» / «нет»
in each school's row becomes the answers «выполнено» / «частично» / «не выполнено».
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from opora.accounts.guards import require as _require
from opora.core.intake.files import UploadError
from opora.core.intake.tables import read_table
from opora.core.spreadsheets import finish_table, workbook_bytes
from opora.monitoring.checklist import item_labels
from opora.monitoring.models import (
    Answer,
    CampaignSchool,
    CampaignStatus,
    ChecklistItem,
    MonitoringCampaign,
    SheetStatus,
)
from opora.monitoring.selectors import answers_by_sheet, sheets_for, template_items

CODE_HEADER, SCHOOL_HEADER, COMMENT_WORD = "Код ОО", "Школа", "комментарий"

ANSWER_WORDS = {
    Answer.DONE: "выполнено",
    Answer.PARTLY: "частично",
    Answer.NOT_DONE: "не выполнено",
}


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


def _item_header(label: str, item: ChecklistItem) -> str:
    text = item.text if len(item.text) <= 70 else item.text[:69].rstrip() + "…"
    return f"{label}. {text}"


def export_answers_xlsx(user, campaign: MonitoringCampaign) -> bytes:
    """A row per school, a column per item with its comment column beside it.

    The second sheet lists the items in full and the accepted answers.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    items = template_items(campaign.template)
    labels = item_labels(items)
    sheets = list(sheets_for(user, campaign))
    answers = answers_by_sheet(sheets)

    book = Workbook()
    table = book.active
    table.title = "Ответы"
    header = [CODE_HEADER, SCHOOL_HEADER]
    for item in items:
        header += [_item_header(labels[item.pk], item), f"{labels[item.pk]}. {COMMENT_WORD}"]
    table.append(header)
    for sheet in sheets:
        row = [sheet.school.code, sheet.school.short_name]
        for item in items:
            answer = answers[sheet.pk].get(item.pk)
            row += [
                ANSWER_WORDS.get(answer.answer, "") if answer else "",
                answer.comment if answer else "",
            ]
        table.append(row)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in table[1]:
        cell.font, cell.alignment = Font(bold=True), wrap
    table.freeze_panes = "C2"
    finish_table(table, 1)
    table.column_dimensions["A"].width = 10
    table.column_dimensions["B"].width = 34
    from openpyxl.utils import get_column_letter

    for index in range(3, len(header) + 1):
        table.column_dimensions[get_column_letter(index)].width = 22 if index % 2 else 28
    if sheets:
        choice = DataValidation(
            type="list", formula1='"выполнено,частично,не выполнено"', allow_blank=True
        )
        table.add_data_validation(choice)
        for index in range(3, len(header) + 1, 2):
            letter = get_column_letter(index)
            choice.add(f"{letter}2:{letter}{len(sheets) + 1}")

    legend = book.create_sheet("Пункты")
    legend.append(["Пункт", "Текст пункта"])
    for item in items:
        legend.append([labels[item.pk], item.text])
    legend.append([])
    legend.append(["Ответы", "выполнено, частично, не выполнено; пустая ячейка ничего не меняет"])
    legend.column_dimensions["B"].width = 120
    return workbook_bytes(book)


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
    items = template_items(campaign.template)
    labels = item_labels(items)
    by_label = {label: item for item, label in ((i, labels[i.pk]) for i in items)}
    answer_col: dict[int, str] = {}
    comment_col: dict[int, str] = {}
    for header in table.headers:
        match = _HEADER.match(header)
        if not match or match.group(1) not in by_label:
            continue
        item = by_label[match.group(1)]
        target = comment_col if match.group(2).strip() == COMMENT_WORD else answer_col
        target[item.pk] = header
    code_key, school_key = CODE_HEADER.lower(), SCHOOL_HEADER.lower()
    if code_key not in table.headers and school_key not in table.headers:
        plan.errors.append(
            "В файле нет столбца «Код ОО» или «Школа»: скачайте образец кнопкой «Excel» "
            "на странице мониторинга и заполните его."
        )
    missing = [labels[i.pk] for i in items if i.pk not in answer_col]
    if missing:
        plan.errors.append(f"В файле нет столбцов пунктов: {', '.join(missing)}.")
    if plan.errors:
        return plan

    sheets = list(campaign.sheets.select_related("school"))
    by_code = {s.school.code: s for s in sheets}
    by_name = {" ".join(s.school.short_name.lower().split()): s for s in sheets}
    answers = answers_by_sheet(sheets)
    seen: dict[int, int] = {}
    for line, values in table.rows:
        plan.rows += 1
        code = values.get(code_key, "").strip()
        name = values.get(school_key, "").strip()
        sheet = by_code.get(code) if code else None
        sheet = sheet or by_name.get(" ".join(name.lower().split()))
        if sheet is None:
            plan.errors.append(
                f"Строка {line}: школа «{name or code}» не участвует в этом мониторинге."
            )
            continue
        if sheet.pk in seen:
            plan.errors.append(
                f"Строка {line}: школа «{sheet.school}» уже была в строке {seen[sheet.pk]}."
            )
            continue
        seen[sheet.pk] = line
        row_changes = []
        for item in items:
            label = labels[item.pk]
            raw = values.get(answer_col[item.pk], "").strip()
            comment = values.get(comment_col.get(item.pk, ""), "").strip()
            current = answers[sheet.pk].get(item.pk)
            new_answer = current.answer if current else ""
            if raw:
                new_answer = _ANSWER_SYNONYMS.get(" ".join(raw.lower().split()), "")
                if not new_answer:
                    plan.errors.append(
                        f"Строка {line}, пункт {label}: «{raw}» — допустимо «выполнено», "
                        "«частично», «не выполнено» или пустая ячейка."
                    )
                    continue
            old_comment = current.comment if current else ""
            new_comment = comment or old_comment
            if comment and not new_answer:
                plan.errors.append(
                    f"Строка {line}, пункт {label}: комментарий без ответа — укажите ответ."
                )
                continue
            if (new_answer, new_comment) != ((current.answer if current else ""), old_comment):
                row_changes.append(
                    AnswerChange(
                        sheet,
                        item,
                        label,
                        current.answer if current else "",
                        new_answer,
                        old_comment,
                        new_comment,
                    )
                )
        if row_changes and sheet.status == SheetStatus.ACCEPTED:
            plan.errors.append(
                f"Строка {line}: чек-лист школы «{sheet.school}» уже принят — чтобы изменить "
                "ответы, сначала верните его на доработку."
            )
            continue
        plan.changes.extend(row_changes)
    if campaign.status != CampaignStatus.OPEN and plan.changes:
        plan.errors.append("Мониторинг завершён: ответы больше не меняются.")
    if not plan.rows:
        plan.errors.append("В файле нет ни одной строки со школой.")
    return plan
