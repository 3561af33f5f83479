from datetime import date

import pytest

from opora.core.formatting import count, long_date, numbers_list, percent, plural, short_date


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "школа"),
        (2, "школы"),
        (5, "школ"),
        (11, "школ"),
        (12, "школ"),
        (21, "школа"),
        (22, "школы"),
        (68, "школ"),
        (101, "школа"),
        (111, "школ"),
        (0, "школ"),
    ],
)
def test_plural_forms(n, expected):
    assert plural(n, "школа", "школы", "школ") == expected


def test_count_and_dates():
    assert count(17, "муниципалитет", "муниципалитета", "муниципалитетов") == "17 муниципалитетов"
    assert short_date(date(2023, 3, 13)) == "13.03.2023"
    assert long_date(date(2020, 6, 17)) == "«17» июня 2020 г."


def test_numbers_list_is_sorted_and_unique_like_seed_004():
    assert numbers_list([66, "44", 5, 41, 11, 38, 28, 5]) == "5, 11, 28, 38, 41, 44, 66"


def test_percent_uses_decimal_comma():
    assert percent(0.125, 1) == "12,5 %"
    assert percent(None) == "—"
