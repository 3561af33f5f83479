"""Protocol files of other layouts, made with python-docx for the tests (wordings our own).

Example: ``protocol_docx(HEAD, [(["Зырянский район:"], [["Рекомендация", "Срок"], ["Назначить
куратора", "март 2023"]])])`` — the head of a protocol, a heading paragraph and a two-column
table; a row given as one string is merged across the table.
"""

import io

import docx

HEAD = [
    "ПРОТОКОЛ",
    "совещания по итогам собеседований с муниципальными органами управления образованием",
    "г. Томск, 9 марта 2023 г.",
    "Председатель: Петрова А.А., начальник отдела",
    "Участники: Сидоров Б.Б.; Кузнецова В.В.",
    "Секретарь: Орлова Г.Г.",
    "Повестка: 1. Об итогах мониторинга",
]


def protocol_docx(paragraphs_before, tables=(), paragraphs_after=()) -> bytes:
    document = docx.Document()
    for text in paragraphs_before:
        document.add_paragraph(text)
    for above, rows in tables:
        for text in above:
            document.add_paragraph(text)
        table = document.add_table(rows=0, cols=len(rows[0]))
        for values in rows:
            cells = table.add_row().cells
            if isinstance(values, str):  # one text across the row
                merged = cells[0].merge(cells[-1])
                merged.text = values
                continue
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
    for text in paragraphs_after:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
