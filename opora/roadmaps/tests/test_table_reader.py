"""Tests of the roadmap table reader on the Word samples of seeds 002/003 and on built files.

Пример: дорожная карта Каргасокского района (seed 002) даёт 4 раздела и 32 мероприятия.
"""

from __future__ import annotations

import io
import random
import struct
import types
import zipfile
from datetime import datetime

import docx
import openpyxl
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from opora.roadmaps import table_reader
from opora.roadmaps.table_reader import (
    ParsedRoadmap,
    RoadmapFileError,
    read_roadmap,
)
from opora.testing import shared_dir

SAMPLES = shared_dir() / "samples"
SAMPLE_002 = SAMPLES / "002_kargasok_roadmap_2020.docx"
SAMPLE_003 = SAMPLES / "003_region_roadmap_2023.docx"


KARGASOK_SCHOOLS = [
    "МКОУ «Вертикосская СОШ»",
    "МБОУ «Каргасокская СОШ-интернат №1»",
    "МБОУ «Нововасюганская СОШ»",
    "МКОУ «Средневасюганская СОШ»",
    "МКОУ «Среднетымская СОШ»",
    "МБОУ «Каргасокская СОШ№2»",
    "МКОУ «Новоюгинская СОШ»",
    "МКОУ «Березовская ООШ»",
    "МКОУ «Сосновская ООШ»",
    "МКОУ «Усть-Тымская ООШ»",
    "МКОУ «Павловская ООШ»",
    "МКОУ «Староюгинская ООШ»",
]


@pytest.fixture
def settings():
    """Stand-in for pytest-django's ``settings`` (the reader has no Django).

    The project's root conftest has an autouse fixture asking for ``settings``; this lets the
    module run with ``-p no:django`` too.
    """
    return types.SimpleNamespace()


# --- helpers ------------------------------------------------------------------------------------


def _by_number(roadmap: ParsedRoadmap) -> dict[str, table_reader.ParsedEvent]:
    return {event.number.rstrip("."): event for event in roadmap.events if event.number}


def _docx_bytes(
    rows: list[list[str]],
    *,
    before: list[str] = (),
    merge_rows: tuple[int, ...] = (),
    bold_rows: tuple[int, ...] = (),
) -> bytes:
    """A .docx with paragraphs ``before`` and one table; rows in ``merge_rows`` are merged."""
    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    _add_table(document, rows, merge_rows=merge_rows, bold_rows=bold_rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_table(document, rows, *, merge_rows=(), bold_rows=()):
    ncols = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=ncols)
    for index, values in enumerate(rows):
        cells = table.rows[index].cells
        if index in merge_rows:
            merged = cells[0].merge(cells[ncols - 1])
            merged.text = values[0]
            continue
        for cell, value in zip(cells, values, strict=False):
            cell.text = value
            if index in bold_rows:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.bold = True
    return table


def _ole_file(names: list[str]) -> bytes:
    """A minimal Compound File (OLE) with a root entry and the given stream names."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 44, 1, 1, 0)  # 1 FAT sector, directory at sector 1
    struct.pack_into("<IIII", header, 56, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    struct.pack_into("<I", header, 72, 0)
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 76, *difat)
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [0xFFFFFFFF] * 126
    directory = bytearray(512)
    for index, name in enumerate(["Root Entry", *names]):
        encoded = (name + "\0").encode("utf-16-le")
        directory[index * 128 : index * 128 + len(encoded)] = encoded
        struct.pack_into("<H", directory, index * 128 + 64, len(encoded))
        directory[index * 128 + 66] = 5 if index == 0 else 2
    return bytes(header) + struct.pack("<128I", *fat) + bytes(directory)


# --- the Word samples ---------------------------------------------------------------------------


def test_002_sections_events_and_preamble():
    roadmap = read_roadmap(SAMPLE_002)

    assert roadmap.title == (
        "Дорожная карта комплекса мероприятий по работе со школами с низкими "
        "образовательными результатами на 2020 - 2021 год"
    )
    assert roadmap.goal.startswith("Создание условий, формирующих повышение качества")
    assert roadmap.goal.endswith("в неблагоприятных социальных условиях.")
    assert len(roadmap.tasks) == 5
    assert roadmap.tasks[1] == "Развитие сетевого взаимодействия и партнерства."
    assert roadmap.tasks[4].startswith("Создание условий для развития профессионализма")
    assert len(roadmap.indicators) == 4
    assert roadmap.indicators[0].startswith("Наличие программ (дорожных карт")
    assert roadmap.indicators[3].startswith("Доля руководителей школ")
    assert roadmap.columns == ["number", "text", "deadline", "executors"]

    assert [section.title for section in roadmap.sections] == [
        "Нормативно-правовое обеспечение реализации мероприятий по работе со школами с "
        "низкими образовательными результатами",
        "Организационные меры, направленные на повышение качества общего образования "
        "(отдельные мероприятия для общеобразовательных организаций с низкими "
        "образовательными результатами)",
        "Методическое обеспечение реализации комплекса мер по работе со школами с низкими "
        "образовательными результатами",
        "Финансовое обеспечение реализации комплекса мер по работе со школами с низкими "
        "образовательными результатами",
    ]
    assert [len(section.events) for section in roadmap.sections] == [6, 9, 13, 4]
    events = roadmap.events
    assert len(events) == 32
    assert sum(1 for event in events if event.number) == 31
    assert all(event.deadline_text for event in events)
    assert all(event.executors_text for event in events)

    first, last = events[0], events[-1]
    assert first.number == "1."
    assert first.text.startswith("Разработка муниципальной Дорожной карты комплекса мероприятий")
    assert (first.deadline_text, first.executors_text, first.row_index) == ("июнь 2020", "УООиП", 3)
    assert last.number == "31"
    assert last.text.startswith("Выравнивание ресурсной базы школ")
    assert last.executors_text == "УООиП"

    numbered = _by_number(roadmap)
    assert numbered["6"].deadline_text == "Май-июнь 2021 Май-июнь 2022 Май-июнь 2023"
    assert numbered["7"].deadline_text == "До 16.06.2020"
    assert numbered["16"].deadline_text == "июнь- август 2020, далее - ежегодное обновление"
    assert numbered["23"].executors_text == "ОО (ШМО) РМО"
    assert numbered["10"].number == "10"
    assert all(school in numbered["10"].text for school in KARGASOK_SCHOOLS)
    assert numbered["10"].text.startswith("Согласование и утверждение комплекса мер помощи")

    # the unnumbered event after 23 is a new event, not a continuation
    index_23 = events.index(numbered["23"])
    unnumbered = events[index_23 + 1]
    assert unnumbered.number == ""
    assert unnumbered.text.startswith("Участие в тренингах для педагогического коллектива")
    assert unnumbered.deadline_text == "По отдельному графику"
    assert unnumbered.executors_text == "РМО,ОО,ТОИПКРО"
    assert events[index_23 + 2].number == "24"
    assert "23" not in numbered["23"].raw.get("continuation_rows", "")
    assert "Участие в тренингах" not in numbered["23"].text


def test_002_lists_inside_cells():
    numbered = _by_number(read_roadmap(SAMPLE_002))
    seminars = numbered["15"]
    lines = seminars.text.split("\n")
    assert lines[0].startswith("Проведение совещаний (семинаров) с руководителями ОО")
    assert lines[1].startswith("«Современные оценочные процедуры")
    assert lines[-1] == "Урок в условиях инклюзивного обучения."
    assert len(lines) == 7
    assert "✓" not in seminars.text
    assert "✓" in seminars.raw["text"]  # nothing lost in raw
    young = numbered["21"].text.split("\n")
    assert young[1].startswith("-мониторинга профессиональных")  # «-» items kept as written
    assert numbered["13"].text.split("\n")[1] == (
        "ВПР - сентябрь 2020 Региональный мониторинг - декабрь 2020 ВПР - апрель 2021"
    )


def test_003_regional_roadmap():
    roadmap = read_roadmap(SAMPLE_003)

    assert roadmap.title.startswith("«Дорожная карта» по реализации региональной программы")
    assert roadmap.title.endswith("на 2023 год")
    assert (roadmap.goal, roadmap.tasks, roadmap.indicators) == ("", [], [])
    assert roadmap.columns == ["number", "text", "deadline", "indicator", "evidence", "executors"]
    assert [section.title for section in roadmap.sections] == [
        "Организационно-управленческая деятельность",
        "Организационно-технологическая деятельность",
        "Методическое сопровождение",
        "Аналитическая деятельность",
    ]
    assert [len(section.events) for section in roadmap.sections] == [14, 6, 7, 8]
    events = roadmap.events
    assert len(events) == 35
    assert all(event.deadline_text for event in events)
    assert [event.number for event in events] == [f"{n}." for n in range(1, 36)]
    assert not any(event.warnings for event in events)

    first = events[0]
    assert first.text.startswith("Разработка и утверждение региональной программы")
    assert first.deadline_text == "Январь-март 2023г."
    assert first.indicator_text == "Разработана региональная программа и «дорожная карта»"
    assert first.evidence_text == "Распоряжение ДОО ТО"
    assert first.executors_text == "ДОО ТО, ТОИПКРО"

    numbered = _by_number(roadmap)
    assert numbered["13"].evidence_text == (
        "Ссылка на новости о работе ШНОР на официальных сайтах МОУО и образовательных "
        "организаций, раздел ШНОР на официальном сайте ТОИПКРО"
    )
    assert numbered["13"].deadline_text == "Ежемесячно"
    assert numbered["19"].indicator_text == "Проведено 17 экспертиз муниципальных программ ШНОР"
    assert numbered["19"].evidence_text == "Письмо ТОИПКРО, Протоколы экспертиз"
    assert numbered["24"].deadline_text == "20–21 апреля 2023г., октябрь 2023г."
    assert numbered["24"].evidence_text == "Программа КПК, приказы о зачислении, о завершении"
    assert numbered["28"].text == "Анализ результатов мониторинга (анкетирования)"
    assert numbered["28"].executors_text == "ТОИПКРО, кураторы"
    assert numbered["29"].evidence_text == ""
    last = events[-1]
    assert last.text == "Проведение анализа эффективности принятых мер поддержки ШНОР и ШНСУ"
    assert (last.deadline_text, last.executors_text) == ("Декабрь 2023г.", "ТОИПКРО")
    assert last.raw["indicator"] == "Аналитические материалы"


def test_samples_read_from_bytes_and_file_objects():
    data = SAMPLE_003.read_bytes()
    from_bytes = read_roadmap(data, filename="003.docx")
    with SAMPLE_003.open("rb") as handle:
        handle.read(10)  # a half-read upload is rewound
        from_file = read_roadmap(handle)
    assert len(from_bytes.events) == len(from_file.events) == 35


# --- rows broken across pages, sections, headers ---------------------------------------------

HEADER_003 = ["№ п/п", "Мероприятие", "Сроки реализации", "Показатель реализации", "Результат",
              "Исполнители"]  # fmt: skip


def test_rows_broken_across_pages_are_glued_to_their_event():
    data = _docx_bytes(
        [
            HEADER_003,
            ["Организационно-управленческая деятельность"],
            [
                "13.",
                "Информационное сопровождение ШНОР и ШНСУ",
                "Ежемесячно",
                "Размещено не менее 2 новостей в месяц",
                "Ссылка на новости о работе ШНОР, раздел",
                "ТОИПКРО, МОУО",
            ],
            ["", "", "", "", "ШНОР на официальном сайте ТОИПКРО", ""],
            [
                "14.",
                "Создание разделов по поддержке ШНОР",
                "В течение года",
                "Созданы разделы",
                "Ссылки на разделы",
                "МОУО",
            ],
            ["Аналитическая деятельность"],
            [
                "28.",
                "Анализ результатов мониторинга",
                "Март 2023г.",
                "Сформирована",
                "Аналитическая справка",
                "ТОИПКРО,",
            ],
            [
                "",
                "(анкетирования)",
                "",
                "аналитическая справка по итогам анкетирования",
                "",
                "кураторы",
            ],
            [
                "29.",
                "Анализ результатов ГИА-2023",
                "Август - октябрь 2023г.",
                "Сформирован аналитический отчет",
                "",
                "ТОИПКРО, МОУО",
            ],
        ],  # fmt: skip
        merge_rows=(1, 5),
    )
    roadmap = read_roadmap(data)
    assert [section.title for section in roadmap.sections] == [
        "Организационно-управленческая деятельность",
        "Аналитическая деятельность",
    ]
    numbered = _by_number(roadmap)
    assert list(numbered) == ["13", "14", "28", "29"]
    assert numbered["13"].evidence_text == (
        "Ссылка на новости о работе ШНОР, раздел ШНОР на официальном сайте ТОИПКРО"
    )
    assert numbered["13"].raw["continuation_rows"] == "4"
    assert numbered["13"].raw["evidence"].endswith("раздел\nШНОР на официальном сайте ТОИПКРО")
    analysis = numbered["28"]
    assert analysis.text == "Анализ результатов мониторинга (анкетирования)"
    assert analysis.indicator_text == "Сформирована аналитическая справка по итогам анкетирования"
    assert analysis.executors_text == "ТОИПКРО, кураторы"
    assert analysis.deadline_text == "Март 2023г."
    assert analysis.row_index == 7
    assert analysis.raw["continuation_rows"] == "8"


def test_unnumbered_row_with_its_own_deadline_is_a_new_event():
    data = _docx_bytes(
        [
            ["№", "Мероприятия", "Сроки", "ответственные"],
            ["Методическое обеспечение:"],
            [
                "23",
                "Анализ профессиональных/ предметных дефицитов учителей школ",
                "До 10 октября 2020",
                "ОО (ШМО) РМО",
            ],
            [
                "",
                "Участие в тренингах для педагогического коллектива",
                "По отдельному графику",
                "РМО,ОО,ТОИПКРО",
            ],
            ["", "на командообразование и профилактику выгорания", "", ""],
            ["24", "Участие педагогов района в цикле вебинаров для", "До мая 2021", "УООиП"],
            ["", "Руководителей школ", "2021", "РМО"],
            ["25", "Создание сети (пар) школ", "2020-2021", "УООиП ОО РМО"],
        ],  # fmt: skip
        merge_rows=(1,),
    )
    roadmap = read_roadmap(data)
    assert [section.title for section in roadmap.sections] == ["Методическое обеспечение"]
    events = roadmap.events
    assert [event.number for event in events] == ["23", "", "24", "25"]
    training = events[1]
    assert training.text == (
        "Участие в тренингах для педагогического коллектива на командообразование и "
        "профилактику выгорания"
    )
    assert training.deadline_text == "По отдельному графику"
    assert training.warnings == ["Мероприятие без номера."]
    # the previous text ends with «для»: the next row continues it even with its own deadline
    assert events[2].text == "Участие педагогов района в цикле вебинаров для Руководителей школ"
    assert events[2].deadline_text == "До мая 2021 2021"
    assert events[2].executors_text == "УООиП РМО"


def test_lone_cells_in_a_table_with_merged_section_rows():
    data = _docx_bytes(
        [
            ["№", "Мероприятия", "Сроки", "Ответственные"],
            ["Организационные меры"],
            ["Пустой раздел"],
            ["10", "Согласование комплекса мер (12 ДК)", "До 20 сентября 2020", "УООиП ОО"],
            ["", "МКОУ «Вертикосская СОШ» МБОУ «Нововасюганская СОШ»", "", ""],
            ["", "Методическое обеспечение", "", ""],
            ["11", "Проведение совещаний", "По отдельному графику", "УООиП ОО"],
        ],
        merge_rows=(1, 2),
        bold_rows=(5,),
    )
    roadmap = read_roadmap(data)
    assert [section.title for section in roadmap.sections] == [
        "Организационные меры",
        "Пустой раздел",
        "Методическое обеспечение",
    ]
    assert [len(section.events) for section in roadmap.sections] == [0, 1, 1]
    assert roadmap.warnings == ["В разделе «Организационные меры» нет мероприятий."]
    agreed = roadmap.events[0]
    assert agreed.text == (
        "Согласование комплекса мер (12 ДК) МКОУ «Вертикосская СОШ» МБОУ «Нововасюганская СОШ»"
    )
    assert agreed.raw["continuation_rows"] == "5"


def test_unmerged_section_rows_and_hierarchical_numbers():
    data = _docx_bytes(
        [
            ["№", "Мероприятие", "Срок исполнения", "Ответственный исполнитель"],
            ["I.", "Нормативное обеспечение", "", ""],
            ["1", "Приказ о рабочей группе", "июнь 2020", "УООиП"],
            ["2", "Дорожная карта", "июль 2020", "УООиП"],
            ["", "Методическое сопровождение", "", ""],
            ["3", "Семинар", "август 2020", "РМО"],
            ["4.", "Кадровое обеспечение", "", ""],
            ["4.1.", "Курсы", "2021", "ТОИПКРО"],
            ["4.2.", "Наставничество", "2021", "ОО"],
            ["5.", "Анализ без срока", "", "ОО"],
        ],  # fmt: skip
    )
    roadmap = read_roadmap(data)
    assert [section.title for section in roadmap.sections] == [
        "I. Нормативное обеспечение",
        "Методическое сопровождение",
        "4. Кадровое обеспечение",
    ]
    assert [event.number for event in roadmap.events] == ["1", "2", "3", "4.1.", "4.2.", "5."]
    assert roadmap.events[-1].warnings == ["Не указан срок."]
    assert roadmap.columns == ["number", "text", "deadline", "executors"]


def test_two_row_header_column_numbering_row_and_vertical_merges():
    document = docx.Document()
    document.add_paragraph("План мероприятий («дорожная карта») школы на 2024 год")
    table = _add_table(
        document,
        [
            ["№", "Наименование мероприятия", "Сроки", "", "Ответственные"],
            ["", "", "начало", "окончание", ""],
            ["1", "2", "3", "4", "5"],
            ["1.", "Диагностика дефицитов", "январь 2024", "март 2024", "ТОИПКРО"],
            ["2.", "Курсы повышения квалификации", "апрель 2024", "май 2024", ""],
            ["3.", "Методический десант", "сентябрь 2024", "октябрь 2024", ""],
        ],
    )
    for column in (0, 1, 4):
        top = table.cell(0, column)
        text = top.text
        top.merge(table.cell(1, column)).text = text
    table.cell(0, 2).merge(table.cell(0, 3)).text = "Сроки"
    table.cell(4, 4).merge(table.cell(5, 4)).text = "МОУО, кураторы"
    buffer = io.BytesIO()
    document.save(buffer)

    roadmap = read_roadmap(buffer.getvalue())
    assert roadmap.title == "План мероприятий («дорожная карта») школы на 2024 год"
    assert roadmap.columns == ["number", "text", "deadline", "executors"]
    events = roadmap.events
    assert [event.number for event in events] == ["1.", "2.", "3."]
    assert events[0].deadline_text == "январь 2024\nмарт 2024"
    assert events[1].executors_text == events[2].executors_text == "МОУО, кураторы"
    assert events[0].row_index == 4


def test_merged_header_cell_without_sub_header_keeps_the_first_event():
    document = docx.Document()
    table = _add_table(
        document,
        [
            ["Мероприятие", "Сроки", "", "Ответственные"],
            ["Семинар", "май", "июнь", "ИМЦ"],
            ["Вебинар", "июль", "август", "ИМЦ"],
        ],
    )
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Сроки"
    buffer = io.BytesIO()
    document.save(buffer)
    events = read_roadmap(buffer.getvalue()).events
    assert [(event.text, event.deadline_text) for event in events] == [
        ("Семинар", "май\nиюнь"),
        ("Вебинар", "июль\nавгуст"),
    ]


def test_best_table_is_chosen_and_tables_per_section_are_concatenated():
    document = docx.Document()
    document.add_paragraph("Лист согласования")
    _add_table(document, [["ФИО", "Должность"], ["Иванова И.И.", "начальник"]])
    document.add_paragraph("Дорожная карта муниципалитета на 2023 год")
    document.add_paragraph("Раздел 1. Организационная работа")
    header = ["№", "Мероприятие", "Сроки", "Ответственные"]
    _add_table(document, [header, ["1.", "Совещание", "март 2023", "МОУО"]])
    document.add_paragraph("")
    document.add_paragraph("Раздел 2. Методическая работа")
    _add_table(
        document,
        [header, ["2.", "Семинар", "апрель 2023", "ИМЦ"], ["3.", "Вебинар", "май 2023", "ИМЦ"]],
    )
    buffer = io.BytesIO()
    document.save(buffer)

    roadmap = read_roadmap(buffer.getvalue())
    assert roadmap.title == "Дорожная карта муниципалитета на 2023 год"
    assert [section.title for section in roadmap.sections] == [
        "Раздел 1. Организационная работа",
        "Раздел 2. Методическая работа",
    ]
    assert [event.number for event in roadmap.events] == ["1.", "2.", "3."]
    assert any("2 таблиц" in warning for warning in roadmap.warnings)


def test_automatic_numbering_in_the_number_column():
    document = docx.Document()
    table = _add_table(document, [["№ п/п", "Мероприятие", "Срок"], ["", "А", "май"],
                                  ["", "Б", "июнь"]])  # fmt: skip
    for row in table.rows[1:]:
        row.cells[0].paragraphs[0].style = document.styles["List Number"]
    buffer = io.BytesIO()
    document.save(buffer)
    roadmap = read_roadmap(buffer.getvalue())
    assert [(event.number, event.text) for event in roadmap.events] == [("1.", "А"), ("2.", "Б")]


def test_duplicate_and_skipped_numbers_are_warned():
    data = _docx_bytes(
        [
            ["№", "Мероприятие", "Сроки"],
            ["1.", "А", "май"],
            ["3.", "Б", "май"],
            ["3.", "В", "май"],
        ]  # fmt: skip
    )
    warnings = [event.warnings for event in read_roadmap(data).events]
    assert warnings[1] == ["Нарушена нумерация: после «1» идёт «3»."]
    assert "Номер «3.» повторяется." in warnings[2]


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("№", "number"), ("№ п/п", "number"), ("п/п", "number"), ("№п/п", "number"),
        ("Мероприятие", "text"), ("Мероприятия", "text"), ("Наименование мероприятия", "text"),
        ("Сроки", "deadline"), ("Срок", "deadline"), ("Срок исполнения", "deadline"),
        ("Сроки реализации", "deadline"), ("СРОКИ ПРОВЕДЕНИЯ:", "deadline"),
        ("Ответственные", "executors"), ("ответственный", "executors"),
        ("Исполнители", "executors"), ("Ответственный исполнитель", "executors"),
        ("Ответственные исполнители", "executors"), ("Показатель реализации", "indicator"),
        ("Показатель", "indicator"), ("Результат", "evidence"),
        ("Ожидаемый результат", "evidence"), ("Документ", "evidence"),
        ("Примечание", None), ("", None),
    ],
)  # fmt: skip
def test_header_synonyms(header, key):
    assert table_reader._header_key(header) == key


def test_paragraph_normalisation():
    assert table_reader._normalise_paragraph("  •\tпервый   пункт ") == ["первый пункт"]
    assert table_reader._normalise_paragraph("✓ а; ✓ б") == ["а;", "б"]
    assert table_reader._normalise_paragraph("- как есть") == ["- как есть"]
    assert table_reader._normalise_paragraph("текст ✓ внутри") == ["текст ✓ внутри"]
    assert table_reader._normalise_text("a\n\n  b\u00a0 c ") == "a\nb c"


# --- .xlsx --------------------------------------------------------------------------------------


def test_xlsx_with_title_row_merged_section_and_three_events(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Дорожная карта"
    sheet["A1"] = "План мероприятий по повышению качества образования на 2024 год"
    sheet.merge_cells("A1:F1")
    sheet.append(["№ п/п", "Мероприятие", "Срок исполнения", "Ответственный исполнитель",
                  "Показатель реализации", "Ожидаемый результат"])  # fmt: skip
    sheet["A3"] = "Организационные мероприятия:"
    sheet.merge_cells("A3:F3")
    sheet.append([1, "Вебинар для муниципальных координаторов", "Март 2024г.", "ТОИПКРО",
                  "Проведен вебинар", "Письмо ТОИПКРО\nСписок участников"])  # fmt: skip
    sheet.append([2, "Экспертиза муниципальных программ", datetime(2024, 4, 15), "ТОИПКРО",
                  "Проведено 17 экспертиз", "Протоколы экспертиз"])  # fmt: skip
    sheet.append([3.0, "Мониторинг школьных программ", "Апрель 2024г.", "МОУО, кураторы",
                  "Проведен мониторинг 68 школьных программ", "Письмо ТОИПКРО"])  # fmt: skip
    path = tmp_path / "roadmap.xlsx"
    workbook.save(path)

    roadmap = read_roadmap(path)
    assert roadmap.title == "План мероприятий по повышению качества образования на 2024 год"
    assert roadmap.columns == ["number", "text", "deadline", "executors", "indicator", "evidence"]
    assert [section.title for section in roadmap.sections] == ["Организационные мероприятия"]
    events = roadmap.events
    assert [event.number for event in events] == ["1", "2", "3"]
    assert [event.row_index for event in events] == [4, 5, 6]
    assert events[0].evidence_text == "Письмо ТОИПКРО\nСписок участников"
    assert events[1].deadline_text == "15.04.2024"
    assert events[2].executors_text == "МОУО, кураторы"
    assert events[2].indicator_text == "Проведен мониторинг 68 школьных программ"


def test_xlsx_header_on_a_later_sheet(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Пояснительная записка"])
    sheet = workbook.create_sheet("План")
    sheet.append(["Мероприятия", "Сроки", "Ответственные"])
    sheet.append(["Собеседование с руководителями школ", "До 16.06.2020", "ОО УООиП"])
    sheet.append(["", "", "РМО"])
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    roadmap = read_roadmap(path)
    assert len(roadmap.events) == 1
    assert roadmap.events[0].executors_text == "ОО УООиП РМО"
    assert roadmap.events[0].number == ""
    assert any("«План»" in warning for warning in roadmap.warnings)


# --- refusals ---------------------------------------------------------------------------------


def _refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(RoadmapFileError) as error:
        read_roadmap(data, **kwargs)
    message = str(error.value)
    assert any("а" <= char.lower() <= "я" for char in message)  # Russian for the user
    return message


@pytest.mark.usefixtures("without_libreoffice")
def test_old_binary_doc_is_refused_without_libreoffice(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(random.Random(1).randbytes(3000)))
    with pytest.raises(RoadmapFileError, match="не установлена программа LibreOffice"):
        read_roadmap(path)
    assert "старом формате Word (.doc)" in _refusal(_ole_file(["WordDocument", "1Table"]))


def test_password_protected_file_is_refused():
    message = _refusal(_ole_file(["EncryptionInfo", "EncryptedPackage"]))
    assert message.startswith("Файл защищён паролем")


def test_random_bytes_empty_file_and_pdf_are_refused():
    assert "не является документом Office" in _refusal(
        random.Random(7).randbytes(4096), filename="карта.bin"
    )
    assert _refusal(b"") == "Файл пустой."
    assert "PDF" in _refusal(b"%PDF-1.7\n...")


def test_damaged_zip_is_refused():
    data = SAMPLE_003.read_bytes() if SAMPLE_003.exists() else _docx_bytes([["a"]])
    assert "повреждён" in _refusal(data[: len(data) // 2])


def test_docx_without_a_roadmap_table_is_refused(tmp_path):
    document = docx.Document()
    document.add_paragraph("Приказ без приложения")
    path = tmp_path / "empty.docx"
    document.save(path)
    with pytest.raises(RoadmapFileError, match="не найдена таблица дорожной карты"):
        read_roadmap(path)

    document.add_table(rows=2, cols=2).cell(0, 0).text = "ФИО"
    document.save(path)
    with pytest.raises(RoadmapFileError, match="ни в одной не найден заголовок"):
        read_roadmap(path)


def test_table_without_events_is_refused():
    message = _refusal(_docx_bytes([["№", "Мероприятие", "Сроки"], ["", "", ""]]))
    assert "нет ни одного мероприятия" in message


def test_zip_bomb_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(table_reader, "unpacked_limit", lambda kind: 1024 * 1024)
    buffer = io.BytesIO()
    text = "".join(random.Random(3).choices("абвг ", k=1_500_000))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", text)
    assert len(buffer.getvalue()) < 1024 * 1024  # small on disk, too big unpacked
    assert "zip-бомб" in _refusal(buffer.getvalue())


def test_absurd_compression_ratio_is_refused():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as member,
    ):
        for _ in range(8):
            member.write(bytes(1024 * 1024))
    assert len(buffer.getvalue()) < 100_000
    assert "zip-бомб" in _refusal(buffer.getvalue())


def test_opendocument_and_unknown_archives_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    assert "OpenDocument" in _refusal(buffer.getvalue())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    assert "не похож на документ Word" in _refusal(buffer.getvalue())


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from([b"", b"PK\x03\x04", b"PK", b"\xd0\xcf\x11\xe0"]))
def test_any_garbage_raises_only_roadmap_file_error(payload, prefix):
    with pytest.raises(RoadmapFileError):
        read_roadmap(prefix + payload)
