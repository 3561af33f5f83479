"""Properties of the roadmap header matcher and of the period inference (issue 12, «Tests»):
whatever the wording around them, a header names the column of its first known word and a
title gives a period that makes sense or none — never an exception, never a guess."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from opora.core.russian.headers import COLUMN_KEYS, COLUMN_LEMMAS, column_of
from opora.roadmaps.periods import (
    MAX_SPAN_YEARS,
    MAX_YEAR,
    MIN_YEAR,
    PeriodError,
    parse_period,
    read_period,
)

#: Words that name no column (prepositions, adjectives of no meaning here).
FILLER = ["по", "для", "и", "в", "общий", "плановый", "муниципальный", "(", ")", ",", "/"]
#: A header word of each column, as regions write it.
WORDINGS = {
    "text": ["Мероприятие", "Мероприятия", "Направления", "Вид", "Содержание", "Наименование"],
    "deadline": ["Срок", "Сроки", "Дата", "Период", "Когда", "График"],
    "executors": ["Ответственные", "Ответственный", "Исполнители", "Исполнитель", "Кто"],
    "indicator": ["Показатель", "Показатели", "Индикатор"],
    "evidence": ["Результат", "Документ", "Итог", "Продукт"],
}
RUSSIAN = st.text(
    alphabet="абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИКЛМНОПРСТ .,()/-№", max_size=60
)


@settings(max_examples=150, deadline=None)
@given(
    key=st.sampled_from(sorted(WORDINGS)),
    data=st.data(),
    before=st.lists(st.sampled_from(FILLER), max_size=2),
    after=st.lists(st.sampled_from(FILLER), max_size=3),
    upper=st.booleans(),
)
def test_a_header_names_the_column_of_its_first_known_word(key, data, before, after, upper):
    word = data.draw(st.sampled_from(WORDINGS[key]))
    header = " ".join([*before, word, *after])
    assert column_of(header.upper() if upper else header) == key


@settings(max_examples=200, deadline=None)
@given(RUSSIAN)
def test_any_header_gives_a_known_column_or_none(text):
    assert column_of(text) in (*COLUMN_KEYS, None)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(COLUMN_LEMMAS["deadline"])), st.sampled_from(FILLER))
def test_extra_spaces_do_not_change_the_column(word, filler):
    assert column_of(f"  {filler}   {word}  ") == column_of(f"{filler} {word}")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_a_title_gives_a_sensible_period_or_none(text):
    period = parse_period(text)
    if period is not None:
        start, end = period
        assert start <= end
        assert start.year >= MIN_YEAR and end.year <= MAX_YEAR + 1
        assert end.year - start.year <= MAX_SPAN_YEARS + 1


@settings(max_examples=150, deadline=None)
@given(
    year=st.integers(MIN_YEAR, 2099),
    prefix=st.sampled_from(["Дорожная карта на", "План мероприятий", "Комплекс мер, "]),
    suffix=st.sampled_from([" год", " г.", "", " (проект)"]),
)
def test_one_year_in_a_title_is_that_calendar_year(year, prefix, suffix):
    assert parse_period(f"{prefix} {year}{suffix}") == (date(year, 1, 1), date(year, 12, 31))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_a_typed_period_is_read_or_refused_in_russian(text):
    try:
        period = read_period(text)
    except PeriodError as exc:
        assert "Период" in exc.messages[0]
    else:
        assert period is None or period[0] <= period[1]
