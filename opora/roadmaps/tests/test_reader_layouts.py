"""Failure kinds found by the corpus of other regions' layouts (opora/testing/roadmap_corpus.py),
each as a rule of its own: abbreviated headers, a secondary column beside the main one, a
section numbered in its own cell with the title merged over the rest, notes under a table."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opora.core.russian.headers import column_of, column_strength
from opora.roadmaps.readers.header import map_header
from opora.roadmaps.table_reader import read_roadmap
from opora.testing.roadmap_corpus import Merge, word, workbook


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Отв. исп.", "executors"),
        ("Ответств.", "executors"),
        ("Наим. мероприятия", "text"),
        ("Наимен. работ", "text"),
        ("Срок исп.", "deadline"),
        ("Соисп.", "executors"),
        ("Показат. результативности", "indicator"),
    ],
)
def test_abbreviated_header_words_are_understood(header, key):
    assert column_of(header) == key


@pytest.mark.parametrize("secondary", ["Участники", "Координаторы"])
def test_a_secondary_column_yields_to_the_main_one(secondary):
    keys, _, valid = map_header(["№", "Мероприятие", "Срок", "Ответственные", secondary])

    assert valid
    assert keys == ["number", "text", "deadline", "executors", None]
    # alone, it is still read as the executors
    assert map_header(["Мероприятие", "Срок", secondary])[0][2] == "executors"


_MAIN_EXECUTORS = ["Ответственные", "Исполнители", "Ответственный исполнитель", "Кто отвечает"]


@given(
    main=st.sampled_from(_MAIN_EXECUTORS),
    secondary=st.sampled_from(["Участники", "Координаторы"]),
    first=st.booleans(),
)
def test_whatever_the_order_the_main_executors_column_wins(main, secondary, first):
    columns = [secondary, main] if first else [main, secondary]
    keys, _, _ = map_header(["Мероприятие", "Сроки", *columns])

    assert keys[2 + columns.index(main)] == "executors"
    assert keys[2 + columns.index(secondary)] is None
    assert column_strength(main)[1] > column_strength(secondary)[1]


def test_a_section_numbered_in_its_own_cell_with_the_title_merged_over_the_rest():
    rows = [
        ["№", "Мероприятие", "Срок", "Ответственные"],
        ["1.", "Кадровое обеспечение", None, None],
        ["1.1.", "Стажировки учителей", "март 2025", "ИМЦ"],
        ["2.", "Контроль", None, None],
        ["2.1.", "Посещение уроков", "апрель 2025", "МОУО"],
    ]
    data = word(["План на 2025 год"], rows, merges=[(1, 1, 1, 3), (3, 1, 3, 3)])

    roadmap = read_roadmap(data, "план.docx")

    # the number stays in the title, as for every numbered section row
    assert [s.title for s in roadmap.sections] == ["1. Кадровое обеспечение", "2. Контроль"]
    assert [e.number for e in roadmap.events] == ["1.1.", "2.1."]


@pytest.mark.parametrize(
    "note", ["* по согласованию", "¹ При наличии финансирования", "Примечание: сроки уточняются"]
)
def test_a_note_under_the_table_is_said_not_taken_for_a_section(note):
    rows = [
        ["План на 2025 год"],
        ["№", "Мероприятие", "Срок", "Ответственные"],
        ["1", "Семинар", "март 2025", "ИМЦ*"],
        Merge(note, bold=False),
    ]

    roadmap = read_roadmap(workbook(rows), "план.xlsx")

    assert [s.title for s in roadmap.sections] == [""]
    assert len(roadmap.events) == 1
    assert [(part.text, part.reason) for part in roadmap.skipped] == [
        (note, "сноска или примечание к таблице, не раздел")
    ]
