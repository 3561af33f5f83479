"""The ШНОР list in plain DuckDB SQL: the yardstick :mod:`opora.assessment.engine` is held to.

An independent statement of the methodology's steps, kept apart from the engine so that the
tests and ``bench/identify.py`` compare two computations, not one with itself.
"""

from __future__ import annotations

from pathlib import Path

from opora.assessment.engine import window_years
from opora.assessment.params import Params
from opora.assessment.signals import WILSON_Z


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
    terms = None
    if params.exclude_biased:
        terms = store.term_cells(  # noqa: F841 - read by DuckDB by name
            root,
            procedure=params.procedures,
            years=range(first, year + 1),
            batch_ids=batch_ids,
            grades=params.grades,
            subjects=params.subjects,
        )
        z = repr(WILSON_Z)
        margin = repr(float(params.bias_margin))

        def wilson_low(a: str, n: str) -> str:
            p = f"({a}::DOUBLE / {n})"
            return (
                f"(({p} + {z}*{z} / (2.0 * {n})) - {z} * sqrt({p} * (1 - {p}) / {n} + "
                f"{z}*{z} / (4.0 * {n} * {n}))) / (1 + {z}*{z} / {n})"
            )

        query += f""",
    term_years AS (
        SELECT school_code, year, sum(pupils) AS n, sum(above) AS a
        FROM terms WHERE pupils >= {int(params.bias_min_pupils)} GROUP BY school_code, year
    ),
    region_years AS (SELECT year, sum(a)::DOUBLE / sum(n) AS share FROM term_years GROUP BY year),
    region_all AS (SELECT sum(a)::DOUBLE / sum(n) AS share FROM term_years),
    pooled AS (
        SELECT school_code, sum(n) AS n, sum(a) AS a FROM term_years GROUP BY school_code
    ),
    biased AS (
        SELECT t.school_code FROM term_years t JOIN region_years r USING (year)
        JOIN pooled p USING (school_code), region_all ra
        WHERE t.year = {year} AND (
            {wilson_low("t.a", "t.n")} > r.share + {margin}
            OR ({wilson_low("p.a", "p.n")} > ra.share + {margin}
                AND t.a::DOUBLE / t.n > r.share + {margin}))
    )
    SELECT school_code FROM listed WHERE school_code NOT IN (SELECT school_code FROM biased)
    ORDER BY school_code"""
    else:
        query += "\n    SELECT school_code FROM listed ORDER BY school_code"
    with store.connect() as con:
        return [row[0] for row in con.sql(query).fetchall()]
