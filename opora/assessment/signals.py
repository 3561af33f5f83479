"""The parts of a run that go beyond the lists of steps 1–4: small cells pooled, the bias
signal read from the journal marks and the context-fair view, and the statistics they share
with the lists (quantiles as DuckDB computes them, Wilson intervals) (see :mod:`opora.assessment.engine` for the rules)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from opora.assessment.params import Params

WILSON_Z = 1.959963984540054  # 95 %
# Below this many results in the year a school's share of «2» is too uncertain to rank.
SMALL_SCHOOL_RESULTS = 50
# Schools with similar results for the bias signal: at most this many groups of the mean
# ВПР mark per year, and at least this many schools in a group.
PEER_GROUPS = 10
PEER_GROUP_SCHOOLS = 30


def quantile(values: np.ndarray, q: float) -> float:
    """Linear-interpolation quantile, written as DuckDB's ``quantile_cont`` computes it
    (lo + (hi − lo)·d) so that both give the same bits; equal to ``numpy.quantile``."""
    n = len(values)
    if n == 0:
        return math.nan
    position = (n - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(np.partition(values, low)[low])
    part = np.partition(values, [low, high])
    lo, hi = float(part[low]), float(part[high])
    return lo + (hi - lo) * (position - low)


def grouped_quantile(values: np.ndarray, groups: np.ndarray, n_groups: int, q: float):
    """Quantile of ``values`` per group id (NaN for empty groups) and the group sizes."""
    # Few groups: a 16-bit stable sort is numpy's radix sort, linear in the cells.
    small = groups.astype(np.int16) if n_groups < 32768 else groups
    order = np.argsort(small, kind="stable")
    sizes = np.bincount(groups, minlength=n_groups)
    ends = np.cumsum(sizes)
    result = np.full(n_groups, np.nan)
    sorted_values = values[order]
    for g in np.flatnonzero(sizes):
        result[g] = quantile(sorted_values[ends[g] - sizes[g] : ends[g]], q)
    return result, sizes


def wilson(successes: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z2 = WILSON_Z**2
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half = WILSON_Z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def column(table: pa.Table, name: str, dtype) -> np.ndarray:
    return table[name].to_numpy().astype(dtype, copy=False)


def pool_small(params: Params, left_out: tuple, first_year: int, threshold, n_subjects: int):
    """A school's small cells pooled over the grades of a year («grades») or over the years
    of the window («years»), judged against the participant-weighted mean threshold of the
    cells pooled. Returns ``school, year, grade, subject, share, threshold, participants``
    per pooled cell and year it counts in (grade 0 = all grades)."""
    school, cell_year, grade, subject, participants, n2 = left_out
    relative = cell_year - first_year
    cell_threshold = threshold[(relative * 16 + grade) * n_subjects + subject]
    known = ~np.isnan(cell_threshold)
    school, relative, grade, subject = school[known], relative[known], grade[known], subject[known]
    participants, n2, cell_threshold = participants[known], n2[known], cell_threshold[known]
    years = int(relative.max()) + 1 if len(relative) else 1
    if params.pool_small == "grades":
        key = (school * years + relative) * n_subjects + subject
    else:
        key = (school * 16 + grade) * n_subjects + subject
    unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    pooled_n = np.bincount(inverse, weights=participants)
    pooled_twos = np.bincount(inverse, weights=n2)
    pooled_threshold = np.bincount(inverse, weights=participants * cell_threshold) / pooled_n
    enough = pooled_n >= params.min_participants
    # One row per pooled cell and year it has results in: pooled over the years, the cell
    # is judged once and counts in each of its years.
    pair = np.unique(inverse * years + relative)
    cell, rel = pair // years, pair % years
    keep = enough[cell]
    cell, rel = cell[keep], rel[keep]
    pooled_grade = np.zeros(len(cell), dtype=np.int64)
    if params.pool_small == "years":
        pooled_grade = grade[first][cell]
    return (
        school[first][cell],
        rel + first_year,
        pooled_grade,
        subject[first][cell],
        (pooled_twos / pooled_n)[cell],
        pooled_threshold[cell],
        pooled_n[cell].astype(np.int64),
    )


def is_in(column: pa.ChunkedArray, texts) -> pa.ChunkedArray:
    """Which rows of a text column hold one of ``texts``; a dictionary column is judged on
    its dictionary (no text per row is made)."""
    wanted = pa.array(list(texts), pa.string())
    if not pa.types.is_dictionary(column.type):
        return pc.is_in(column, wanted)
    chunks = []
    for chunk in column.chunks:
        allowed = pc.is_in(pc.cast(chunk.dictionary, pa.string()), wanted)
        allowed = allowed.to_numpy(zero_copy_only=False)
        chunks.append(pa.array(allowed[chunk.indices.to_numpy(zero_copy_only=False)]))
    return pa.chunked_array(chunks, pa.bool_())


def _school_numbers(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """The codes of a column as one dictionary array (as they are when already one)."""
    if pa.types.is_dictionary(column.type) and column.num_chunks == 1 and not column.null_count:
        return column.chunk(0)
    return pc.dictionary_encode(pc.cast(column, pa.string())).combine_chunks()


def _term_counts(term_cells, params, first_year, code_index, n_schools, years):
    """Per school and year of the window: pupils' results with a journal mark (cells of at
    least ``bias_min_pupils``) and those whose ВПР mark is higher."""
    pupils = np.zeros((n_schools, years))
    above = np.zeros((n_schools, years))
    if term_cells is None or not term_cells.num_rows:
        return pupils, above
    t = term_cells
    year = pc.cast(t["year"], pa.int64())
    mask = pc.and_(
        pc.greater_equal(year, pa.scalar(first_year, pa.int64())),
        pc.less(year, pa.scalar(first_year + years, pa.int64())),
    )
    pupils_column = pc.cast(t["pupils"], pa.int64())
    mask = pc.and_(
        mask, pc.greater_equal(pupils_column, pa.scalar(params.bias_min_pupils, pa.int64()))
    )
    if "procedure" in t.column_names:
        mask = pc.and_(mask, is_in(t["procedure"], params.procedures))
    if params.grades is not None:
        wanted_grades = pa.array(params.grades, pa.int64())
        mask = pc.and_(mask, pc.is_in(pc.cast(t["grade"], pa.int64()), wanted_grades))
    if params.subjects is not None:
        mask = pc.and_(mask, is_in(t["subject"], params.subjects))
    t = t.filter(mask)
    encoded = _school_numbers(t["school_code"])
    to_school = np.array(
        [code_index.get(c, -1) for c in encoded.dictionary.to_pylist()], dtype=np.int64
    )
    rows = to_school[encoded.indices.to_numpy()] if len(to_school) else np.zeros(0, int)
    known = rows >= 0
    relative = column(t, "year", np.int64)[known] - first_year
    key = rows[known] * years + relative
    size = n_schools * years
    pupils = np.bincount(key, weights=column(t, "pupils", np.int64)[known], minlength=size).reshape(
        n_schools, years
    )
    above = np.bincount(key, weights=column(t, "above", np.int64)[known], minlength=size).reshape(
        n_schools, years
    )
    return pupils, above


def similar_results(share: np.ndarray, pupils: np.ndarray, mean_mark: np.ndarray) -> dict:
    """Schools with similar results: per year, the schools the signal reads are cut into
    groups of equal size by their mean ВПР mark (at most :data:`PEER_GROUPS`, at least
    :data:`PEER_GROUP_SCHOOLS` schools each; a small region is one group). A school's
    «similar schools» share is the median of its group's shares of pupils above their
    journal marks — the median, so that a few inflating schools do not lift their own
    yardstick. Returns per school and year the median share, the group's lowest and highest
    mean mark and its number of schools (NaN / 0 where the school is not read)."""
    n_schools, years = share.shape
    median = np.full((n_schools, years), np.nan)
    lowest = np.full((n_schools, years), np.nan)
    highest = np.full((n_schools, years), np.nan)
    schools = np.zeros((n_schools, years), dtype=np.int64)
    for k in range(years):
        rows = np.flatnonzero((pupils[:, k] > 0) & ~np.isnan(mean_mark[:, k]))
        if not len(rows):
            continue
        marks = mean_mark[rows, k]
        groups = max(1, min(PEER_GROUPS, len(rows) // PEER_GROUP_SCHOOLS))
        edges = [quantile(marks, g / groups) for g in range(1, groups)]
        group = np.searchsorted(np.array(edges), marks, side="right")
        for g in np.unique(group):
            members = rows[group == g]
            median[members, k] = quantile(share[members, k], 0.5)
            lowest[members, k] = float(mean_mark[members, k].min())
            highest[members, k] = float(mean_mark[members, k].max())
            schools[members, k] = len(members)
    return {"median": median, "lowest": lowest, "highest": highest, "schools": schools}


def bias_signal(
    term_cells: pa.Table | None,
    params: Params,
    first_year: int,
    code_index: dict[str, int],
    n_schools: int,
    years: int,
    mean_mark: np.ndarray | None = None,
) -> dict:
    """Per school and year of the window: pupils' results with a journal mark (cells of at
    least ``bias_min_pupils``) and those whose ВПР mark is higher, compared with the region
    and with the schools of similar ВПР results (``mean_mark``, school × year); the years
    that are high and the flag (see :mod:`opora.assessment.engine`)."""
    pupils, above = _term_counts(term_cells, params, first_year, code_index, n_schools, years)
    if mean_mark is None:
        mean_mark = np.full((n_schools, years), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = above / pupils
        region = above.sum(axis=0) / pupils.sum(axis=0)
        similar = similar_results(share, pupils, mean_mark)
        low, high = wilson(above, np.where(pupils > 0, pupils, np.nan))
        # Above both yardsticks: the region's share of the year and the similar schools'.
        line = np.fmax(region[None, :], similar["median"]) + params.bias_margin
        high_year = (pupils > 0) & (low > line)
        # Persistence: the window's years pooled, against the pupil-weighted yardsticks.
        pooled_pupils, pooled_above = pupils.sum(axis=1), above.sum(axis=1)
        pooled_low, _ = wilson(pooled_above, np.where(pooled_pupils > 0, pooled_pupils, np.nan))
        region_all = above.sum() / pupils.sum() if pupils.sum() else np.nan
        known = ~np.isnan(similar["median"])
        weighted = np.where(known, similar["median"] * pupils, 0).sum(axis=1)
        similar_all = weighted / np.where(known, pupils, 0).sum(axis=1)
        pooled_line = np.fmax(region_all, similar_all) + params.bias_margin
        pooled_high = (pooled_pupils > 0) & (pooled_low > pooled_line)
    flagged = high_year[:, -1] | (pooled_high & (pupils[:, -1] > 0) & (share[:, -1] > line[:, -1]))
    return {
        "pupils": pupils,
        "above": above,
        "low": low,
        "high": high,
        "region": region,
        "similar": similar,
        "line": line,
        "high_year": high_year,
        "pooled_high": pooled_high,
        "flagged": flagged,
    }


def fair_view(results: np.ndarray, twos: np.ndarray, index: np.ndarray) -> dict:
    n = len(results)
    with np.errstate(invalid="ignore", divide="ignore"):
        actual = np.where(results > 0, twos / results, np.nan)
    low, high = wilson(twos, np.where(results > 0, results, np.nan))
    expected = np.full(n, np.nan)
    residual = np.full(n, np.nan)
    small = (results > 0) & (results < SMALL_SCHOOL_RESULTS)
    usable = ~np.isnan(actual) & ~np.isnan(index)
    regression = None
    if usable.sum() >= 3:
        x, y = index[usable], actual[usable]
        x_mean, y_mean = x.mean(), y.mean()
        spread = ((x - x_mean) ** 2).sum()
        slope = ((x - x_mean) * (y - y_mean)).sum() / spread if spread > 0 else 0.0
        intercept = y_mean - slope * x_mean
        expected[usable] = intercept + slope * x
        difference = expected[usable] - y  # positive: fewer «2» than expected
        sd = difference.std()
        if sd > 0:
            residual[usable] = difference / sd
        regression = {
            "intercept": float(intercept),
            "slope": float(slope),
            "residual_sd": float(sd),
            "schools": int(usable.sum()),
        }
    worse = ~np.isnan(residual) & (residual <= -1)
    worse &= ~small | (low > expected)
    return {
        "actual": actual,
        "expected": expected,
        "residual": residual,
        "results": results,
        "small": small,
        "interval": (low, high),
        "worse": worse,
        "regression": regression,
    }


class PassportColumns:
    """Passports of one year as columns — the codes and one float array per indicator (NaN
    where unknown) — read from the database in one query, no object per school. Iterates
    over its codes like the mapping :func:`identify` also takes."""

    def __init__(self, codes: list[str], columns: dict[str, np.ndarray], years=None):
        self.codes, self.columns, self.years = codes, columns, years

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def indicator(self, name: str) -> np.ndarray:
        column = self.columns.get(name)
        return np.full(len(self.codes), np.nan) if column is None else column


def indicator(passports: Mapping | PassportColumns, name: str) -> np.ndarray:
    if isinstance(passports, PassportColumns):
        return passports.indicator(name)
    values = [p.get(name) for p in passports.values()]
    try:
        # None becomes NaN; numbers, Decimals and booleans convert in C.
        return np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        return np.array([_as_float(v) for v in values], dtype=np.float64)


def _as_float(value) -> float:
    if value is None or value == "":
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan
