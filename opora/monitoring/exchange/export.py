"""The campaign's answers in Excel as given out: a row per school, a column per item.

Example: the row «700912 | МАОУ СОШ № 28 | выполнено | графики на сайте | частично | …»; the
same shape is read back by :mod:`opora.monitoring.exchange.plan`.
"""

from __future__ import annotations

from opora.core.spreadsheets import finish_table, workbook_bytes
from opora.monitoring.checklist import item_labels
from opora.monitoring.models import Answer, ChecklistItem, MonitoringCampaign
from opora.monitoring.selectors import answers_by_sheet, sheets_for, template_items

CODE_HEADER, SCHOOL_HEADER, COMMENT_WORD = "Код ОО", "Школа", "комментарий"

ANSWER_WORDS = {
    Answer.DONE: "выполнено",
    Answer.PARTLY: "частично",
    Answer.NOT_DONE: "не выполнено",
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
