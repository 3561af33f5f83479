"""The Excel file of a campaign's results: the same figures as the results page, never a
single response (anonymity rules of :mod:`opora.surveys.results` apply)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from opora.core.spreadsheets import finish_table, workbook_bytes
from opora.surveys import results, selectors
from opora.surveys.models import Campaign

HIDDEN = "скрыто (меньше 5 ответов)"
BOLD = Font(bold=True)


def _share(value) -> float | str:
    """A share as a fraction, shown as per cent by the sheet (0.125 → «12,5 %»)."""
    return round(value, 3) if value is not None else ""


def results_workbook(user, campaign: Campaign, audience: str = "") -> bytes:
    """Three sheets of one audience (``audience``) or of every audience together:
    «Ответы по вопросам» (the region), «По школам» (means of scale and number questions per
    school), «Отклик» (responses per school and audience)."""
    data = results.campaign_results(user, campaign, audience=audience)
    sendings = results.chosen_sendings(campaign, data.audience)
    book = Workbook()
    sheet = book.active
    sheet.title = "Ответы по вопросам"
    sheet.append([campaign.title])
    sheet["A1"].font = BOLD
    asked = "; ".join(f"{p.audiences} — анкета «{p.questionnaire.title}»" for p in data.parts)
    sheet.append(
        [
            f"{asked}; {campaign.starts_on:%d.%m.%Y}–{campaign.ends_on:%d.%m.%Y}; "
            f"ответов: {data.responses}"
        ]
    )
    sheet.append([])
    sheet.append(["№", "Вопрос", "Строка", "Вариант", "Ответов", "Доля", "Среднее"])
    for cell in sheet[4]:
        cell.font = BOLD
    for q in data.questions:
        _question_rows(sheet, q)
    finish_table(sheet, 4, percent=[6])
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["D"].width = 30
    for row in sheet.iter_rows(min_row=5, max_col=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    by_school = book.create_sheet("По школам")
    by_school.append(
        ["Школа", "Ответов", *[f"{q.number} {q.question.text}"[:120] for q in data.mean_questions]]
    )
    for cell in by_school[1]:
        cell.font = BOLD
    by_school.append(
        ["Регион", data.responses, *[_round(q.region_mean) for q in data.mean_questions]]
    )
    for row in data.schools:
        by_school.append(
            [
                row.school.short_name,
                row.responses,
                *[HIDDEN if row.hidden or mean is None else _round(mean) for mean, _ in row.means],
            ]
        )
    finish_table(by_school, 1)
    by_school.column_dimensions["A"].width = 40

    tracking = book.create_sheet("Отклик")
    tracking.append(["Муниципалитет", "Школа", "Адресат", "Ответов", "Ожидалось", "Напомнили"])
    for cell in tracking[1]:
        cell.font = BOLD
    read = {a.audience for a in sendings}
    for r in selectors.tracking(user, campaign):
        for c in r.cells:
            if c.sending.audience not in read:
                continue
            tracking.append(
                [
                    r.target.school.municipality.name,
                    r.target.school.short_name,
                    c.sending.get_audience_display(),
                    c.responses,
                    c.expected if c.expected is not None else "",
                    r.target.reminded_on,
                ]
            )
    finish_table(tracking, 1)
    tracking.column_dimensions["A"].width = 30
    tracking.column_dimensions["B"].width = 40
    tracking.column_dimensions["C"].width = 22
    return workbook_bytes(book)


def _round(value):
    return round(value, 2) if value is not None else ""


def _question_rows(sheet, q) -> None:
    text = q.question.text
    if q.region_hidden:
        sheet.append([q.number, text, "", HIDDEN])
        return
    if q.matrix:
        for m in q.matrix:
            for o in m.options:
                sheet.append([q.number, text, m.label, o.label, o.region, _share(o.region_share)])
    elif q.options:
        for o in q.options:
            sheet.append([q.number, text, "", o.label, o.region, _share(o.region_share)])
        if q.region_mean is not None:
            sheet.append([q.number, text, "", "среднее", q.region_n, "", _round(q.region_mean)])
    elif q.region_mean is not None:
        sheet.append([q.number, text, "", "среднее", q.region_n, "", _round(q.region_mean)])
    else:
        sheet.append([q.number, text, "", "ответов", q.region_n])
