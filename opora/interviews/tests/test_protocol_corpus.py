"""Interview protocols of other layouts (opora/testing/protocol_corpus.py): a date column in any
place, a weekday beside a date, two-column tables under a dated heading per municipality, the
decision as paragraphs with the date in the municipality's line."""

import pytest

from opora.core.russian.dates import without_weekdays
from opora.interviews.readers.protocol import read_protocol
from opora.interviews.readers.protocol_text import dated_name
from opora.testing.protocol_corpus import PROTOCOLS


@pytest.mark.parametrize("case", PROTOCOLS, ids=[case.name for case in PROTOCOLS])
def test_protocol_of_another_layout_reads_right(case):
    parsed = read_protocol(case.build())

    assert case.problems(parsed) == []
    assert not parsed.skipped


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("18 июня 2024 г. (вторник)", "18 июня 2024 г."),
        ("03.10.2025 (пт)", "03.10.2025"),
        ("5 мая (ср, чт)", "5 мая"),
        ("Искитимский район", "Искитимский район"),
    ],
)
def test_weekday_brackets_are_dropped(written, plain):
    assert without_weekdays(written) == plain


@pytest.mark.parametrize(
    "heading",
    [
        "Искитимский район (17 июня 2024 г.)",
        "Искитимский район – 17.06.2024",
        "Искитимский район, 17 июня 2024 года:",
    ],
)
def test_a_dated_heading_gives_the_name_and_the_date(heading):
    name, day = dated_name(heading, None)
    assert name == "Искитимский район"
    assert (day.year, day.month, day.day) == (2024, 6, 17)
