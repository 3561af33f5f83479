"""An indicator line of Opora's own export splits back into its text and values."""

import pytest

from opora.roadmaps.readers.preamble import indicator_values


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Доля школ с программами (целевое значение: 100 %; фактическое значение: 85 %)",
            ("Доля школ с программами", "100 %", "85 %"),
        ),
        ("Число семинаров (плановое значение – 12)", ("Число семинаров", "12", "")),
        ("Охват педагогов (фактическое значение: 40 чел.)", ("Охват педагогов", "", "40 чел.")),
        # brackets that carry no values stay part of the text
        ("Доля школ (в %)", ("Доля школ (в %)", "", "")),
        ("Доля школ (значение не задано)", ("Доля школ (значение не задано)", "", "")),
        ("Без скобок", ("Без скобок", "", "")),
    ],
)
def test_indicator_values(line, expected):
    assert indicator_values(line) == expected
