"""Tests for the free-text deadline parser, driven by the «Сроки» column of the seed roadmaps."""

import doctest
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.roadmaps import deadlines
from opora.roadmaps.deadlines import (
    DeadlineKind,
    Period,
    Recurrence,
    Schedule,
    parse_deadline,
)

# Roadmap periods of the seed documents. 001 is a letter with fully dated deadlines and no
# roadmap period of its own; 002 is «на 2020 - 2021 год»; 003 is «на 2023 год».
LETTER_001 = None
ROADMAP_002 = (date(2020, 1, 1), date(2021, 12, 31))
ROADMAP_003 = (date(2023, 1, 1), date(2023, 12, 31))
SCHOOL_YEAR = (date(2023, 9, 1), date(2024, 8, 31))

D = date
DATE = DeadlineKind.DATE
PERIOD = DeadlineKind.PERIOD
RECURRING = DeadlineKind.RECURRING
CONTINUOUS = DeadlineKind.CONTINUOUS
BY_SCHEDULE = DeadlineKind.BY_SCHEDULE


def month(year: int, number: int) -> tuple[date, date]:
    ends = {2: 29 if year % 4 == 0 else 28, 4: 30, 6: 30, 9: 30, 11: 30}
    return D(year, number, 1), D(year, number, ends.get(number, 31))


def months(year: int, first: int, last: int) -> tuple[date, date]:
    return month(year, first)[0], month(year, last)[1]


# (text, roadmap period, kind, periods, recurrence) — every deadline of seeds 001–003, verbatim.
SEED_DEADLINES = [
    # 001: letter of the regional department, deadlines in parentheses.
    ("май - июнь 2020", LETTER_001, PERIOD, [months(2020, 5, 6)], None),
    ("до 16.06.2020", LETTER_001, DATE, [(D(2020, 6, 16), D(2020, 6, 16))], None),
    ("17.06.2020 - 23.06.2020", LETTER_001, PERIOD, [(D(2020, 6, 17), D(2020, 6, 23))], None),
    ("август 2020", LETTER_001, PERIOD, [month(2020, 8)], None),
    ("до 20 августа 2020", LETTER_001, DATE, [(D(2020, 8, 20), D(2020, 8, 20))], None),
    ("май - август 2020", LETTER_001, PERIOD, [months(2020, 5, 8)], None),
    ("июнь - декабрь 2020", LETTER_001, PERIOD, [months(2020, 6, 12)], None),
    ("июнь - август 2020", LETTER_001, PERIOD, [months(2020, 6, 8)], None),
    ("до 10 октября 2020", LETTER_001, DATE, [(D(2020, 10, 10), D(2020, 10, 10))], None),
    ("сентябрь 2020 – апрель 2021", LETTER_001, PERIOD, [(D(2020, 9, 1), D(2021, 4, 30))], None),
    ("май-июнь 2021", LETTER_001, PERIOD, [months(2021, 5, 6)], None),
    ("2020/21 уч. год", LETTER_001, PERIOD, [(D(2020, 9, 1), D(2021, 8, 31))], None),
    ("2021-2024г.г.", LETTER_001, PERIOD, [(D(2021, 1, 1), D(2024, 12, 31))], None),
    # 002: Каргасокский район, roadmap for 2020–2021.
    ("июнь 2020", ROADMAP_002, PERIOD, [month(2020, 6)], None),
    ("август 2020", ROADMAP_002, PERIOD, [month(2020, 8)], None),
    ("Июнь - август 2020", ROADMAP_002, PERIOD, [months(2020, 6, 8)], None),
    (
        "Май-июнь 2021 Май-июнь 2022 Май-июнь 2023",
        ROADMAP_002,
        PERIOD,
        [months(2021, 5, 6), months(2022, 5, 6), months(2023, 5, 6)],
        None,
    ),
    ("До 16.06.2020", ROADMAP_002, DATE, [(D(2020, 1, 1), D(2020, 6, 16))], None),
    ("Июнь-август 2020", ROADMAP_002, PERIOD, [months(2020, 6, 8)], None),
    ("Август 2020", ROADMAP_002, PERIOD, [month(2020, 8)], None),
    ("До 20 сентября 2020", ROADMAP_002, DATE, [(D(2020, 1, 1), D(2020, 9, 20))], None),
    ("По отдельному графику", ROADMAP_002, BY_SCHEDULE, [], None),
    ("Сентябрь 2020 - апрель 2021", ROADMAP_002, PERIOD, [(D(2020, 9, 1), D(2021, 4, 30))], None),
    ("ежемесячно", ROADMAP_002, RECURRING, [ROADMAP_002], Recurrence.MONTHLY),
    (
        "июнь- август 2020, далее - ежегодное обновление",
        ROADMAP_002,
        RECURRING,
        [months(2020, 6, 8), (D(2021, 1, 1), D(2021, 12, 31))],
        Recurrence.YEARLY,
    ),
    ("октябрь 2020 - апрель 2021", ROADMAP_002, PERIOD, [(D(2020, 10, 1), D(2021, 4, 30))], None),
    ("ежеквартально", ROADMAP_002, RECURRING, [ROADMAP_002], Recurrence.QUARTERLY),
    ("До 10 октября 2020", ROADMAP_002, DATE, [(D(2020, 1, 1), D(2020, 10, 10))], None),
    ("До мая 2021", ROADMAP_002, DATE, [(D(2020, 1, 1), D(2021, 4, 30))], None),
    ("2020-2021", ROADMAP_002, PERIOD, [(D(2020, 1, 1), D(2021, 12, 31))], None),
    # 003: regional roadmap for 2023.
    ("Январь-март 2023г.", ROADMAP_003, PERIOD, [months(2023, 1, 3)], None),
    ("Март 2023г.", ROADMAP_003, PERIOD, [month(2023, 3)], None),
    ("Март-апрель 2023г.", ROADMAP_003, PERIOD, [months(2023, 3, 4)], None),
    ("Апрель 2023г.", ROADMAP_003, PERIOD, [month(2023, 4)], None),
    ("Март-май 2023г.", ROADMAP_003, PERIOD, [months(2023, 3, 5)], None),
    ("Ежемесячно", ROADMAP_003, RECURRING, [ROADMAP_003], Recurrence.MONTHLY),
    ("В течение года", ROADMAP_003, CONTINUOUS, [ROADMAP_003], None),
    ("Май 2023г.", ROADMAP_003, PERIOD, [month(2023, 5)], None),
    ("Июнь 2023г.", ROADMAP_003, PERIOD, [month(2023, 6)], None),
    (
        "20–21 апреля 2023г., октябрь 2023г.",
        ROADMAP_003,
        PERIOD,
        [(D(2023, 4, 20), D(2023, 4, 21)), month(2023, 10)],
        None,
    ),
    ("Октябрь-ноябрь 2023г.", ROADMAP_003, PERIOD, [months(2023, 10, 11)], None),
    ("Май 2023", ROADMAP_003, PERIOD, [month(2023, 5)], None),
    ("Декабрь 2023г.", ROADMAP_003, PERIOD, [month(2023, 12)], None),
    ("Август - октябрь 2023г.", ROADMAP_003, PERIOD, [months(2023, 8, 10)], None),
]

# Forms that are not in the seeds but are common in other roadmaps.
OTHER_DEADLINES = [
    ("16.06.2020", None, DATE, [(D(2020, 6, 16), D(2020, 6, 16))], None),
    ("16.06.20", None, DATE, [(D(2020, 6, 16), D(2020, 6, 16))], None),
    ("июнь 2020 года", None, PERIOD, [month(2020, 6)], None),
    ("1 полугодие 2021", None, PERIOD, [months(2021, 1, 6)], None),
    ("II полугодие 2023", None, PERIOD, [months(2023, 7, 12)], None),
    ("первое полугодие 2021 г.", None, PERIOD, [months(2021, 1, 6)], None),
    ("до конца 2023 года", None, DATE, [(D(2023, 12, 31), D(2023, 12, 31))], None),
    ("до конца мая 2021", None, DATE, [(D(2021, 5, 31), D(2021, 5, 31))], None),
    ("не позднее 10 октября 2020 г.", None, DATE, [(D(2020, 10, 10), D(2020, 10, 10))], None),
    ("I квартал 2024", None, PERIOD, [months(2024, 1, 3)], None),
    ("1 квартал 2024", None, PERIOD, [months(2024, 1, 3)], None),
    ("1-й квартал 2024 г.", None, PERIOD, [months(2024, 1, 3)], None),
    ("в III квартале 2023 года", None, PERIOD, [months(2023, 7, 9)], None),
    ("4 кв. 2023", None, PERIOD, [months(2023, 10, 12)], None),
    ("I-II квартал 2024", None, PERIOD, [months(2024, 1, 6)], None),
    ("IV квартал", ROADMAP_003, PERIOD, [months(2023, 10, 12)], None),
    ("с 01.09.2023 по 31.05.2024", None, PERIOD, [(D(2023, 9, 1), D(2024, 5, 31))], None),
    ("с 1 по 15 мая 2023", None, PERIOD, [(D(2023, 5, 1), D(2023, 5, 15))], None),
    ("с января по март 2023 г.", None, PERIOD, [months(2023, 1, 3)], None),
    ("2023-04-20", None, DATE, [(D(2023, 4, 20), D(2023, 4, 20))], None),
    ("в течение 2023 года", None, PERIOD, [(D(2023, 1, 1), D(2023, 12, 31))], None),
    ("2020 год", None, PERIOD, [(D(2020, 1, 1), D(2020, 12, 31))], None),
    ("в течение 2023-2024 учебного года", None, PERIOD, [SCHOOL_YEAR], None),
    ("2023-2024 уч. год", None, PERIOD, [SCHOOL_YEAR], None),
    ("2023/2024 учебный год", None, PERIOD, [SCHOOL_YEAR], None),
    ("март, май 2023", None, PERIOD, [month(2023, 3), month(2023, 5)], None),
    ("постоянно", ROADMAP_003, CONTINUOUS, [ROADMAP_003], None),
    ("Постоянно", None, CONTINUOUS, [], None),
    ("в течение учебного года", SCHOOL_YEAR, CONTINUOUS, [SCHOOL_YEAR], None),
    ("по графику", None, BY_SCHEDULE, [], None),
    ("согласно графику ТОИПКРО", None, BY_SCHEDULE, [], None),
    ("по мере необходимости", None, BY_SCHEDULE, [], None),
    ("ежемесячно", None, RECURRING, [], Recurrence.MONTHLY),
    ("ежегодно", ROADMAP_003, RECURRING, [ROADMAP_003], Recurrence.YEARLY),
    ("1 раз в квартал", ROADMAP_003, RECURRING, [ROADMAP_003], Recurrence.QUARTERLY),
    ("ежемесячно до 5 числа", ROADMAP_003, RECURRING, [ROADMAP_003], Recurrence.MONTHLY),
    (
        "ежеквартально в течение 2024 года",
        ROADMAP_003,
        RECURRING,
        [(D(2024, 1, 1), D(2024, 12, 31))],
        Recurrence.QUARTERLY,
    ),
    (
        "июнь- август 2020, далее - ежегодное обновление",
        None,
        RECURRING,
        [months(2020, 6, 8)],
        Recurrence.YEARLY,
    ),
    # Spelling noise: dashes of all kinds, spaces, case, «г»/«г.»/«года».
    ("Май—июнь 2021", None, PERIOD, [months(2021, 5, 6)], None),
    ("Май  –  июнь   2021 г", None, PERIOD, [months(2021, 5, 6)], None),
    ("МАЙ‑ИЮНЬ 2021 ГОДА", None, PERIOD, [months(2021, 5, 6)], None),
    ("  май -июнь\u00a02021г.  ", None, PERIOD, [months(2021, 5, 6)], None),
]


def _as_periods(pairs: list[tuple[date, date]]) -> tuple[Period, ...]:
    return tuple(Period(start, end) for start, end in pairs)


@pytest.mark.parametrize(
    ("text", "period", "kind", "periods", "recurrence"),
    SEED_DEADLINES + OTHER_DEADLINES,
    ids=[case[0] for case in SEED_DEADLINES + OTHER_DEADLINES],
)
def test_known_deadlines(text, period, kind, periods, recurrence):
    schedule = parse_deadline(text, period)
    assert schedule.understood, schedule.note
    assert schedule.kind == kind
    assert schedule.periods == _as_periods(periods)
    assert schedule.recurrence == recurrence
    assert schedule.text == text
    assert schedule.note == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("октябрь", months(2023, 10, 10)),
        ("март", months(2024, 3, 3)),
        ("Август - октябрь", months(2023, 8, 10)),  # August 2024 would leave October outside
        ("Декабрь - январь", (D(2023, 12, 1), D(2024, 1, 31))),
        ("IV квартал", months(2023, 10, 12)),
        ("I квартал", months(2024, 1, 3)),
        ("20–21 апреля", (D(2024, 4, 20), D(2024, 4, 21))),
        ("с 01.09 по 31.05", (D(2023, 9, 1), D(2024, 5, 31))),
        ("с сентября", SCHOOL_YEAR),
    ],
)
def test_missing_year_is_chosen_inside_school_year_roadmap(text, expected):
    assert parse_deadline(text, SCHOOL_YEAR).periods == (Period(*expected),)


def test_missing_year_in_by_deadline():
    schedule = parse_deadline("до 20 мая", SCHOOL_YEAR)
    assert schedule.kind == DATE
    assert schedule.due == D(2024, 5, 20)
    assert schedule.periods == (Period(SCHOOL_YEAR[0], D(2024, 5, 20)),)


def test_end_of_year_relative_to_roadmap():
    assert parse_deadline("до конца года", SCHOOL_YEAR).due == D(2023, 12, 31)
    assert parse_deadline("до конца учебного года", SCHOOL_YEAR).due == D(2024, 8, 31)


def test_by_deadline_before_roadmap_start_is_a_single_day():
    schedule = parse_deadline("до 16.06.2020", ROADMAP_003)
    assert schedule.periods == (Period(D(2020, 6, 16), D(2020, 6, 16)),)


def test_reversed_roadmap_period_is_tolerated():
    schedule = parse_deadline("ежемесячно", (ROADMAP_003[1], ROADMAP_003[0]))
    assert schedule.periods == (Period(*ROADMAP_003),)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "срок не указан"),
        ("   ", "срок не указан"),
        ("когда-нибудь", "«когда-нибудь»"),
        ("май", "не указан год"),
        ("IV квартал", "не указан год"),
        ("2021-2020", "раньше"),
        ("31.02.2021", "такой даты нет"),
        ("V квартал 2023", "«V квартал 2023»"),
        ("5 квартал 2023", "нет такого квартала"),
        ("2 раза в год", "«2 раза в год»"),
        ("ежемесячно, ежегодно", "несколько разных периодичностей"),
        ("г.", "«г.»"),
        ("2023 учебный год", "двумя годами"),
        ("май 2023 и что-то ещё", "«май 2023 и что-то ещё»"),
    ],
)
def test_not_understood(text, reason):
    schedule = parse_deadline(text)
    assert schedule.kind == DeadlineKind.UNKNOWN
    assert not schedule.understood
    assert schedule.periods == ()
    assert schedule.recurrence is None
    assert schedule.due is None
    assert schedule.text == text
    assert schedule.note.startswith("Не удалось распознать срок: ")
    assert reason in schedule.note


def test_due_is_end_of_last_period():
    schedule = parse_deadline("Май-июнь 2021 Май-июнь 2022 Май-июнь 2023")
    assert schedule.due == D(2023, 6, 30)
    assert parse_deadline("По отдельному графику").due is None


def test_to_dict():
    schedule = parse_deadline("20–21 апреля 2023г., октябрь 2023г.")
    data = schedule.to_dict()
    assert data == {
        "text": "20–21 апреля 2023г., октябрь 2023г.",
        "kind": "period",
        "periods": [
            {"start": "2023-04-20", "end": "2023-04-21"},
            {"start": "2023-10-01", "end": "2023-10-31"},
        ],
        "recurrence": None,
        "understood": True,
    }
    assert json.loads(json.dumps(data)) == data
    assert parse_deadline("ежеквартально", ROADMAP_003).to_dict()["recurrence"] == "quarterly"


def test_occurrences_of_monthly_deadline():
    occurrences = parse_deadline("Ежемесячно", ROADMAP_003).occurrences()
    assert occurrences == [Period(*month(2023, number)) for number in range(1, 13)]


def test_occurrences_of_quarterly_deadline_are_clipped_to_roadmap():
    occurrences = parse_deadline("ежеквартально", SCHOOL_YEAR).occurrences()
    assert occurrences == [
        Period(D(2023, 9, 1), D(2023, 9, 30)),
        Period(*months(2023, 10, 12)),
        Period(*months(2024, 1, 3)),
        Period(*months(2024, 4, 6)),
        Period(*months(2024, 7, 8)),
    ]


def test_occurrences_of_yearly_update_after_first_period():
    schedule = parse_deadline("июнь- август 2020, далее - ежегодное обновление", ROADMAP_002)
    assert schedule.occurrences() == [
        Period(*months(2020, 6, 8)),
        Period(D(2021, 1, 1), D(2021, 12, 31)),
    ]


def test_occurrences_of_non_recurring_deadline_are_its_periods():
    schedule = parse_deadline("Май-июнь 2021 Май-июнь 2022")
    assert schedule.occurrences() == list(schedule.periods)
    assert parse_deadline("ежемесячно").occurrences() == []


def test_period_rejects_inverted_range():
    with pytest.raises(ValueError):
        Period(D(2021, 1, 2), D(2021, 1, 1))


def test_docstring_examples():
    result = doctest.testmod(deadlines, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# --- Properties ----------------------------------------------------------------------------

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MONTH_WORDS = [
    "январь",
    "Января",
    "февраль",
    "марта",
    "Апрель",
    "мая",
    "Май",
    "июнь",
    "июля",
    "август",
    "сентября",
    "Октябрь",
    "ноябрь",
    "декабря",
    "фев",
]
VOCABULARY = st.one_of(
    st.sampled_from(MONTH_WORDS),
    st.integers(1890, 2110).map(str),
    st.integers(0, 40).map(str),
    st.tuples(st.integers(0, 35), st.integers(0, 14), st.integers(1890, 2110)).map(
        lambda parts: "{:02d}.{:02d}.{}".format(*parts)
    ),
    st.tuples(st.integers(0, 35), st.integers(0, 14)).map(lambda parts: "{}.{}".format(*parts)),
    st.sampled_from(["-", "–", "—", ",", ";", "/", "и", "г.", "г", "года", "гг.", "год"]),
    st.sampled_from(["до", "До", "с", "по", "к", "до конца", "не позднее", "в течение", "далее"]),
    st.sampled_from(["квартал", "полугодие", "I", "II", "III", "IV", "V", "уч.", "учебного"]),
    st.sampled_from(["ежемесячно", "Ежеквартально", "ежегодное обновление", "постоянно"]),
    st.sampled_from(["По отдельному графику", "В течение года", "числа", "раз в месяц"]),
)
VOCABULARY_TEXT = st.lists(VOCABULARY, max_size=8).flatmap(
    lambda words: st.lists(
        st.sampled_from([" ", "", "  ", "\u00a0"]), min_size=len(words), max_size=len(words)
    ).map(lambda spaces: "".join(w + s for w, s in zip(words, spaces, strict=True)))
)
ROADMAPS = st.one_of(
    st.none(),
    st.tuples(
        st.dates(D(1990, 1, 1), D(2040, 12, 31)),
        st.dates(D(1990, 1, 1), D(2040, 12, 31)),
    ),
)


def _check_invariants(schedule: Schedule, text: str) -> None:
    assert isinstance(schedule, Schedule)
    assert schedule.text == text
    for period in schedule.periods:
        assert period.start <= period.end
    for period in schedule.occurrences():
        assert period.start <= period.end
    if schedule.understood:
        assert schedule.kind != DeadlineKind.UNKNOWN
        assert schedule.note == ""
    else:
        assert schedule.kind == DeadlineKind.UNKNOWN
        assert schedule.periods == ()
        assert schedule.note.startswith("Не удалось распознать срок")
    if schedule.kind == DeadlineKind.RECURRING:
        assert schedule.recurrence is not None
    data = schedule.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


@FAST
@given(text=st.text(), period=ROADMAPS)
def test_arbitrary_text_never_raises(text, period):
    _check_invariants(parse_deadline(text, period), text)


@FAST
@given(text=VOCABULARY_TEXT, period=ROADMAPS)
def test_vocabulary_combinations_never_raise(text, period):
    _check_invariants(parse_deadline(text, period), text)


NOMINATIVE = ["январь", "февраль", "март", "апрель", "май", "июнь"]
NOMINATIVE += ["июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]


@FAST
@given(
    first=st.sampled_from(range(1, 13)),
    last=st.sampled_from(range(1, 13)),
    year=st.integers(2000, 2040),
    dash=st.sampled_from(["-", " - ", "–", " — ", "- "]),
)
def test_month_ranges_inside_one_year(first, last, year, dash):
    text = f"{NOMINATIVE[first - 1]}{dash}{NOMINATIVE[last - 1]} {year}г."
    schedule = parse_deadline(text)
    assert schedule.understood
    start_year = year if first <= last else year - 1
    assert schedule.periods == (Period(month(start_year, first)[0], month(year, last)[1]),)
