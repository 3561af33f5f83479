"""The editable text of a document, to the letter: what each line becomes on paper, how apps
write it, and how the Word file lays it out (group rows, lines in a cell, a chart, several
signatures, landscape pages)."""

from __future__ import annotations

import io

from docx import Document as read_docx
from docx.oxml.ns import qn

from opora.documents.drafts import Draft
from opora.documents.render import render_draft
from opora.documents.text import (
    NBSP,
    body_blocks,
    chart,
    group_row,
    heading,
    paragraphs,
    signatures,
    strong,
    table_row,
)

BODY = "\n".join(
    [
        "«17, 18, 19, 22» июня 2020 г.",
        strong("Председатель:"),
        "Грабцевич И.Б., начальник Департамента общего образования Томской области.",
        strong("Решение:"),
        table_row("п/п", "Муниципальное образование", "Рекомендации в рамках собеседования"),
        group_row("17 июня 2020 года"),
        table_row("1", "Асиновский район", "- провести анализ результатов;\n- обновить карту."),
        heading("Рисунок"),
        chart("Рисунок 1. Доля экспертиз, в которых критерий не выполнен"),
        table_row("Наставничество", "80 %", "4 из 5"),
        table_row("Преемственность", "20 %", "1 из 5"),
        table_row("№", "Критерий", "Не выполнен", "Доля", "Средний балл, % от макс."),
        table_row("1", "Наставничество", "4 из 5", "80 %", "35 %"),
    ]
)
SIGNER = "Председатель\nГрабцевич И.Б.\n\nСекретарь\nКузнецова Е.А."


def test_every_line_is_one_block():
    blocks = body_blocks(BODY)
    assert [b.kind for b in blocks] == [
        "paragraph", "strong", "paragraph", "strong", "table", "heading", "chart", "table",
    ]  # fmt: skip
    decision = blocks[4]
    assert decision.rows[1] == ["17 июня 2020 года"] and decision.is_group(decision.rows[1])
    assert decision.rows[2][2] == "- провести анализ результатов;\n- обновить карту."
    assert blocks[6].bars == [
        ("Наставничество", 80.0, "4 из 5"),
        ("Преемственность", 20.0, "1 из 5"),
    ]
    assert blocks[7].rows[0][0] == "№"  # a wider row after a chart starts a table


def test_apps_write_cells_that_never_break_the_table():
    assert table_row("1", "Школа | филиал", "а\n\nб") == "| 1 | Школа / филиал | а |\n+ б"
    assert group_row("Раздел  1.\nОформление") == "| Раздел 1. Оформление |"
    assert heading("Заключение") == "## Заключение"
    assert strong("Решение:") == "**Решение:**"
    assert chart("Рисунок 1") == "[диаграмма] Рисунок 1"


def test_what_a_person_wrote_is_never_read_as_markup():
    written = "| не таблица |\n## не заголовок\n\n+ не продолжение\nПросто текст."
    assert paragraphs(written) == [
        "не таблица |",
        "не заголовок",
        "не продолжение",
        "Просто текст.",
    ]
    assert [b.kind for b in body_blocks("\n".join(paragraphs(written)))] == ["paragraph"] * 4


def test_several_signatures_are_separated_by_an_empty_line():
    assert signatures(SIGNER) == [
        ("Председатель", "Грабцевич И.Б."),
        ("Секретарь", "Кузнецова Е.А."),
    ]
    assert signatures("Начальник департамента И.В. Васильева") == [
        ("Начальник департамента", "И.В. Васильева")
    ]
    assert signatures("") == []


def _draft(**overrides) -> Draft:
    values = dict(
        kind="protocol",
        organisation="Департамент общего образования Томской области",
        title="проведения индивидуальных собеседований\nс муниципальными образованиями",
        body=BODY,
        place="г. Томск, ДОО ТО, ул. Ленина, 111",
        signer=SIGNER,
    )
    values.update(overrides)
    return Draft(**values)


def test_the_word_file_lays_the_blocks_out():
    doc = read_docx(io.BytesIO(render_draft(_draft())))
    texts = [p.text.replace(NBSP, " ") for p in doc.paragraphs]
    assert texts[:10] == [
        "ПРОЕКТ",
        "ДЕПАРТАМЕНТ ОБЩЕГО ОБРАЗОВАНИЯ ТОМСКОЙ ОБЛАСТИ",
        "",
        "ПРОТОКОЛ",
        "",
        "____________\t№ ________",
        "г. Томск, ДОО ТО, ул. Ленина, 111",
        "",
        "проведения индивидуальных собеседований",
        "с муниципальными образованиями",
    ]
    bold = {p.text for p in doc.paragraphs if p.runs and p.runs[0].bold}
    assert {"Председатель:", "Решение:", "Рисунок"} <= bold
    assert "Рисунок 1. Доля экспертиз, в которых критерий не выполнен" in texts
    assert len(doc.inline_shapes) == 1

    decision, criteria, signed = doc.tables
    group = decision.rows[1]
    assert len({id(c._tc) for c in group.cells}) == 1 and group.cells[0].text == "17 июня 2020 года"
    lines = [p.text for p in decision.rows[2].cells[2].paragraphs]
    assert lines == ["- провести анализ результатов;", "- обновить карту."]
    header = decision.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    widths = [c.width.mm for c in criteria.rows[0].cells]
    assert widths[1] == max(widths)  # the criterion's text gets the most room
    centred = criteria.rows[1].cells[2].paragraphs[0].alignment
    assert centred is not None and centred.name == "CENTER"  # «4 из 5» is a figure
    assert [[c.text.replace(NBSP, " ") for c in row.cells] for row in signed.rows] == [
        ["Председатель", "____________", "Грабцевич И.Б."],
        ["Секретарь", "____________", "Кузнецова Е.А."],
    ]


def test_a_wide_document_is_laid_out_on_landscape_pages():
    portrait = read_docx(io.BytesIO(render_draft(_draft()))).sections[0]
    landscape = read_docx(io.BytesIO(render_draft(_draft(landscape=True)))).sections[0]
    assert portrait.page_width < portrait.page_height
    assert landscape.page_width > landscape.page_height
    assert round(landscape.left_margin.mm) == 20 and round(landscape.right_margin.mm) == 10
