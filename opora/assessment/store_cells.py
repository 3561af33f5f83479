"""The per-school aggregates the pages show, kept in the store beside the results they count.

An import counts its cells (a cell is school × year × procedure × grade × subject: the
participants and their marks 2…5, and of its pupils those with a journal mark and those whose
mark is above it) while it validates the file, and writes them as one small Parquet file of
the batch, ``root/cells/batch-17.parquet`` — about 400 000 rows for a country's year, sorted
by school code in row groups of 65 536, so that one school's cells are read from a row group
or two of each file. An identification sums these files instead of counting the pupil rows
again (``store.cells_and_terms``). Staged, published and deleted with the batch's other
files (:func:`opora.assessment.store.write_batch`, ``publish_batch``, ``delete_batch``), so
readers see the cells of loaded batches only. Import them from :mod:`opora.assessment.store`.

A cell is read as the batch stored it: a cell present in two batches is two rows (the pages
list them as they were loaded). Example: ``stored_cells(root, [17], school_codes=["700901"])``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from opora.assessment.store import (
    _BATCH_FILE,
    _PUPIL_COLUMNS,
    SCHOOL_SCHEMA,
    _CellCounter,
    _compact,
    _partitions,
    _sql_list,
    cells,
    connect,
    publish_batch,
)

CELLS_DIR = "cells"
# The columns of a school-level results file: participants and their marks, per cell.
CELLS_SCHEMA = SCHOOL_SCHEMA
# Each cell's journal-mark counts (pupils with a journal mark, those whose mark is above it),
# kept beside it since their import counts them: an identification reads these files, not
# the pupil rows. Files written before (or cells put without them) lack the two columns.
TERM_COLUMNS = ("pupils", "above")
# A school's cells are found by the row groups' code ranges: one group of 65 536 cells is
# read in 5 ms, and a whole file (an identification reads them all) in 0.04 s, against 0.28 s
# in groups of 4 096 (each group costs its own dictionaries and pages).
ROW_GROUP = 1 << 16


def write_cells(root: Path, batch_id: int, cells: pa.Table, *, publish: bool = False) -> int:
    """Store a batch's per-cell aggregates (``school_code, year, procedure, grade, subject,
    participants, n2…n5``, and ``pupils, above`` when given; more columns are left out)
    staged until the batch is published; return how many cells. No cells, no file."""
    if cells.num_rows == 0:
        return 0
    folder = Path(root) / CELLS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    codes = cells["school_code"]
    if pa.types.is_dictionary(codes.type):
        codes = codes.cast(pa.string())
    # By school code: a school's cells lie in a row group or two of the file.
    order = pc.sort_indices(codes)
    kinds = list(zip(CELLS_SCHEMA.names, CELLS_SCHEMA.types, strict=True))
    if set(TERM_COLUMNS) <= set(cells.column_names):
        kinds += [(name, pa.int32()) for name in TERM_COLUMNS]
    table = pa.table({name: _typed(cells[name].take(order), kind) for name, kind in kinds})
    target = folder / f".batch-{int(batch_id)}.parquet.staged"
    pq.write_table(
        table,
        target,
        compression="zstd",
        row_group_size=ROW_GROUP,
        write_page_index=False,
    )
    if publish:
        publish_batch(root, batch_id)
    return table.num_rows


def _typed(column, kind: pa.DataType):
    if pa.types.is_dictionary(kind) and not pa.types.is_dictionary(column.type):
        return pc.dictionary_encode(column).cast(kind)
    return column.cast(kind)


def cell_files(root: Path, batch_ids: Iterable[int]) -> list[str]:
    """The cells files of the given batches (published ones), sorted."""
    folder = Path(root) / CELLS_DIR
    wanted = {int(b) for b in batch_ids}
    if not wanted or not folder.exists():
        return []
    return sorted(
        str(f)
        for f in folder.iterdir()
        if (m := _BATCH_FILE.match(f.name)) and int(m.group(1)) in wanted
    )


_COLUMNS = (
    "school_code::VARCHAR AS school_code, year::INTEGER AS year, procedure::VARCHAR AS "
    "procedure, grade::INTEGER AS grade, subject::VARCHAR AS subject, participants, n2, n3, "
    "n4, n5"
)


def stored_cells(
    root: Path,
    batch_ids: Iterable[int],
    **filters,
) -> pa.Table:
    """The stored cells of the batches: ``school_code, year, procedure, grade, subject,
    participants, n2, n3, n4, n5`` (texts as plain strings), narrowed by the ``filters``
    given — ``school_codes`` (several), ``year``, ``procedure``, ``grade``, ``subject``."""
    files = cell_files(root, batch_ids)
    conditions, parameters = _conditions(**filters)
    if not files or conditions is None:
        return _empty()
    few = _few_schools(filters)
    if few is not None:
        return _of_schools(files, few)
    query = f"SELECT {_COLUMNS} FROM read_parquet({_sql_list(files)}) {conditions}"
    with connect() as con:
        return con.sql(query, params=parameters).to_arrow_table()


# A school card's cells (a few schools) are read from the row groups holding their codes.
FEW_SCHOOLS = 20


def _few_schools(filters: dict) -> list[str] | None:
    """The codes when ``filters`` ask for a few schools' cells and nothing else."""
    if set(filters) != {"school_codes"}:
        return None
    codes = sorted({str(c) for c in filters["school_codes"]})
    return codes if len(codes) <= FEW_SCHOOLS else None


def _of_schools(files: list[str], codes: list[str]) -> pa.Table:
    """The cells of a few schools: only the row groups whose code range holds one of them
    (a file's footer is parsed once per process: a published file never changes)."""
    wanted = pa.array(codes, pa.string())
    parts = []
    for path in files:
        status = os.stat(path)
        metadata, ranges = _footer(path, status.st_mtime_ns, status.st_size)
        groups = [
            g
            for g, bounds in enumerate(ranges)
            if bounds is None or any(bounds[0] <= c <= bounds[1] for c in codes)
        ]
        if groups:
            table = pq.ParquetFile(path, metadata=metadata).read_row_groups(
                groups, columns=_PLAIN.names
            )
            table = table.cast(_PLAIN.remove_metadata()).select(_empty().column_names)
            parts.append(table.filter(pc.is_in(table["school_code"], value_set=wanted)))
    if not parts:
        return _empty()
    return pa.concat_tables(parts).cast(_empty().schema)


def cells_schema(path: str) -> pa.Schema:
    """The columns of a cells file (its footer, parsed once per process)."""
    status = os.stat(path)
    return _footer(path, status.st_mtime_ns, status.st_size)[0].schema.to_arrow_schema()


@functools.lru_cache(maxsize=256)
def _footer(path: str, mtime_ns: int, size: int):
    """A cells file's footer and the code range of each row group (``None``: unknown)."""
    metadata = pq.read_metadata(path)
    column = metadata.schema.names.index("school_code")
    ranges = []
    for g in range(metadata.num_row_groups):
        statistics = metadata.row_group(g).column(column).statistics
        known = statistics is not None and statistics.has_min_max
        ranges.append((statistics.min, statistics.max) if known else None)
    return metadata, ranges


def cell_sums(
    root: Path,
    batch_ids: Iterable[int],
    by: tuple[str, ...],
    **filters,
) -> pa.Table:
    """The stored cells summed by the key columns ``by`` (among ``school_code, year,
    procedure, grade, subject``): those columns, then ``participants, n2, n3, n4, n5``;
    ``filters`` as :func:`stored_cells` takes them."""
    keys = [k for k in by if k in _KEYS]
    files = cell_files(root, batch_ids)
    conditions, parameters = _conditions(**filters)
    if not files or conditions is None:
        empty = _empty()
        return pa.table(
            {
                **{k: empty[k] for k in keys},
                **{k: pa.array([], pa.int64()) for k in _COUNTS},
            }
        )
    few = _few_schools(filters)
    if few is not None:
        rows = _of_schools(files, few)
        if not keys:
            return pa.table(
                {k: [pc.sum(rows[k]).as_py() if rows.num_rows else None] for k in _COUNTS}
            )
        summed = rows.group_by(keys).aggregate([(k, "sum") for k in _COUNTS])
        return pa.table(
            {
                **{k: summed[k] for k in keys},
                **{k: summed[f"{k}_sum"].cast(pa.int64()) for k in _COUNTS},
            }
        )
    selected = ", ".join(
        f"{k}::VARCHAR AS {k}" if k in _TEXTS else f"{k}::INTEGER AS {k}" for k in keys
    )
    sums = ", ".join(f"sum({k})::BIGINT AS {k}" for k in _COUNTS)
    query = f"""SELECT {selected}{", " if keys else ""}{sums}
        FROM read_parquet({_sql_list(files)}) {conditions}
        {"GROUP BY ALL" if keys else ""}"""
    with connect() as con:
        return con.sql(query, params=parameters).to_arrow_table()


_KEYS = ("school_code", "year", "procedure", "grade", "subject")
_TEXTS = ("school_code", "procedure", "subject")
_COUNTS = ("participants", "n2", "n3", "n4", "n5")


def _conditions(school_codes=None, year=None, procedure=None, grade=None, subject=None):
    """The WHERE clause and its parameters; ``None`` when no row can match (no codes)."""
    conditions, parameters = [], {}
    if school_codes is not None:
        codes = sorted({str(c) for c in school_codes})
        if not codes:
            return None, {}
        if len(codes) == 1:
            conditions.append("school_code = $code")
            parameters["code"] = codes[0]
        else:
            conditions.append("school_code IN (SELECT unnest($codes))")
            parameters["codes"] = codes
    for name, value in (("year", year), ("grade", grade)):
        if value is not None:
            conditions.append(f"{name} = ${name}")
            parameters[name] = int(value)
    for name, value in (("procedure", procedure), ("subject", subject)):
        if value is not None:
            conditions.append(f"{name} = ${name}")
            parameters[name] = str(value)
    return (f"WHERE {' AND '.join(conditions)}" if conditions else ""), parameters


# A cells file's columns with texts as plain strings (the file's schema, dictionaries decoded).
_PLAIN = pa.schema(
    [(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type) for f in SCHOOL_SCHEMA]
)


def _empty() -> pa.Table:
    return pa.table(
        {
            "school_code": pa.array([], pa.string()),
            "year": pa.array([], pa.int32()),
            "procedure": pa.array([], pa.string()),
            "grade": pa.array([], pa.int32()),
            "subject": pa.array([], pa.string()),
            **{k: pa.array([], pa.int32()) for k in _COUNTS},
        }
    )


# ---------------------------------------------------------------- counted at import


def table_cells(table: pa.Table) -> pa.Table:
    """The per-cell aggregates (as :func:`cells`, every cell size) of rows still in memory —
    a :class:`ReadResult` table of either kind — so an import counts what it read without
    reading its own files back."""
    pupil = "pupil_code" in table.column_names
    grades = None
    if pupil and table.num_rows:
        # The dense count is sized by the grades and subjects present, not every possible
        # one: 11 grades × 20 subjects for 40 000 schools would be 35 million counters.
        low, high = pc.min_max(table["grade"]).values()
        grades = list(range(low.as_py(), high.as_py() + 1))
    counter = _CellCounter(grades, None, terms=True)
    for (year, procedure), part in _partitions(table):
        if pupil:
            # One dictionary for all chunks (with only the values used): one dense count.
            part = _compact(part.select([*_PUPIL_COLUMNS, "term_mark"]))
            for name in ("mark", "term_mark"):  # as stored: bytes (read so in pairs)
                if part[name].type != pa.int8():
                    part = part.set_column(
                        part.column_names.index(name), name, part[name].cast(pa.int8())
                    )
            counter.add_pupil_chunks(part.to_batches(), int(year), procedure)
        else:
            counter.add_school_table(part, int(year), procedure)
    return counter.table(0, terms=True)


def slice_digests(cells: pa.Table) -> list[dict]:
    """One digest per (year, procedure, grade, subject) of per-cell aggregates: the md5 of
    every school's marks in code order. The same results give the same digest however the
    file was saved (order of rows, line ends, encoding) and whether they came as pupil rows
    or as school counts — loading them twice would count them twice either way."""
    if cells.num_rows == 0:
        return []
    frame = cells.select(  # noqa: F841 - read by DuckDB by name
        ["school_code", "year", "procedure", "grade", "subject", "participants"]
        + ["n2", "n3", "n4", "n5"]
    )
    query = """
        SELECT year::INTEGER, procedure, grade::INTEGER, subject, count(*)::INTEGER,
               sum(participants)::BIGINT,
               md5(string_agg(concat_ws(';', school_code, participants, n2, n3, n4, n5), '|'
                              ORDER BY school_code))
        FROM frame GROUP BY year, procedure, grade, subject
        ORDER BY year, procedure, grade, subject"""
    with connect() as con:
        rows = con.sql(query).fetchall()
    keys = ("year", "procedure", "grade", "subject", "schools", "participants", "digest")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def school_aggregates(root: Path, batch_ids: Iterable[int]) -> pa.Table:
    """The per-cell aggregates of the given batches (every year, procedure and cell size),
    counted from their results (the pages read the copy each import stored:
    :func:`stored_cells`)."""
    return cells(root, procedure=None, years=None, min_participants=0, batch_ids=batch_ids)
