"""An event's number as it reads in a line: seed 002 numbers «15», seed 003 «11.»."""

import pytest

from opora.roadmaps.models import RoadmapEvent


@pytest.mark.parametrize(
    ("number", "inline"),
    [
        ("15", "15."),
        ("11.", "11."),
        ("2.1", "2.1."),
        ("3)", "3)"),
        ("", ""),
        (" 7 ", "7."),
        ("1а", "1а."),
    ],
)
def test_a_number_reads_the_same_before_the_text_whatever_the_file_wrote(number, inline):
    event = RoadmapEvent(number=number, text="Проведение совещания")
    assert event.inline_number == inline
    assert event.heading == f"{inline} Проведение совещания".strip()
    assert str(event) == event.heading
