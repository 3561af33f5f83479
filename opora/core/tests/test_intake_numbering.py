"""Word's automatic numbering, written into the text as Word shows it («1.», «1.1.», «IV.», «в)»)."""

import types

import docx
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from opora.core.intake.numbering import (
    Numbering,
    format_number,
    is_list_paragraph,
    list_level,
    render_label,
    roman,
)
from opora.core.intake.wordml import W, w

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _from_roman(text: str) -> int:
    values = [ROMAN_VALUES[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@given(st.integers(1, 3999))
def test_roman_numerals_read_back_as_their_number(value):
    numeral = roman(value)
    assert _from_roman(numeral) == value
    assert roman(value) == format_number(value, "upperRoman")
    assert format_number(value, "lowerRoman") == numeral.lower()
    assert "IIII" not in numeral and "VV" not in numeral


def test_roman_numerals_of_sections():
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["I", "IV", "IX", "XIV", "XL", "MCMXCIX"]


@given(st.integers(1, 500))
def test_russian_letters_skip_the_ones_word_skips(value):
    letter = format_number(value, "russianLower")
    assert letter not in "ёйъыь"
    assert format_number(value, "russianUpper") == letter.upper()
    assert format_number(value + 28, "russianLower") == letter


def test_formats_word_uses():
    assert format_number(3, "decimal") == "3"
    assert format_number(3, "russianLower") == "в"
    assert format_number(27, "lowerLetter") == "a"
    assert format_number(2, "upperLetter") == "B"


@given(st.lists(st.integers(1, 30), min_size=1, max_size=9))
def test_a_label_template_takes_the_counter_of_each_level(counters):
    template = "".join(f"%{level + 1}." for level in range(len(counters)))
    count = dict(enumerate(counters))
    levels = {level: (1, "decimal", "") for level in range(len(counters))}
    assert render_label(template, count, levels) == "".join(f"{c}." for c in counters)


def _numbered_body(levels: list[int], start: int) -> tuple[Numbering, list]:
    """Paragraphs «Пункт» at the given list levels of one list «%1.%2.%3.» starting at ``start``."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{"".join(f"%{j + 1}." for j in range(i + 1))}"/></w:lvl>'
        for i in range(3)
    )
    numbering = etree.fromstring(
        f'<w:numbering {NS}><w:abstractNum w:abstractNumId="0">{lvls}</w:abstractNum>'
        '<w:num w:numId="7"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )
    paragraphs = "".join(
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="7"/></w:numPr></w:pPr>'
        "<w:r><w:t>Пункт</w:t></w:r></w:p>"
        for level in levels
    )
    body = etree.fromstring(f"<w:body {NS}>{paragraphs}</w:body>")
    document = types.SimpleNamespace(
        part=types.SimpleNamespace(numbering_part=types.SimpleNamespace(element=numbering)),
        styles=types.SimpleNamespace(element=etree.fromstring(f"<w:styles {NS}/>")),
    )
    result = Numbering(document)
    result.compute(body)
    return result, list(body.iter(w("p")))


@given(st.lists(st.integers(0, 2), min_size=1, max_size=25), st.integers(0, 5))
def test_labels_count_as_word_counts(levels, start):
    """A deeper level restarts when a shallower one moves on; a skipped level shows its start."""
    numbering, paragraphs = _numbered_body(levels, start)
    counters: dict[int, int] = {}
    for level, paragraph in zip(levels, paragraphs, strict=True):
        counters[level] = counters.get(level, start - 1) + 1
        counters = {k: v for k, v in counters.items() if k <= level}
        expected = "".join(f"{counters.get(i, start)}." for i in range(level + 1))
        assert numbering.labels[paragraph] == (expected, True)


def test_a_real_document_numbered_by_its_list_styles():
    document = docx.Document()
    for text, style in [
        ("Провести семинар", "List Number"),
        ("Подготовить отчёт", "List Number"),
        ("Пункт", "List Bullet"),
        ("Подпись", "Normal"),
    ]:
        document.add_paragraph(text, style=style)
    numbering = Numbering(document)
    numbering.compute(document.element.body)
    labels = [numbering.labels.get(p._p) for p in document.paragraphs]
    assert labels == [("1.", True), ("2.", True), ("", True), None]
    assert [is_list_paragraph(p) for p in document.paragraphs] == [True, True, True, False]
    assert [list_level(p) for p in document.paragraphs] == [0, 0, 0, 0]


def test_the_level_of_a_paragraph_numbered_in_place():
    document = docx.Document()
    paragraph = document.add_paragraph("Подготовить отчёт")
    paragraph._p.get_or_add_pPr().append(
        etree.fromstring(f'<w:numPr {NS}><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>')
    )
    assert is_list_paragraph(paragraph) and list_level(paragraph) == 1
    assert W in w("p")
