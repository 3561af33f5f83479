"""Tests of the interview protocol reader (pure Python, no database).

Run: ``pytest opora/interviews/tests/test_protocol_reader.py -p no:django -q``.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import pytest

from opora.interviews.readers.protocol import (
    ProtocolFileError,
    clean_recommendation,
    read_protocol,
    split_recommendations,
)
from opora.testing import shared_dir

SAMPLE = shared_dir() / "samples" / "000_interview_protocol_2020.docx"

JUNE_2020 = [date(2020, 6, 17), date(2020, 6, 18), date(2020, 6, 19), date(2020, 6, 22)]


# --------------------------------------------------------------------------------------------
# The real sample
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return read_protocol(SAMPLE)


def _block(protocol, name):
    matches = [b for b in protocol.blocks if b.name_as_written == name]
    assert len(matches) == 1, name
    return matches[0]


def test_sample_blocks_dates_and_total(sample):
    assert len(sample.blocks) == 20
    assert [b.number for b in sample.blocks] == [str(i) for i in range(1, 21)]
    assert sample.dates == JUNE_2020
    assert sorted({b.interview_date for b in sample.blocks}) == JUNE_2020
    assert sum(len(b.recommendations) for b in sample.blocks) == 105
    assert sample.recommendation_count == 105


@pytest.mark.parametrize(
    ("name", "count", "day"),
    [
        ("Александровский район", 5, 17),
        ("Асиновский район", 11, 17),
        ("Бакcharский район", 9, 17),  # Latin c, h, a, r inside, as written in the file
        ("г.Кедровый", 5, 17),
        ("г.о. Стрежевой", 3, 18),
        ("ЗАО «Северск»", 3, 18),
        ("Зырянский район", 5, 18),
        ("Каргасокский район", 7, 18),
        ("Кривошеинский район", 4, 19),
        ("Парабельский район", 6, 19),
        ("Тегульдетский район", 4, 22),
        ("г.Томск", 5, 22),
    ],
)
def test_sample_counts_per_municipality(sample, name, count, day):
    block = _block(sample, name)
    assert len(block.recommendations) == count
    assert block.interview_date == date(2020, 6, day)


def test_sample_names_as_written(sample):
    names = [b.name_as_written for b in sample.blocks]
    assert "Бакcharский район" in names
    assert "Бакчарский район" not in names
    assert names[0] == "Александровский район"
    assert names[-1] == "г.Томск"
    assert any("латинские" in w and "Бакcharский" in w for w in sample.warnings)


def test_sample_recommendation_texts(sample):
    first = _block(sample, "Александровский район").recommendations
    # The first cell is one paragraph with «; -» inside, the rest are list items.
    assert first[0].text == (
        "организовывать участие 100 % педагогов в курсах повышения квалификации "
        "по работе с образовательными результатами"
    )
    assert first[1].text.startswith("с учетом небольшого количества детей")
    assert first[2].raw.startswith("- активизировать")
    assert first[2].text == "активизировать работу по наставничеству и методическим службам"

    tomsk = _block(sample, "г.Томск").recommendations
    assert tomsk[1].text == (
        "проводить анализ прохождения курсов повышения квалификации педагогами с учётом "
        "качества (где проходят педагоги курсы и насколько эффективны курсы)"
    )
    for block in sample.blocks:
        for rec in block.recommendations:
            assert rec.text and rec.text == rec.text.strip()
            assert not rec.text.startswith("-")
            assert not rec.text.endswith((";", "."))
            assert "  " not in rec.text


def test_sample_header(sample):
    assert sample.title.startswith("ПРОТОКОЛ проведения индивидуальных собеседований")
    assert sample.place == "г. Томск, ДОО ТО, ул. Ленина, 111"
    assert sample.chairman.startswith("Грабцевич И.Б., начальник Департамента")
    assert sample.secretary == "Сысолятина Н.А., главный специалист ДОО ТО"
    assert len(sample.participants) == 7
    assert sample.participants[2] == "Замятина О.М., ректор ТОИПКРО"
    assert len(sample.agenda) == 3
    assert sample.agenda[0].startswith("О результатах проведенного анализа")


def test_sample_assignments(sample):
    assert [a.number for a in sample.assignments] == ["1", "2", "3"]
    assert {a.addressee for a in sample.assignments} == {"ТОИПКРО"}
    first = sample.assignments[0]
    assert first.text.startswith("Определить сроки педагогических десантов")
    assert len(first.items) == 7
    assert first.items[0] == "инклюзивного образования"
    assert first.items[-1] == "обучения учителей математики, русского языка и литературы"
    assert sample.assignments[1].items == []
    assert "Шегарского района" in sample.assignments[1].text


def test_sample_from_file_object():
    with SAMPLE.open("rb") as handle:
        handle.read(10)  # a validator may have read the start already
        protocol = read_protocol(handle)
    assert len(protocol.blocks) == 20


# --------------------------------------------------------------------------------------------
# split_recommendations / clean_recommendation
# --------------------------------------------------------------------------------------------


def test_split_one_paragraph():
    assert split_recommendations("- a; - b; - c.") == ["a", "b", "c"]
    assert split_recommendations(
        "- организовывать участие 100 % педагогов в КПК; - с учетом небольшого количества "
        "детей рассмотреть возможность траектории, при необходимости пройти обучение; "
    ) == [
        "организовывать участие 100 % педагогов в КПК",
        "с учетом небольшого количества детей рассмотреть возможность траектории, "
        "при необходимости пройти обучение",
    ]


def test_split_list_items():
    text = (
        "- провести анализ ошибок;\n"
        "- сформировать мероприятия по ликвидации пробелов у учащихся;\n"
        "- провести качественный анализ относительно учителей,\n"
        "- Использовать региональные конкурсы."
    )
    assert split_recommendations(text) == [
        "провести анализ ошибок",
        "сформировать мероприятия по ликвидации пробелов у учащихся",
        "провести качественный анализ относительно учителей",
        "Использовать региональные конкурсы",  # the first letter is kept as written
    ]


def test_split_joins_item_cut_by_page_break():
    text = (
        "- рассмотреть вопрос наставничества;\n"
        "- проводить анализ прохождения курсов повышения\n"
        "квалификации педагогами с учётом качества;\n"
        "- использовать конкурсы."
    )
    assert split_recommendations(text) == [
        "рассмотреть вопрос наставничества",
        "проводить анализ прохождения курсов повышения квалификации педагогами с учётом качества",
        "использовать конкурсы",
    ]


def test_split_keeps_inner_hyphens_and_dashes():
    text = "- составить план на 2020-21 уч. год для педагогов-предметников; - работа – с ОВЗ."
    assert split_recommendations(text) == [
        "составить план на 2020-21 уч. год для педагогов-предметников",
        "работа – с ОВЗ",
    ]


def test_split_empty_and_whitespace():
    assert split_recommendations("") == []
    assert split_recommendations("  \n - \n") == []
    assert split_recommendations("–\u00a0организовать   работу;\t") == ["организовать работу"]


def test_clean_recommendation():
    assert clean_recommendation("- организовать работу с кадровым резервом; ") == (
        "организовать работу с кадровым резервом"
    )
    assert clean_recommendation("— Провести\u00a0анализ.") == "Провести анализ"


# --------------------------------------------------------------------------------------------
# Synthetic protocols built in tmp_path
# --------------------------------------------------------------------------------------------


def _add_header(document, dates_line="«17, 18» июня 2020 г."):
    document.add_paragraph("Департамент общего образования Томской области")
    document.add_paragraph("ПРОТОКОЛ")
    document.add_paragraph("проведения индивидуальных собеседований с руководителями")
    document.add_paragraph("г. Томск, ДОО ТО, ул. Ленина, 111")
    document.add_paragraph(dates_line)
    document.add_paragraph("Председатель:")
    document.add_paragraph("Грабцевич И.Б., начальник ДОО ТО.")
    document.add_paragraph("Участники:")
    document.add_paragraph("Вторина Е.В., заместитель начальника ДОО ТО;")
    document.add_paragraph("Замятина О.М., ректор ТОИПКРО.")
    document.add_paragraph("Секретарь: Сысолятина Н.А., главный специалист ДОО ТО.")
    document.add_paragraph("Повестка:")
    document.add_paragraph("1. О результатах анализа.")
    document.add_paragraph("Решение:")


def _new_table(document):
    table = document.add_table(rows=1, cols=3)
    header = table.rows[0].cells
    header[0].text = "п/п"
    header[1].text = "Муниципальное образование"
    header[2].text = "Рекомендации в рамках собеседования"
    return table


def _date_row(table, text):
    cells = table.add_row().cells
    merged = cells[0].merge(cells[2])
    merged.text = text


def _fill(cell, paragraphs, style=None):
    cell.text = paragraphs[0]
    for text in paragraphs[1:]:
        cell.add_paragraph(text, style=style)


def _row(table, number, name, paragraphs, style=None):
    cells = table.add_row().cells
    cells[0].text = number
    cells[1].text = name
    _fill(cells[2], paragraphs, style)
    return cells


def _add_assignments(document):
    document.add_paragraph("**Поручения ТОИПКРО (О.М.Замятина):**")
    document.add_paragraph("1. Определить сроки курсов по вопросам:")
    document.add_paragraph("- инклюзивного образования;")
    document.add_paragraph("- управления качеством образования; - работы с кадровым резервом.")
    document.add_paragraph("2. Взять на «патронаж» школу.")
    document.add_paragraph("Председатель:")
    document.add_paragraph("_____ /Грабцевич И.Б./")


def _build_page_break_protocol(path):
    """Rows continued after a page break, as in the letter of 24.07.2020 № 57-3401."""
    document = docx.Document()
    _add_header(document)
    table = _new_table(document)
    _date_row(table, "17 июня 2020 года")
    _row(
        table,
        "1",
        "Александровский район",
        [
            "- организовывать участие 100 % педагогов в КПК; - с учетом небольшого количества "
            "детей рассмотреть возможность траектории;"
        ],
    )
    # Continuation: empty number and municipality cells.
    _row(
        table,
        "",
        "",
        [
            "- активизировать работу по наставничеству;",
            "- составить план работы методических объединений;",
            "- организовать сотрудничество с ТОИПКРО.",
        ],
        style="List Bullet",
    )
    _row(table, "2", "Бакcharский район", ["- дополнить карту;", "- организовать КПК."])
    _date_row(table, "18 июня 2020 года")
    _row(
        table,
        "3",
        "Зырянский район",
        [
            "- провести качественный анализ;",
            "- использовать региональные конкурсы как механизм повышения профессионального",
        ],
    )
    _row(
        table,
        "",
        "",
        [
            "мастерства;",
            "- организовать обучение педагогов;",
            "- пересмотреть систему мотивирования педагогов.",
        ],
    )
    _row(
        table,
        "4",
        "г.Томск",
        [
            "- рассмотреть вопрос наставничества;",
            "- проводить анализ прохождения курсов повышения",
        ],
    )
    # Continuation where the number and the name cells are merged into one empty cell.
    cells = table.add_row().cells
    cells[0].merge(cells[1])
    _fill(
        cells[2],
        [
            "квалификации педагогами с учётом качества (где проходят курсы);",
            "- использовать региональные конкурсы;",
            "- при необходимости инициировать сотрудничество с ТОИПКРО.",
        ],
    )
    _add_assignments(document)
    document.save(path)
    return path


def test_page_break_rows_are_merged(tmp_path):
    protocol = read_protocol(_build_page_break_protocol(tmp_path / "protocol.docx"))
    assert [(b.number, b.name_as_written) for b in protocol.blocks] == [
        ("1", "Александровский район"),
        ("2", "Бакcharский район"),
        ("3", "Зырянский район"),
        ("4", "г.Томск"),
    ]
    assert [len(b.recommendations) for b in protocol.blocks] == [5, 2, 4, 4]
    assert protocol.dates == [date(2020, 6, 17), date(2020, 6, 18)]
    assert [b.interview_date.day for b in protocol.blocks] == [17, 17, 18, 18]

    zyryansky = protocol.blocks[2].recommendations
    assert zyryansky[1].text == (
        "использовать региональные конкурсы как механизм повышения профессионального мастерства"
    )
    tomsk = protocol.blocks[3].recommendations
    assert tomsk[1].text == (
        "проводить анализ прохождения курсов повышения квалификации педагогами с учётом "
        "качества (где проходят курсы)"
    )
    assert tomsk[1].raw == (
        "- проводить анализ прохождения курсов повышения\n"
        "квалификации педагогами с учётом качества (где проходят курсы);"
    )
    assert protocol.blocks[0].recommendations[2].text == ("активизировать работу по наставничеству")


def test_header_and_assignments_of_built_protocol(tmp_path):
    protocol = read_protocol(_build_page_break_protocol(tmp_path / "protocol.docx"))
    assert protocol.title == "ПРОТОКОЛ проведения индивидуальных собеседований с руководителями"
    assert protocol.place == "г. Томск, ДОО ТО, ул. Ленина, 111"
    assert protocol.chairman == "Грабцевич И.Б., начальник ДОО ТО"
    assert protocol.participants == [
        "Вторина Е.В., заместитель начальника ДОО ТО",
        "Замятина О.М., ректор ТОИПКРО",
    ]
    assert protocol.secretary == "Сысолятина Н.А., главный специалист ДОО ТО"
    assert protocol.agenda == ["О результатах анализа"]
    assert len(protocol.assignments) == 2
    first, second = protocol.assignments
    assert first.addressee == "ТОИПКРО"
    assert first.text == "Определить сроки курсов по вопросам:"
    assert first.items == [
        "инклюзивного образования",
        "управления качеством образования",
        "работы с кадровым резервом",
    ]
    assert second.text == "Взять на «патронаж» школу"
    assert second.items == []


def test_vertically_merged_municipality_cell(tmp_path):
    document = docx.Document()
    _add_header(document, "«17» июня 2020 г.")
    table = _new_table(document)
    _date_row(table, "17 июня 2020 года")
    _row(table, "1", "Асиновский район", ["- добавить раздел;", "- организовать участие"])
    _row(table, "", "", ["педагогов в КПК;", "- вести работу."])
    table.cell(2, 0).merge(table.cell(3, 0))
    table.cell(2, 1).merge(table.cell(3, 1))
    path = tmp_path / "vmerge.docx"
    document.save(path)
    protocol = read_protocol(path)
    assert len(protocol.blocks) == 1
    assert [r.text for r in protocol.blocks[0].recommendations] == [
        "добавить раздел",
        "организовать участие педагогов в КПК",
        "вести работу",
    ]


def test_table_split_in_two_by_page_break(tmp_path):
    document = docx.Document()
    _add_header(document)
    table = _new_table(document)
    _date_row(table, "17 июня 2020 года")
    _row(table, "1", "Александровский район", ["- a;", "- b"])
    document.add_paragraph("")
    second = document.add_table(rows=0, cols=3)
    _row(second, "", "", ["c;", "- d."])
    _date_row(second, "18 июня 2020 года")
    _row(second, "2", "Асиновский район", ["- e."])
    path = tmp_path / "split.docx"
    document.save(path)
    protocol = read_protocol(path)
    assert [len(b.recommendations) for b in protocol.blocks] == [3, 1]
    assert [r.text for r in protocol.blocks[0].recommendations] == ["a", "b c", "d"]
    assert protocol.blocks[1].interview_date == date(2020, 6, 18)


def test_date_mismatch_is_a_warning(tmp_path):
    document = docx.Document()
    _add_header(document, "«17» июня 2020 г.")
    table = _new_table(document)
    _date_row(table, "19 июня 2020 года")
    _row(table, "1", "Александровский район", ["- a."])
    path = tmp_path / "dates.docx"
    document.save(path)
    protocol = read_protocol(path)
    assert protocol.dates == [date(2020, 6, 17), date(2020, 6, 19)]
    assert any("не совпадают" in w for w in protocol.warnings)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"17, 18, 19, 22" июня 2020 г.', JUNE_2020),
        ("«17, 18, 19, 22» июня 2020 г.", JUNE_2020),
        ("г. Томск\t\t«17–19» июня 2020 г.", JUNE_2020[:3]),
        ("22 июня 2020 года", JUNE_2020[3:]),
    ],
)
def test_header_date_forms(tmp_path, line, expected):
    document = docx.Document()
    _add_header(document, line)
    table = _new_table(document)
    for day in expected:
        _date_row(table, f"{day.day} июня 2020 года")
        _row(table, str(day.day), f"Район {day.day}", ["- a."])
    path = tmp_path / "header.docx"
    document.save(path)
    protocol = read_protocol(path)
    assert protocol.dates == expected
    assert not any("не совпадают" in w for w in protocol.warnings)


def test_recommendation_mentioning_header_words_is_not_a_header(tmp_path):
    document = docx.Document()
    _add_header(document, "«17» июня 2020 г.")
    table = _new_table(document)
    _date_row(table, "17 июня 2020 года")
    _row(
        table,
        "1",
        "Томский муниципальный район",
        ["рекомендовать школам провести анализ результатов муниципальных и региональных работ."],
    )
    path = tmp_path / "words.docx"
    document.save(path)
    protocol = read_protocol(path)
    assert [b.name_as_written for b in protocol.blocks] == ["Томский муниципальный район"]
    assert protocol.blocks[0].recommendations[0].text.startswith("рекомендовать школам")


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def _assert_russian(error: ProtocolFileError) -> None:
    message = str(error)
    assert message
    assert any("а" <= ch.lower() <= "я" for ch in message)


def test_plain_text_file(tmp_path):
    path = tmp_path / "protocol.docx"
    path.write_text("Протокол собеседования", encoding="utf-8")
    with pytest.raises(ProtocolFileError, match="не является документом Word") as info:
        read_protocol(path)
    _assert_russian(info.value)


@pytest.mark.usefixtures("without_libreoffice")
def test_old_doc_file(tmp_path):
    path = tmp_path / "protocol.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(ProtocolFileError, match=r"\.doc") as info:
        read_protocol(path)
    assert "старом формате" in str(info.value)


def test_damaged_docx(tmp_path):
    good = _build_page_break_protocol(tmp_path / "good.docx")
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(ProtocolFileError, match="повреждён"):
        read_protocol(damaged)


def test_zip_that_is_not_docx(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "не документ")
    with pytest.raises(ProtocolFileError) as info:
        read_protocol(path)
    _assert_russian(info.value)


def test_broken_document_xml(tmp_path):
    good = _build_page_break_protocol(tmp_path / "good.docx")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    with pytest.raises(ProtocolFileError, match="повреждён"):
        read_protocol(broken)


def test_no_protocol_table(tmp_path):
    document = docx.Document()
    _add_header(document)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Показатель"
    table.cell(0, 1).text = "Значение"
    path = tmp_path / "no_table.docx"
    document.save(path)
    with pytest.raises(ProtocolFileError, match="не найдена таблица протокола"):
        read_protocol(path)


def test_document_without_tables(tmp_path):
    document = docx.Document()
    document.add_paragraph("Просто письмо")
    path = tmp_path / "letter.docx"
    document.save(path)
    with pytest.raises(ProtocolFileError, match="не найдена таблица протокола"):
        read_protocol(path)


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    with pytest.raises(ProtocolFileError, match="пустой"):
        read_protocol(empty)
    with pytest.raises(ProtocolFileError, match="не найден"):
        read_protocol(tmp_path / "missing.docx")
    with pytest.raises(ProtocolFileError, match="Файл PDF повреждён"):
        read_protocol(io.BytesIO(b"%PDF-1.4 ..."))
