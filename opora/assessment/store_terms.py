"""Journal marks against assessment marks, read from the store's Parquet files: per school and
subject (:func:`term_comparison`) and per cell for the bias signal (:func:`term_cells`).
Import them from :mod:`opora.assessment.store`, which re-exports them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyarrow as pa

from opora.assessment.store import (
    _empty_terms,
    _procedures,
    _sql_list,
    _sql_literal,
    batch_files,
    connect,
)


def term_comparison(
    root: Path, year: int, procedure: str = "ВПР", batch_ids: Iterable[int] | None = None
) -> pa.Table:
    """Per school and subject: pupils whose mark is below, equal to, above their journal mark.

    Columns ``school_code, subject, pupils, below, equal, above`` (pupils with a journal
    mark only; «below» = the assessment mark is lower than the journal mark).
    """
    files = batch_files(root, years=[year], procedures=[procedure], batch_ids=batch_ids)
    if not files:
        return pa.table(
            {
                "school_code": pa.array([], pa.string()),
                "subject": pa.array([], pa.string()),
                "pupils": pa.array([], pa.int64()),
                "below": pa.array([], pa.int64()),
                "equal": pa.array([], pa.int64()),
                "above": pa.array([], pa.int64()),
            }
        )
    query = f"""
        SELECT school_code, subject, count(*) AS pupils,
               count_if(mark < term_mark) AS below,
               count_if(mark = term_mark) AS equal,
               count_if(mark > term_mark) AS above
        FROM read_parquet({_sql_list(files)})
        WHERE term_mark IS NOT NULL
        GROUP BY school_code, subject
        ORDER BY school_code, subject"""
    with connect() as con:
        return con.sql(query).to_arrow_table()


def term_cells(
    root: Path,
    *,
    procedure: str | Sequence[str] | None = "ВПР",
    years: Iterable[int] | None = None,
    batch_ids: Iterable[int] | None = None,
    grades: Iterable[int] | None = None,
    subjects: Iterable[str] | None = None,
) -> pa.Table:
    """Per cell, pupils with a journal mark and how many of them got a higher assessment
    mark: ``school_code, year, procedure, grade, subject, pupils, above`` — what the bias
    signal of :mod:`opora.assessment.engine` reads (pupil-level files only: a school-level
    file has no journal marks)."""
    procedures = _procedures(procedure)
    years = None if years is None else sorted({int(y) for y in years})
    files = batch_files(root, years=years, procedures=procedures, batch_ids=batch_ids)
    if not files:
        return _empty_terms()
    conditions = ["term_mark IS NOT NULL"]
    if years is not None:
        conditions.append(f"year IN ({', '.join(str(y) for y in years)})")
    if grades is not None:
        conditions.append(f"grade IN ({', '.join(str(int(g)) for g in grades)})")
    if subjects is not None:
        conditions.append(f"subject IN ({', '.join(_sql_literal(s) for s in subjects)})")
    query = f"""
        SELECT school_code::VARCHAR AS school_code, year::BIGINT AS year,
               procedure::VARCHAR AS procedure, grade::BIGINT AS grade,
               subject::VARCHAR AS subject, count(*)::BIGINT AS pupils,
               count_if(mark > term_mark)::BIGINT AS above
        FROM read_parquet({_sql_list(files)})
        WHERE {" AND ".join(conditions)}
        GROUP BY ALL"""
    with connect() as con:
        return con.sql(query).to_arrow_table()
