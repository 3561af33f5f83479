"""The ШНОР list in plain DuckDB SQL: the yardstick :mod:`opora.assessment.engine` is held to.

An independent statement of the methodology's steps, kept apart from the engine so that the
tests and ``bench/identify.py`` compare two computations, not one with itself.
"""

from __future__ import annotations

from pathlib import Path

from opora.assessment.engine import MEAN_RISE_TOLERANCE, Params, window_years


def reference_sql(
    root: Path, year: int, params: Params, batch_ids: list[int] | None = None
) -> list[str]:
    """The ШНОР list computed in plain DuckDB SQL straight from the Parquet files.

    An independent statement of steps 1–4 (and the bias exclusion when the methodology asks
    for it), used by the tests to check :func:`identify` and by the benchmark as the yardstick.
    """
    from opora.assessment import store

    cells = store.cells_sql(
        root,
        procedure=params.procedures,
        years=window_years(params, year),
        min_participants=params.min_participants,
        batch_ids=batch_ids,
        grades=params.grades,
        subjects=params.subjects,
        mean_mark=False,
    )
    if cells is None:
        return []
    first = year - params.years_back
    q = repr(float(params.percentile) / 100)
    query = f"""
    WITH cells AS ({cells}),
    window_cells AS (
        SELECT school_code, procedure, year, grade, subject, n2::DOUBLE / participants AS share
        FROM cells WHERE year BETWEEN {first} AND {year}
    ),
    thresholds AS (
        SELECT procedure, year, grade, subject,
               greatest(quantile_cont(share, {q}), {repr(float(params.min_threshold))}) AS threshold
        FROM window_cells GROUP BY procedure, year, grade, subject
    ),
    school_years AS (
        SELECT c.school_code, c.year, count(*) AS cells,
               count_if(c.share >= t.threshold) AS low_cells
        FROM window_cells c JOIN thresholds t USING (procedure, year, grade, subject)
        GROUP BY c.school_code, c.year
    ),
    low_years AS (
        SELECT school_code, year FROM school_years
        WHERE cells >= {int(params.min_cells)}
          AND low_cells::DOUBLE / cells >= {repr(float(params.low_cell_share))}
    ),
    listed AS (
        SELECT school_code FROM low_years GROUP BY school_code
        HAVING bool_or(year = {year}) AND count(*) >= {int(params.low_years_required)}
    )"""
    if params.exclude_biased:
        top = repr(1 - float(params.bias_top_share))
        rise = repr(float(params.bias_mean_rise) - MEAN_RISE_TOLERANCE)
        query += f""",
    now_cells AS (
        SELECT school_code, procedure, grade, subject,
               (n4 + n5)::DOUBLE / participants AS share_45,
               (2 * n2 + 3 * n3 + 4 * n4 + 5 * n5)::DOUBLE / participants AS mean_mark
        FROM cells WHERE year = {year}
    ),
    tops AS (
        SELECT procedure, grade, subject, quantile_cont(share_45, {top}) AS top
        FROM now_cells GROUP BY procedure, grade, subject
    ),
    biased AS (
        SELECT DISTINCT n.school_code
        FROM now_cells n
        JOIN tops t USING (procedure, grade, subject)
        JOIN (SELECT school_code, procedure, grade, subject,
                     (2 * n2 + 3 * n3 + 4 * n4 + 5 * n5)::DOUBLE / participants AS mean_mark
              FROM cells WHERE year = {year - 1}) b USING (school_code, procedure, grade, subject)
        WHERE n.share_45 >= t.top AND n.mean_mark - b.mean_mark >= {rise}
    )
    SELECT school_code FROM listed WHERE school_code NOT IN (SELECT school_code FROM biased)
    ORDER BY school_code"""
    else:
        query += "\n    SELECT school_code FROM listed ORDER BY school_code"
    with store.connect() as con:
        return [row[0] for row in con.sql(query).fetchall()]
