"""Roadmaps in the formats other regions publish them in (issue 12, «Formats»): OpenDocument
read natively, a PDF with a text layer read through its table extractor, a scanned PDF and the
old binary formats refused with a clear Russian message when they cannot be converted.

The files are made here: OpenDocument by hand as LibreOffice writes it, PDF printed by Chromium
from an HTML table (a real text layer with ruled cells), with wordings of our own.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from opora.core.intake.pdf import SCANNED, unwrap
from opora.roadmaps import table_reader
from opora.roadmaps.periods import parse_period
from opora.roadmaps.table_reader import RoadmapFileError, read_roadmap
from opora.testing.odf_files import ods, odt
from opora.testing.ole import ole_file

ROWS = [
    ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственный исполнитель"],
    [("I. Организационные мероприятия", 4), None, None, None],
    ["1.", "Совещание с директорами школ", "октябрь", "Отдел образования, ИМЦ"],
    ["2.", "Семинар для учителей математики", "в период с 10 по 20 ноября", "ОО"],
    [("II. Методическое сопровождение", 4), None, None, None],
    ["1.", "Курсы повышения квалификации", "март", "ИМЦ"],
]


def _outline(parsed):
    return [
        (s.title, [(e.number, e.text, e.deadline_text) for e in s.events]) for s in parsed.sections
    ]


EXPECTED = [
    (
        "I. Организационные мероприятия",
        [
            ("1.", "Совещание с директорами школ", "октябрь"),
            ("2.", "Семинар для учителей математики", "в период с 10 по 20 ноября"),
        ],
    ),
    ("II. Методическое сопровождение", [("1.", "Курсы повышения квалификации", "март")]),
]


def test_an_odt_plan_is_read_natively_with_its_sections_title_and_tasks():
    data = odt(
        [
            "План мероприятий",
            "на 2022/23 учебный год",
            "Задачи:",
            ("list", ["Повысить качество подготовки к ГИА", "Развить сетевое взаимодействие"]),
            ROWS,
        ]
    )

    parsed = read_roadmap(data, "план.odt")

    assert _outline(parsed) == EXPECTED
    assert parsed.title == "План мероприятий на 2022/23 учебный год"
    assert parse_period(parsed.title)[0].isoformat() == "2022-09-01"
    assert parsed.tasks == ["Повысить качество подготовки к ГИА", "Развить сетевое взаимодействие"]
    assert "OpenDocument (.odt)" in parsed.warnings[0]
    assert parsed.events[0].executors_text == "Отдел образования, ИМЦ"


def test_an_ods_sheet_is_read_as_a_workbook():
    parsed = read_roadmap(ods(ROWS), "план.ods")

    assert _outline(parsed) == EXPECTED
    assert "OpenDocument (.ods)" in parsed.warnings[0]


def test_an_odt_zip_bomb_is_refused_by_the_shared_guard(monkeypatch):
    monkeypatch.setattr(table_reader, "unpacked_limit", lambda kind: 256 * 1024)
    data = odt(["План на 2024 год", "x" * 2_000_000, ROWS])
    with pytest.raises(RoadmapFileError, match="zip-бомб"):
        read_roadmap(data, "план.odt")


def test_an_opendocument_without_a_text_body_is_refused_in_russian():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.presentation")
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(RoadmapFileError, match="OpenDocument"):
        read_roadmap(buffer.getvalue(), "слайды.odp")


HTML = """<html><body style="font-family: sans-serif">
<p>ПЛАН</p><p>мероприятий по повышению качества образования</p><p>на 2023/24 учебный год</p>
<table border="1" style="border-collapse: collapse" cellpadding="4">
<tr><th>N N п.п</th><th>Вид работы</th><th>Плановый срок</th><th>Кто отвечает</th></tr>
<tr><td colspan="4">1. Организационная работа</td></tr>
<tr><td>1</td><td>Совещание с руководителями школ по итогам ВПР и планированию работы на
учебный год с разбором типичных ошибок обучающихся</td><td>сентябрь</td>
<td>Министерство образования области (далее – Министерство);<br>ИРО</td></tr>
<tr><td>2</td><td>Семинар для заместителей директоров</td><td>в период с 1 по 15 октября</td>
<td>ИРО</td></tr>
<tr><td colspan="4">2. Методическая работа</td></tr>
<tr><td>1</td><td>Курсы для учителей русского языка</td><td>12 марта (четверг)</td><td>ИРО</td></tr>
</table></body></html>"""


def _pdf(browser, html: str) -> bytes:
    page = browser.new_page()
    try:
        page.set_content(html)
        return page.pdf()
    finally:
        page.close()


def test_a_pdf_with_a_text_layer_is_read_through_its_tables(browser):
    parsed = read_roadmap(_pdf(browser, HTML), "план.pdf")

    assert parsed.title == (
        "ПЛАН мероприятий по повышению качества образования на 2023/24 учебный год"
    )
    assert [s.title for s in parsed.sections] == [
        "1. Организационная работа",
        "2. Методическая работа",
    ]
    first = parsed.events[0]
    # A cell wrapped over lines by the PDF is one text again; the executors' break is kept.
    assert first.text.startswith("Совещание с руководителями школ по итогам ВПР и планированию")
    assert "\n" not in first.text
    assert first.executors_text == "Министерство образования области (далее – Министерство);\nИРО"
    assert [e.deadline_text for e in parsed.events] == [
        "сентябрь",
        "в период с 1 по 15 октября",
        "12 марта (четверг)",
    ]
    assert "PDF прочитан по текстовому слою" in parsed.warnings[0]


def test_a_scanned_pdf_is_refused_with_a_clear_message_not_read_as_empty(browser):
    picture = '<div style="width:600px;height:800px;background:#ccc"></div>'
    with pytest.raises(RoadmapFileError) as error:
        read_roadmap(_pdf(browser, f"<html><body>{picture}</body></html>"), "скан.pdf")
    assert str(error.value) == SCANNED


def test_a_broken_pdf_is_refused_in_russian():
    with pytest.raises(RoadmapFileError, match="PDF повреждён"):
        read_roadmap(b"%PDF-1.7\n%%EOF garbage", "карта.pdf")


@pytest.mark.usefixtures("without_libreoffice")
@pytest.mark.parametrize(
    ("data", "shown"),
    [
        (ole_file("WordDocument", "1Table"), "старом формате Word (.doc)"),
        (b"{\\rtf1\\ansi \\b Plan\\b0 2024\\par}", "формате (.rtf)"),
        (ole_file("Workbook"), "старом формате Excel (.xls)"),
    ],
)
def test_old_formats_without_libreoffice_get_a_clear_message(data, shown):
    with pytest.raises(RoadmapFileError) as error:
        read_roadmap(data, "карта")
    message = str(error.value)
    assert f"Файл в {shown}" in message and "LibreOffice" in message


def test_pdf_lines_wrapped_in_a_cell_are_glued_back():
    assert unwrap("Семинар для учителей\nматематики;\n- разбор зада-\nний") == (
        "Семинар для учителей математики;\n- разбор заданий"
    )
    assert unwrap("1. Первое\n2. Второе") == "1. Первое\n2. Второе"
