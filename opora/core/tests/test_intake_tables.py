"""Tables users upload (CSV in UTF-8 or Windows-1251, .xlsx), read as rows keyed by the header."""

import csv
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from opora.core.intake.encodings import (
    decode_head,
    decode_text,
    looks_russian,
    strip_invisible,
)
from opora.core.intake.files import UploadError
from opora.core.intake.tables import (
    csv_delimiter,
    normalise_header,
    read_table,
    read_table_rows,
)

RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
# What officials type into cells: Russian and Latin letters, digits, quotes, the separators
# themselves, line breaks inside a cell, and the soft hyphen Word leaves behind.
CELL_CHARS = RUSSIAN + "abcXYZ0123456789 «»\"'№.,;:-()/\n\u00ad"
HEADER_CHARS = RUSSIAN + "abc0123456789 №"

cells = st.text(alphabet=CELL_CHARS, max_size=20)
headers = st.lists(
    st.text(alphabet=HEADER_CHARS, min_size=1, max_size=15).filter(normalise_header),
    min_size=1,
    max_size=5,
    unique_by=normalise_header,
)


def _csv(rows: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _expected(header: list[str], rows: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    keys = [normalise_header(h) for h in header]
    return [
        (line, {k: strip_invisible(v).strip() for k, v in zip(keys, row, strict=True)})
        for line, row in enumerate(rows, start=2)
        if any(v.strip() for v in row)
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=headers,
    data=st.data(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
)
def test_a_csv_reads_back_as_written_in_every_office_encoding(header, data, encoding):
    rows = data.draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header))))
    if encoding == "cp1251":
        assume(not _valid_utf8(_csv([header, *rows], encoding)))
    table = read_table(_csv([header, *rows], encoding))
    assert table.headers == [normalise_header(h) for h in header]
    assert table.rows == _expected(header, rows)


@settings(max_examples=60, deadline=None)
@given(header=headers, data=st.data())
def test_an_xlsx_reads_as_the_same_csv_would(header, data):
    values = st.text(alphabet=CELL_CHARS.replace("\n", ""), max_size=20)
    rows = data.draw(st.lists(st.lists(values, min_size=len(header), max_size=len(header))))
    book = openpyxl.Workbook()
    for row in [header, *rows]:
        book.active.append([v or None for v in row])
    out = io.BytesIO()
    book.save(out)
    assert read_table(out.getvalue()).rows == read_table(_csv([header, *rows], "utf-8")).rows


@given(st.text(alphabet=HEADER_CHARS + "\n\t\u200bЁё", max_size=30))
def test_a_header_is_normalised_once_and_for_all(text):
    """Found by this test: «ОБЪЁМ» kept its «ё» (replaced before lowering) and missed «объем»."""
    once = normalise_header(text)
    assert normalise_header(once) == once
    assert "ё" not in once and once == once.lower().strip()


@given(st.text(alphabet=RUSSIAN + " ,.;0123456789", max_size=200))
def test_russian_text_decodes_from_each_encoding_offices_save(text):
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(text.encode("utf-8-sig")) == text
    data = text.encode("cp1251")
    # «ВЁ» in cp1251 is C2 A8, which is also UTF-8 for «¨»: UTF-8 is tried first, and only
    # text that is not valid UTF-8 can be known for cp1251 (any real line of Russian is not).
    if not _valid_utf8(data):
        assert decode_text(data) == text


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@given(st.text(alphabet=RUSSIAN + ";0123456789", min_size=1, max_size=50), st.integers(1, 3))
def test_a_head_cut_inside_a_letter_decodes_to_the_whole_letters(text, cut):
    data = text.encode("utf-8")
    head, encoding = decode_head(data[: max(len(data) - cut, 0)] or data)
    assert encoding == "utf-8" and text.startswith(head)


def test_the_delimiter_is_the_one_the_header_uses():
    assert csv_delimiter("Код ОО;Наименование ОО") == ";"
    assert csv_delimiter("Код ОО,Наименование ОО") == ","
    assert csv_delimiter("Код ОО") == ";"


def test_text_that_is_not_russian_in_any_encoding_is_refused():
    assert looks_russian("Школа № 1, Томск")
    assert not looks_russian("ÐÐºÐ¾Ð»Ð°ÐÐºÐ¾Ð»Ð°")
    with pytest.raises(UploadError, match="кодировку"):
        decode_text("Ωμέγα Ελλάδα".encode("utf-16-le").replace(b"\x00", b"\x01"))
    with pytest.raises(UploadError, match="не текстовый"):
        decode_text(b"\x00\x01")


def test_invisible_characters_are_dropped():
    assert strip_invisible("7001\u200b01\u00ad") == "700101"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "старом формате Excel"),
        (b"%PDF-1.4", "Нужен файл Excel"),
        (b"\n ;\n", "нет ни одной строки"),
    ],
    ids=["xls", "pdf", "blank"],
)
def test_what_is_not_a_table_is_refused(data, message):
    with pytest.raises(UploadError, match=message):
        read_table(data)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=headers, data=st.data())
def test_rows_as_cells_hold_what_the_rows_as_dicts_hold(header, data):
    """``read_table_rows`` (a region's file, no dict per row) reads the cells ``read_table``
    keys by header: each header's cells at its column, the same lines."""
    rows = data.draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header))))
    as_cells = read_table_rows(_csv([header, *rows], "utf-8"))
    keys = [normalise_header(h) for h in header]
    assert as_cells.headers == keys
    assert [
        (line, {k: cells[as_cells.column(k)] for k in keys}) for line, cells in as_cells.rows
    ] == _expected(header, rows)


def test_a_short_row_is_padded_and_a_repeated_header_is_its_last_column():
    table = read_table_rows("ФИО;Балл;Балл\n Иванова \u200bМария ;40\n\n;;\n".encode())
    assert table.column("балл") == 2
    assert list(table.rows) == [(2, ["Иванова Мария", "40", ""])]


def test_a_damaged_csv_is_refused_while_its_rows_are_read():
    data = ("Код;Имя\n700101;" + "я" * (csv.field_size_limit() + 1) + "\n").encode()
    table = read_table_rows(data)
    with pytest.raises(UploadError, match="Файл CSV повреждён"):
        list(table.rows)
    with pytest.raises(UploadError, match="Файл CSV повреждён"):
        read_table(data)
