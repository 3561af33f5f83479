"""Reader of an interview protocol («протокол проведения индивидуальных собеседований»).

The Department of General Education holds individual interviews with the heads of municipal
education authorities and sends out a protocol in Word.  The protocol looks like this::

    ПРОТОКОЛ
    проведения индивидуальных собеседований с руководителями органов местного
    самоуправления, осуществляющих управление в сфере образования, ...
    г. Томск, ДОО ТО, ул. Ленина, 111
    «17, 18, 19, 22» июня 2020 г.
    Председатель:
    Грабцевич И.Б., начальник Департамента общего образования Томской области.
    Участники:
    Вторина Е.В., заместитель начальника ДОО ТО;
    ...
    Секретарь:
    Сысолятина Н.А., главный специалист ДОО ТО.
    Повестка:
    1. О результатах проведенного анализа ...
    Решение:
    ┌─────┬───────────────────────────┬────────────────────────────────────────────┐
    │ п/п │ Муниципальное образование │ Рекомендации в рамках собеседования        │
    ├─────┴───────────────────────────┴────────────────────────────────────────────┤
    │ 17 июня 2020 года                                                            │
    ├─────┬───────────────────────────┬────────────────────────────────────────────┤
    │ 1   │ Александровский район     │ - организовывать участие ...; - с учетом ...│
    │     │                           │ - активизировать работу по наставничеству; │
    │     │                           │ - проводить анализ прохождения курсов      │
    ├─────┼───────────────────────────┼────────────────────────────────────────────┤  <- page break
    │     │                           │ квалификации педагогами ...;               │
    └─────┴───────────────────────────┴────────────────────────────────────────────┘
    Поручения ТОИПКРО (О.М.Замятина):
    1. Определить сроки педагогических десантов и курсов повышения квалификации по вопросам:
    - инклюзивного образования;
    - управления качеством образования;
    2. Взять на «патронаж» общеобразовательную организацию ...

`read_protocol` turns such a file into a `ParsedProtocol`.  The module is pure Python (only
python-docx), it does not touch Django, so it can be used from a management command, a task or a
test alike.  Names of municipalities are returned exactly as written; matching them with the
registry is somebody else's job.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import date
from typing import IO, Any

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from opora.core.intake.convert import needs_conversion, to_office
from opora.core.intake.files import UploadError, read_source, unpacked_limit
from opora.core.intake.sniff import ZIP_SIGNATURE
from opora.core.intake.zipguard import check_zip
from opora.core.russian.dates import day_text
from opora.interviews.readers.protocol_header import Header, parse_assignments, parse_header
from opora.interviews.readers.protocol_model import (
    ParsedAssignment,
    ParsedMunicipalityBlock,
    ParsedProtocol,
    ParsedRecommendation,
    ProtocolFileError,
    SkippedPart,
)
from opora.interviews.readers.protocol_paragraphs import (
    DECISION_RE,
    decision_start,
    read_decision_paragraphs,
)
from opora.interviews.readers.protocol_table import (
    Columns,
    TableParser,
    looks_like_protocol_table,
    table_columns,
)
from opora.interviews.readers.protocol_text import (
    NUMBERED_RE,
    SECTION_RE,
    clean_recommendation,
    dated_name,
    normalise,
    parse_date_row,
    split_recommendations,
)

__all__ = [
    "ParsedAssignment",
    "ParsedMunicipalityBlock",
    "ParsedProtocol",
    "ParsedRecommendation",
    "ProtocolFileError",
    "SkippedPart",
    "clean_recommendation",
    "read_protocol",
    "split_recommendations",
]


def _read_bytes(path_or_file: Any) -> tuple[bytes, str]:
    if path_or_file is None:
        raise ProtocolFileError("Не передан файл протокола.")
    try:
        data, name = read_source(path_or_file, unpacked_limit("document"))
    except UploadError as exc:
        raise ProtocolFileError(str(exc)) from exc
    except TypeError as exc:
        raise ProtocolFileError("Не передан файл протокола.") from exc
    return data, name or "файл"


def _open_document(path_or_file: Any) -> DocxDocument:
    data, name = _read_bytes(path_or_file)
    if not data:
        raise ProtocolFileError(f"Файл «{name}» пустой.")
    try:  # OpenDocument, PDF with text, .rtf/.doc (through LibreOffice) become .docx
        if needs_conversion(data, unpacked_limit("document")):
            data, _ = to_office(data, unpacked_limit("document"))
    except UploadError as exc:
        raise ProtocolFileError(str(exc)) from exc
    if not data.startswith(ZIP_SIGNATURE):
        raise ProtocolFileError(
            f"Файл «{name}» не является документом Word (.docx). "
            "Загрузите протокол в формате .docx."
        )
    damaged = (
        f"Файл «{name}» повреждён: не удалось прочитать документ Word. "
        "Откройте его в Word, сохраните заново и загрузите ещё раз."
    )
    try:
        check_zip(data, unpacked_limit("document"), damaged=damaged)
    except UploadError as exc:
        raise ProtocolFileError(str(exc)) from exc
    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        # python-docx: "file '...' is not a Word file, content type is ..."
        raise ProtocolFileError(
            f"Файл «{name}» не является документом Word (.docx) — возможно, это таблица "
            "или презентация. Загрузите протокол в формате .docx."
        ) from exc
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise ProtocolFileError(
            f"Файл «{name}» повреждён: не удалось прочитать документ Word. "
            "Откройте его в Word, сохраните заново и загрузите ещё раз."
        ) from exc
    except Exception as exc:  # lxml and zip errors of every kind mean a damaged file
        raise ProtocolFileError(
            f"Файл «{name}» повреждён: не удалось разобрать содержимое документа Word."
        ) from exc


def read_protocol(path_or_file: str | os.PathLike[str] | IO[bytes] | bytes) -> ParsedProtocol:
    """Read an interview protocol from a .docx file (a path, a binary file object or bytes).

    Example input: a Word file with «ПРОТОКОЛ проведения индивидуальных собеседований ...»,
    the date «"17, 18, 19, 22" июня 2020 г.», the table «п/п | Муниципальное образование |
    Рекомендации в рамках собеседования» with rows «17 июня 2020 года» and
    «1 | Александровский район | - организовывать участие 100 % педагогов ...; - ...»,
    and «Поручения ТОИПКРО (О.М.Замятина):» after it.

    Raises `ProtocolFileError` (Russian message) for a missing, empty, damaged, .doc or
    non-Word file, or when there is no protocol table in it.
    """
    document = _open_document(path_or_file)
    warnings: list[str] = []
    body: list[Paragraph | Table] = list(document.iter_inner_content())
    protocol_tables = _protocol_tables(body, warnings)
    if not protocol_tables:
        return _read_paragraph_protocol(body, warnings)
    first_index = protocol_tables[0][0]
    last_index = protocol_tables[-1][0]
    head = _paragraphs(body[:first_index])
    if protocol_tables[0][2].name is None:
        head = _without_heading(head)
    header = parse_header(head, warnings)
    default_year = header.dates[0].year if header.dates else None
    parser = TableParser(warnings, default_year)
    for number, (index, table, columns) in enumerate(protocol_tables, start=1):
        heading = _table_heading(body, index, parser) if columns.name is None else ""
        parser.parse_table(table, columns, number, heading)
    if not parser.blocks:
        raise ProtocolFileError(
            "В таблице протокола не найдено ни одного муниципального образования с рекомендациями."
        )
    parser.finish(header.dates)
    _compare_dates(header.dates, parser.table_dates, warnings)
    assignments = parse_assignments(_paragraphs(body[last_index + 1 :]), warnings)
    if not assignments:
        warnings.append("После таблицы не найдены поручения (раздел «Поручения …:»).")
    return _protocol(
        header,
        sorted(set(header.dates) | set(parser.table_dates)),
        parser.blocks,
        assignments,
        warnings,
        parser.skipped,
    )


def _paragraphs(items: list[Paragraph | Table]) -> list[Paragraph]:
    return [item for item in items if isinstance(item, Paragraph)]


def _protocol(
    header: Header,
    dates: list[date],
    blocks: list[ParsedMunicipalityBlock],
    assignments: list[ParsedAssignment],
    warnings: list[str],
    skipped: list[SkippedPart],
) -> ParsedProtocol:
    return ParsedProtocol(
        title=header.title,
        dates=dates,
        place=header.place,
        chairman=header.chairman,
        participants=header.participants,
        secretary=header.secretary,
        agenda=header.agenda,
        blocks=blocks,
        assignments=assignments,
        warnings=warnings,
        skipped=skipped,
    )


def _protocol_tables(
    body: list[Paragraph | Table], warnings: list[str]
) -> list[tuple[int, Table, Columns]]:
    """The tables of the decision, by their header (a table cut by a page break continues
    the one above it); failing that, a headerless table of dates and numbered rows."""
    protocol_tables: list[tuple[int, Table, Columns]] = []
    for index, item in enumerate(body):
        if not isinstance(item, Table):
            continue
        columns = table_columns(item)
        if columns is not None:
            protocol_tables.append((index, item, columns))
        elif protocol_tables and _only_blank_between(body, protocol_tables[-1][0], index):
            previous = protocol_tables[-1][2]
            protocol_tables.append((index, item, previous))
    if protocol_tables:
        return protocol_tables
    for index, item in enumerate(body):
        if isinstance(item, Table) and looks_like_protocol_table(item):
            width = len(item.columns)
            warnings.append(
                "У таблицы протокола нет строки заголовка; колонки определены по порядку: "
                "№, муниципальное образование, рекомендации."
            )
            return [(index, item, Columns(number=0, name=1, recommendations=width - 1))]
    return []


def _table_heading(body: list[Paragraph | Table], index: int, parser: TableParser) -> str:
    """The paragraph right above a table without a municipality column names its
    municipality («Асиновский район:»); a date there («18 июня 2020 года») dates it."""
    for item in reversed(body[:index]):
        if isinstance(item, Table):
            return ""
        text = normalise(item.text)
        if not text:
            continue
        if parse_date_row(text, parser.default_year) is not None:
            parser.take_date(text)
            continue
        if len(text) > 120 or SECTION_RE.match(text) or DECISION_RE.match(text):
            return ""
        _date_above(body, body.index(item), parser)
        numbered = NUMBERED_RE.match(text)  # «1. Искитимский район»
        name, day = dated_name((numbered["text"] if numbered else text).rstrip(" :"), None)
        if day is not None:  # «Искитимский район (17 июня 2024 г.)»
            parser.take_date(day_text(day))
        return name
    return ""


def _date_above(body: list[Paragraph | Table], index: int, parser: TableParser) -> None:
    """A date paragraph right above a municipality's heading dates its table: «17 июня 2024
    г.» / «1. Искитимский район» / the table."""
    for item in reversed(body[:index]):
        if isinstance(item, Table):
            return
        text = normalise(item.text)
        if not text:
            continue
        if parse_date_row(text, parser.default_year) is not None:
            parser.take_date(text)
        return


def _without_heading(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The head of the protocol without the municipality's heading right above the table."""
    for index in range(len(paragraphs) - 1, -1, -1):
        text = normalise(paragraphs[index].text)
        if text:
            if len(text) > 120 or SECTION_RE.match(text) or DECISION_RE.match(text):
                return paragraphs
            return paragraphs[:index]
    return paragraphs


def _compare_dates(header_dates: list[date], table_dates: list[date], warnings: list[str]) -> None:
    if header_dates and table_dates and set(header_dates) != set(table_dates):
        warnings.append(
            "Даты в шапке протокола ("
            + ", ".join(d.strftime("%d.%m.%Y") for d in header_dates)
            + ") не совпадают с датами в таблице ("
            + ", ".join(d.strftime("%d.%m.%Y") for d in table_dates)
            + ")."
        )


_NO_DECISION = (
    "В документе не найдена таблица протокола с колонками «п/п», «Муниципальное образование» "
    "и «Рекомендации в рамках собеседования», и нет пунктов под заголовком «Рекомендации:» "
    "или «РЕШИЛИ:»."
)


def _read_paragraph_protocol(body: list[Paragraph | Table], warnings: list[str]) -> ParsedProtocol:
    """A protocol whose decision is numbered paragraphs under «Рекомендации:» / «РЕШИЛИ:»."""
    paragraphs = _paragraphs(body)
    start = decision_start(paragraphs)
    if start is None:
        raise ProtocolFileError(_NO_DECISION)
    header = parse_header(paragraphs[:start], warnings)
    default_year = header.dates[0].year if header.dates else None
    decision = read_decision_paragraphs(paragraphs, default_year)
    if not any(block.recommendations for block in decision.blocks):
        raise ProtocolFileError(_NO_DECISION)
    _date_undated(decision.blocks, header.dates, warnings)
    for block in decision.blocks:
        if not block.recommendations:
            warnings.append(f"Для «{block.name_as_written}» не найдено ни одной рекомендации.")
    if any(not block.name_as_written for block in decision.blocks):
        warnings.append(
            "Часть рекомендаций записана без муниципалитета: выберите его в предварительном "
            "просмотре."
        )
    assignments = parse_assignments(paragraphs[decision.end :], warnings)
    dates = sorted(set(header.dates) | set(decision.dates))
    return _protocol(header, dates, decision.blocks, assignments, warnings, decision.skipped)


def _date_undated(
    blocks: list[ParsedMunicipalityBlock], header_dates: list[date], warnings: list[str]
) -> None:
    undated = [block for block in blocks if block.interview_date == date.min]
    if not undated:
        return
    if not header_dates:
        raise ProtocolFileError(
            "Не удалось определить дату собеседования: в шапке протокола нет даты "
            "(например, «17 июня 2020 г.»), и перед пунктами нет строки с датой."
        )
    for block in undated:
        block.interview_date = header_dates[0]
    if len(header_dates) > 1:
        warnings.append(
            "В шапке несколько дат, а у пунктов своей даты нет: взята первая, "
            + header_dates[0].strftime("%d.%m.%Y")
            + "."
        )


def _only_blank_between(body: list[Paragraph | Table], start: int, end: int) -> bool:
    """True when only empty paragraphs (or Markdown leftovers like «-- --») lie between."""
    for item in body[start + 1 : end]:
        if isinstance(item, Table):
            return False
        if re.sub(r"[-\s|*]", "", item.text):
            return False
    return True
