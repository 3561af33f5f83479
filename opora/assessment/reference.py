"""The ШНОР list in plain DuckDB SQL: the yardstick :mod:`opora.assessment.engine` is held to.

An independent statement of the methodology's steps, kept apart from the engine so that the
tests and ``bench/identify.py`` compare two computations, not one with itself.
"""

from __future__ import annotations

from pathlib import Path

from opora.assessment.engine import window_years
from opora.assessment.params import Params
from opora.assessment.signals import PEER_GROUP_SCHOOLS, PEER_GROUPS, WILSON_Z


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
        every_cell = store.cells_sql(
            root,
            procedure=params.procedures,
            years=range(first, year + 1),
            min_participants=1,
            batch_ids=batch_ids,
            grades=params.grades,
            subjects=params.subjects,
            mean_mark=False,
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
    marks AS (
        SELECT school_code, year,
               sum(2 * n2 + 3 * n3 + 4 * n4 + 5 * n5)::DOUBLE / sum(participants) AS mark
        FROM ({every_cell}) GROUP BY school_code, year
    ),
    read_years AS (
        SELECT t.school_code, t.year, t.n, t.a::DOUBLE / t.n AS share, m.mark,
               row_number() OVER (PARTITION BY t.year ORDER BY m.mark) AS position,
               count(*) OVER (PARTITION BY t.year) AS schools
        FROM term_years t JOIN marks m USING (school_code, year)
    ),
    group_counts AS (
        SELECT DISTINCT year, schools,
               greatest(1, least({PEER_GROUPS}, schools // {PEER_GROUP_SCHOOLS})) AS groups
        FROM read_years
    ),
    edge_positions AS (
        SELECT year, g, (schools - 1) * (g::DOUBLE / groups) AS at
        FROM group_counts, range(1, {PEER_GROUPS}) AS r(g) WHERE g < groups
    ),
    edges AS (
        SELECT e.year, e.g, lo.mark + (hi.mark - lo.mark) * (e.at - floor(e.at)) AS edge
        FROM edge_positions e
        JOIN read_years lo ON lo.year = e.year AND lo.position = floor(e.at) + 1
        JOIN read_years hi ON hi.year = e.year AND hi.position = ceil(e.at) + 1
    ),
    grouped AS (
        SELECT r.school_code, r.year, r.n, r.share,
               (SELECT count(*) FROM edges e WHERE e.year = r.year AND e.edge <= r.mark) AS g
        FROM read_years r
    ),
    peers AS (
        SELECT g.school_code, g.year, g.n, m.median
        FROM grouped g JOIN (
            SELECT year, g, quantile_cont(share, 0.5) AS median FROM grouped GROUP BY year, g
        ) m USING (year, g)
    ),
    peers_all AS (
        SELECT school_code, sum(median * n) / sum(n) AS median FROM peers GROUP BY school_code
    ),
    pooled AS (
        SELECT school_code, sum(n) AS n, sum(a) AS a FROM term_years GROUP BY school_code
    ),
    lines AS (
        SELECT t.school_code, t.year, t.n, t.a,
               greatest(r.share, coalesce(s.median, r.share)) + {margin} AS line
        FROM term_years t JOIN region_years r USING (year)
        LEFT JOIN peers s USING (school_code, year)
    ),
    biased AS (
        SELECT t.school_code FROM lines t JOIN pooled p USING (school_code)
        LEFT JOIN peers_all sa USING (school_code), region_all ra
        WHERE t.year = {year} AND (
            {wilson_low("t.a", "t.n")} > t.line
            OR ({wilson_low("p.a", "p.n")}
                    > greatest(ra.share, coalesce(sa.median, ra.share)) + {margin}
                AND t.a::DOUBLE / t.n > t.line))
    )
    SELECT school_code FROM listed WHERE school_code NOT IN (SELECT school_code FROM biased)
    ORDER BY school_code"""
    else:
        query += "\n    SELECT school_code FROM listed ORDER BY school_code"
    with store.connect() as con:
        return [row[0] for row in con.sql(query).fetchall()]
