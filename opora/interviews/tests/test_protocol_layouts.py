"""Interview protocols laid out other ways (issue 12): a date column, two-column tables, and the
decision as numbered paragraphs without a table. The files are made here with python-docx, in
wordings of our own; what is not understood is listed row by row, nothing is dropped silently.
"""

from __future__ import annotations

from datetime import date

from opora.interviews.readers.protocol import read_protocol
from opora.testing.protocol_files import HEAD
from opora.testing.protocol_files import protocol_docx as _docx


def _names(protocol):
    return [block.name_as_written for block in protocol.blocks]


# --- (a) a date column ----------------------------------------------------------------------


def test_a_date_column_dates_each_row():
    data = _docx(
        HEAD,
        [
            (
                ["РЕШИЛИ:"],
                [
                    ["№", "Дата собеседования", "Муниципалитет", "Решение"],
                    [
                        "1",
                        "09.03.2023",
                        "Кедровский городской округ",
                        "- обновить план; - доложить.",
                    ],
                    [
                        "2",
                        "10 марта 2023",
                        "Томский район",
                        "Разработать программу наставничества.",
                    ],
                    ["3", "", "Шегарский район", "- провести педсовет;"],
                ],
            )
        ],
    )
    protocol = read_protocol(data)
    assert _names(protocol) == ["Кедровский городской округ", "Томский район", "Шегарский район"]
    dates = [block.interview_date for block in protocol.blocks]
    # an empty date cell keeps the date of the row above (a merged column reads so too)
    assert dates == [date(2023, 3, 9), date(2023, 3, 10), date(2023, 3, 10)]
    assert [r.text for r in protocol.blocks[0].recommendations] == ["обновить план", "доложить"]
    assert protocol.dates == [date(2023, 3, 9), date(2023, 3, 10)]
    assert protocol.skipped == []


def test_a_date_not_understood_is_reported_with_its_row():
    data = _docx(
        HEAD,
        [
            (
                [],
                [
                    ["п/п", "Дата", "Муниципальное образование", "Рекомендации"],
                    ["1", "в течение весны", "Томский район", "Провести семинар."],
                    ["2", "11.03.2023", "Шегарский район", "Обновить сайт."],
                ],
            )
        ],
    )
    protocol = read_protocol(data)
    assert _names(protocol) == ["Шегарский район"]
    [skipped] = protocol.skipped
    assert skipped.where == "таблица 1, строка 2"
    assert "в течение весны" in skipped.reason


# --- (b) two-column tables ------------------------------------------------------------------


def test_a_recommendation_and_deadline_table_under_a_municipality_heading():
    data = _docx(
        HEAD,
        [
            (
                ["Зырянский район:"],
                [
                    ["Рекомендация", "Срок"],
                    ["Организовать курсы для учителей физики", "до 1 мая 2023"],
                    ["Проверить расписание внеурочной деятельности", "апрель"],
                ],
            ),
            (
                ["Первомайский район"],
                [
                    ["Рекомендация", "Срок исполнения"],
                    ["Назначить куратора школы", "март 2023"],
                ],
            ),
        ],
    )
    protocol = read_protocol(data)
    assert _names(protocol) == ["Зырянский район", "Первомайский район"]
    first = protocol.blocks[0].recommendations
    assert [r.text for r in first] == [
        "Организовать курсы для учителей физики",
        "Проверить расписание внеурочной деятельности",
    ]
    assert [r.deadline_text for r in first] == ["до 1 мая 2023", "апрель"]
    assert protocol.blocks[1].interview_date == date(2023, 3, 9)  # the date of the head
    assert protocol.agenda == ["Об итогах мониторинга"]  # the heading is not the agenda's


def test_a_number_and_text_table_with_municipality_rows_across_it():
    data = _docx(
        HEAD,
        [
            (
                [],
                [
                    ["№", "Текст"],
                    "Верхнекетский район",
                    ["1", "Составить график открытых уроков."],
                    ["2", "Привлечь методистов к анализу ВПР."],
                    "Тегульдетский район",
                    ["1", "Пересмотреть программу развития."],
                    ["2", ""],
                ],
            )
        ],
    )
    protocol = read_protocol(data)
    assert _names(protocol) == ["Верхнекетский район", "Тегульдетский район"]
    assert [len(b.recommendations) for b in protocol.blocks] == [2, 1]
    [skipped] = protocol.skipped
    assert skipped.where == "таблица 1, строка 7" and "нет текста" in skipped.reason


def test_a_two_column_table_without_a_municipality_is_left_for_the_user_to_choose():
    data = _docx(
        HEAD,
        [([], [["№ п/п", "Рекомендации"], ["1", "Усилить контроль за посещаемостью."]])],
    )
    protocol = read_protocol(data)
    assert _names(protocol) == [""]
    assert protocol.recommendation_count == 1


# --- (c) paragraphs without a table ----------------------------------------------------------


def test_numbered_paragraphs_under_municipality_subheadings():
    data = _docx(
        [
            *HEAD,
            "Рекомендации:",
            "Колпашевский район:",
            "1. Подготовить план методической поддержки.",
            "2) Провести диагностику профессиональных дефицитов",
            "учителей начальных классов;",
            "г. Стрежевой:",
            "1. Организовать стажировку на базе лучшей школы.",
            "Поручения ТОИПКРО:",
            "1. Подготовить курсы по читательской грамотности.",
            "Председатель ____________ А.А. Петрова",
        ]
    )
    protocol = read_protocol(data)
    assert _names(protocol) == ["Колпашевский район", "г. Стрежевой"]
    assert [r.text for r in protocol.blocks[0].recommendations] == [
        "Подготовить план методической поддержки",
        "Провести диагностику профессиональных дефицитов учителей начальных классов",
    ]
    assert [a.addressee for a in protocol.assignments] == ["ТОИПКРО"]
    assert all(b.interview_date == date(2023, 3, 9) for b in protocol.blocks)


def test_decision_paragraphs_with_dates_and_without_municipalities():
    data = _docx(
        [
            *HEAD,
            "РЕШИЛИ:",
            "10 марта 2023 года",
            "1. Разместить отчёт на сайте школы.",
            "2. Провести родительское собрание.",
        ]
    )
    protocol = read_protocol(data)
    assert _names(protocol) == [""]
    assert protocol.blocks[0].interview_date == date(2023, 3, 10)
    assert protocol.recommendation_count == 2
    assert any("без муниципалитета" in w for w in protocol.warnings)


def test_a_subheading_that_is_not_a_territory_is_a_recommendation():
    data = _docx(
        [
            *HEAD,
            "Решение:",
            "Асиновский район:",
            "1. Провести семинары по темам:",
            "- формирующее оценивание;",
        ]
    )
    protocol = read_protocol(data)
    assert _names(protocol) == ["Асиновский район"]
    assert protocol.recommendation_count == 2


# --- the preview ----------------------------------------------------------------------------


def test_the_preview_lists_what_was_not_understood_row_by_row(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = _docx(
        HEAD,
        [
            (
                ["Молчановский район:"],
                [
                    ["Рекомендация", "Срок"],
                    ["Составить план повышения квалификации", "до 1 июня"],
                    ["", "май"],
                ],
            )
        ],
    )
    client.force_login(world.users.region)
    response = client.post(
        reverse("interviews:protocol_import"), {"file": SimpleUploadedFile("п.docx", data)}
    )
    html = response.content.decode()
    assert 'data-testid="not-understood-row"' in html
    assert "Таблица 1, строка 3" in html and "Нет текста рекомендации" in html
    assert "срок: до 1 июня" in html
