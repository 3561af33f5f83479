"""The identification methodology: which schools are ШНОР and ШНСУ in a year, and why.

The default methodology («Региональная методика (по умолчанию)», :class:`Params` defaults):

1. Cells — (school, grade, subject) of the procedure ВПР in years Y−2…Y with at least 5
   participants; a cell's low share is its share of marks «2».
2. For each year, grade and subject, threshold = max(90th percentile of the low share over
   the region's cells — linear interpolation, numpy's default and DuckDB's
   ``quantile_cont`` — , 0.10). A cell is low when its share ≥ the threshold.
3. A school is low in a year when it has at least 2 cells that year and at least half of its
   cells are low.
4. A school is ШНОР in Y when it is low in Y and in at least 2 of the years Y−2…Y.
5. ШНСУ: the context index is the weighted mean of the z-scores of the passport indicators
   (population standard deviation over the region's schools that have the indicator). A
   school missing some indicators gets the mean over the ones it has; a school with none
   has no index and is never ШНСУ. A school is ШНСУ when its index ≥ the 75th percentile.

Beyond the lists:

* Context-fair view: a least-squares line of each school's share of «2» in Y (all its cells
  pooled) on its context index. ``residual`` = (expected share − actual share) / standard
  deviation of these differences, so **negative means worse than schools in similar
  conditions** (more «2» than expected) and ≤ −1 is «much worse». A small school (fewer
  than :data:`SMALL_SCHOOL_RESULTS` results) counts as much worse only when its whole 95 %
  Wilson interval lies above the expected share — it is shown with that interval, not
  ranked as if exact.
* Signs of biased results, read from the journal marks: in each year of the window, the
  share of a school's pupils' results whose ВПР mark is above their journal mark, over its
  cells of at least ``bias_min_pupils`` pupils (smaller cells never make a flag). Two
  yardsticks: the region's share of the year, and the share of the schools of similar ВПР
  results — the schools the signal reads that year cut into groups of equal size by their
  mean ВПР mark (up to 10 groups of at least 30 schools; the median share of the group). A
  year is «high» when the whole 95 % Wilson interval of the school's share lies above the
  larger yardstick plus ``bias_margin``. A school is flagged in Y when Y is high, or when
  its years pooled are high against the pupil-weighted yardsticks and Y's share itself is
  above Y's line (persistence: a school that inflates every year by a little less than one
  year can show). The flag only removes a school from the list when ``exclude_biased`` is
  set.
* Small schools: cells under ``min_participants`` are left out of steps 1–4 but not out of
  the explanation — a school's share of «2» is over all its results, the cells left out are
  named, and a school whose cells are all small gets its pooled share over the window with a
  Wilson interval against the region's share. ``pool_small`` («grades» / «years») pools a
  school's small cells of a subject over grades of a year (or over the window's years for a
  grade) and judges the pooled cell against the participant-weighted mean of the thresholds
  of the cells it pools.

Everything is vectorised with numpy: 40 000 schools (≈1.2 M cells) take well under a second
after :func:`opora.assessment.store.cells` has counted the Parquet files.
:func:`reference_sql` computes the same ШНОР list in plain DuckDB SQL, as a check and as
the benchmark's yardstick.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opora.assessment.explaining import (
    BiasYear as BiasYear,
)
from opora.assessment.explaining import (
    Comparison as Comparison,
)
from opora.assessment.explaining import (
    LeftOutCell as LeftOutCell,
)
from opora.assessment.explaining import (
    LowCell as LowCell,
)
from opora.assessment.explaining import (
    SchoolExplanation as SchoolExplanation,
)
from opora.assessment.explaining import (
    Threshold as Threshold,
)
from opora.assessment.explaining import (
    _bias_line as _bias_line,
)
from opora.assessment.explaining import (
    _decimal as _decimal,
)
from opora.assessment.explaining import (
    _grade_label as _grade_label,
)
from opora.assessment.explaining import (
    _marks_range as _marks_range,
)

# The parameters and the statistics live apart; their names stay importable from here.
from opora.assessment.params import COMPARISON_FILTERS as COMPARISON_FILTERS
from opora.assessment.params import INDICATOR_LABELS as INDICATOR_LABELS
from opora.assessment.params import INDICATORS as INDICATORS
from opora.assessment.params import LEGACY_PARAMS as LEGACY_PARAMS
from opora.assessment.params import POOLING as POOLING
from opora.assessment.params import Params as Params
from opora.assessment.signals import SMALL_SCHOOL_RESULTS as SMALL_SCHOOL_RESULTS
from opora.assessment.signals import PassportColumns as PassportColumns
from opora.assessment.signals import bias_signal as _bias_signal
from opora.assessment.signals import fair_view as _fair_view
from opora.assessment.signals import grouped_quantile as _grouped_quantile
from opora.assessment.signals import indicator as _indicator
from opora.assessment.signals import is_in as _is_in
from opora.assessment.signals import pool_small as _pool_small
from opora.assessment.signals import quantile as quantile
from opora.assessment.signals import wilson as _wilson


@dataclass
class Identification:
    """The outcome of a run: the lists (sorted codes) and everything to explain them."""

    year: int
    params: Params
    low_results: list[str]
    unfavourable: list[str]
    biased: list[str]
    worse_than_expected: list[str]
    not_assessed: list[str]
    thresholds: list[Threshold]
    context_threshold: float | None
    regression: dict | None
    _state: _State = field(repr=False)

    @property
    def explanations(self) -> Mapping[str, SchoolExplanation]:
        """Per school code, built on first access (a region has tens of thousands)."""
        return self._state.explanations

    def explain(self, code: str) -> SchoolExplanation:
        return self._state.explanations[code]

    def fair_table(self) -> dict[str, dict[str, int]]:
        """2×2: ШНОР or not × much worse than expected or not (schools with a residual)."""
        return self._state.fair_table()

    def to_dict(self) -> dict:
        return {
            "year": self.year,
            "low_results": self.low_results,
            "unfavourable": self.unfavourable,
            "biased": self.biased,
        }


def compare(a: Identification, b: Identification, list_name: str = "low_results") -> dict:
    """How list ``list_name`` changed from run ``a`` to run ``b``: sorted codes that entered,
    left and stayed."""
    before, after = set(getattr(a, list_name)), set(getattr(b, list_name))
    return {
        "entered": sorted(after - before),
        "left": sorted(before - after),
        "stayed": sorted(before & after),
    }


# ---------------------------------------------------------------- the computation


def _column(table: pa.Table, name: str, dtype) -> np.ndarray:
    return table[name].to_numpy().astype(dtype, copy=False)


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """Each row's number and the texts numbered, in the order first seen."""
    if pa.types.is_dictionary(column.type):
        found = _used_codes(column)
        if found is not None:
            return found
        column = pc.cast(column, pa.string())
    encoded = pc.dictionary_encode(column).combine_chunks()
    return encoded.indices.to_numpy(), encoded.dictionary.to_pylist()


def _used_codes(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]] | None:
    """:func:`_codes` of a dictionary column without making a text per row: the values its
    rows use, in the order first seen (None when that order is not cheap to tell)."""
    if column.num_chunks != 1 or column.null_count:
        return None
    array = column.chunk(0)
    indices = array.indices.to_numpy(zero_copy_only=False)
    size = len(array.dictionary)
    if not len(indices):
        return np.zeros(0, dtype=np.int64), []
    used = np.flatnonzero(np.bincount(indices, minlength=size))
    if not bool(np.all(indices[1:] >= indices[:-1])):  # rows not in dictionary order
        if len(used) > SMALL_DICTIONARY:
            return None
        used = used[np.argsort([int(np.argmax(indices == v)) for v in used])]
    number = np.zeros(size, dtype=np.int64)
    number[used] = np.arange(len(used), dtype=np.int64)
    return number[indices], array.dictionary.take(pa.array(used)).to_pylist()


# A dictionary column of at most this many values used (subjects, procedures) is numbered in
# order of first sight by one scan per value.
SMALL_DICTIONARY = 64


def _plain(table: pa.Table) -> pa.Table:
    """The table with its dictionary columns as plain texts."""
    for position, name in enumerate(table.column_names):
        if pa.types.is_dictionary(table.schema.field(name).type):
            table = table.set_column(position, name, pc.cast(table[name], pa.string()))
    return table


def identify(  # noqa: PLR0915 - the steps of the methodology, in order
    cells: pa.Table,
    passports: Mapping[str, Mapping[str, float | None]] | PassportColumns,
    params: Params,
    year: int,
    *,
    previous_year_cells: pa.Table | None = None,
    term_cells: pa.Table | None = None,
) -> Identification:
    """Apply the methodology to per-cell aggregates (:func:`store.cells`) for ``year``.

    ``cells`` needs ``school_code, year, grade, subject, participants, n2…n5`` (and
    ``procedure`` when several are stored). ``passports`` maps a school code to its
    indicators of the year (``None`` or a missing key = not known); the region's schools are
    those of ``passports`` plus those with results. ``previous_year_cells`` (Y−1) is only
    kept for callers that pass Y−1 apart. ``term_cells`` (:func:`store.term_cells`) carries
    the journal marks the bias signal reads; without it no school is flagged. Cells of every
    size may be passed: those under ``min_participants`` are left out of the lists and kept
    for the explanations.
    """
    first_year = year - params.years_back
    wanted_years = set(range(first_year, year + 1)) | {year - 1}
    raw = _filtered(cells, params, wanted_years, min_participants=1)
    if previous_year_cells is not None:
        raw = _plain(raw)
        previous = _plain(_filtered(previous_year_cells, params, {year - 1}, min_participants=1))
        raw = raw.filter(pc.not_equal(raw["year"], year - 1))
        raw = pa.concat_tables([raw, previous.select(raw.column_names).cast(raw.schema)])

    school_all, codes = _codes(raw["school_code"])
    subject_all, subject_names = _codes(raw["subject"])
    year_all = _column(raw, "year", np.int64)
    grade_all = _column(raw, "grade", np.int64)
    participants_all = _column(raw, "participants", np.int64)
    n2_all = _column(raw, "n2", np.int64)
    regular = participants_all >= params.min_participants
    school, subject, cell_year = school_all[regular], subject_all[regular], year_all[regular]
    grade, participants, n2 = grade_all[regular], participants_all[regular], n2_all[regular]
    code_index = {c: i for i, c in enumerate(codes)}
    for c in passports:
        if c not in code_index:
            code_index[c] = len(codes)
            codes.append(c)
    n_schools = len(codes)
    n_subjects = max(len(subject_names), 1)
    years_in_window = params.years_back + 1

    # Steps 1–2: thresholds per (year, grade, subject) over the window's cells.
    in_window = (cell_year >= first_year) & (cell_year <= year)
    w_school = school[in_window]
    w_year = cell_year[in_window] - first_year
    w_grade, w_subject = grade[in_window], subject[in_window]
    w_participants, w_n2 = participants[in_window], n2[in_window]
    share = w_n2 / w_participants
    group = (w_year * 16 + w_grade) * n_subjects + w_subject
    n_groups = years_in_window * 16 * n_subjects
    percentile_value, group_sizes = _grouped_quantile(
        share, group, n_groups, params.percentile / 100
    )
    threshold = np.maximum(percentile_value, params.min_threshold)
    cell_threshold = threshold[group]
    low = share >= cell_threshold
    low_cells = (
        w_school[low],
        w_year[low] + first_year,
        w_grade[low],
        w_subject[low],
        share[low],
        cell_threshold[low],
        w_participants[low],
    )

    # Cells under the minimum: named in the explanations, pooled when the methodology asks.
    small_rows = ~regular & (year_all >= first_year) & (year_all <= year)
    left_out = (
        school_all[small_rows],
        year_all[small_rows],
        grade_all[small_rows],
        subject_all[small_rows],
        participants_all[small_rows],
        n2_all[small_rows],
    )

    # Step 3: low years per school.
    key = w_school * years_in_window + w_year
    total = np.bincount(key, minlength=n_schools * years_in_window)
    low_count = np.bincount(key, weights=low, minlength=n_schools * years_in_window)
    if params.pool_small and small_rows.any():
        pooled = _pool_small(params, left_out, first_year, threshold, n_subjects)
        p_key = pooled[0] * years_in_window + (pooled[1] - first_year)
        p_low = pooled[4] >= pooled[5]
        total = total + np.bincount(p_key, minlength=n_schools * years_in_window)
        low_count = low_count + np.bincount(
            p_key, weights=p_low, minlength=n_schools * years_in_window
        )
        low_cells = tuple(
            np.concatenate([mine, theirs[p_low]])
            for mine, theirs in zip(low_cells, pooled, strict=True)
        )
    total = total.reshape(n_schools, years_in_window)
    low_count = low_count.astype(np.int64).reshape(n_schools, years_in_window)
    with np.errstate(invalid="ignore", divide="ignore"):
        low_fraction = low_count / total
    low_year = (total >= params.min_cells) & (total > 0) & (low_fraction >= params.low_cell_share)

    # Step 4: ШНОР.
    low_results = low_year[:, -1] & (low_year.sum(axis=1) >= params.low_years_required)

    # Step 5: context index and ШНСУ (the top quarter, or absolute thresholds when given).
    index, context_threshold = _context(passports, codes, code_index, params)
    unfavourable = np.zeros(n_schools, dtype=bool)
    if params.context_absolute and passports:
        rows = np.fromiter((code_index[c] for c in passports), np.int64, len(passports))
        for name, limit in params.context_absolute.items():
            unfavourable[rows] |= np.nan_to_num(_indicator(passports, name), nan=-1) >= limit
    elif context_threshold is not None:
        unfavourable = ~np.isnan(index) & (index >= context_threshold)
    traits = _traits(passports, code_index, n_schools, params.comparison_filters)
    passport_year = np.full(n_schools, -1)
    if isinstance(passports, PassportColumns) and passports.years is not None:
        passport_year[[code_index[c] for c in passports.codes]] = passports.years

    # Signs of bias: ВПР marks above the journal marks, year by year.
    mean_mark = _mean_marks(raw, school_all, year_all, first_year, n_schools, years_in_window)
    bias = _bias_signal(
        term_cells, params, first_year, code_index, n_schools, years_in_window, mean_mark
    )
    biased = bias["flagged"]
    if params.exclude_biased:
        low_results &= ~biased

    # Context-fair view on year Y, over all of a school's results (small cells too).
    all_window = (year_all >= first_year) & (year_all <= year)
    now = year_all == year
    results_now = np.bincount(school_all[now], weights=participants_all[now], minlength=n_schools)
    twos_now = np.bincount(school_all[now], weights=n2_all[now], minlength=n_schools)
    fair = _fair_view(results_now, twos_now, index)
    fair["twos"] = twos_now
    window_results = np.bincount(
        school_all[all_window], weights=participants_all[all_window], minlength=n_schools
    )
    window_twos = np.bincount(
        school_all[all_window], weights=n2_all[all_window], minlength=n_schools
    )
    fair["window_results"], fair["window_twos"] = window_results, window_twos
    fair["window_interval"] = _wilson(
        window_twos, np.where(window_results > 0, window_results, np.nan)
    )
    total_results = window_results.sum()
    fair["region_share"] = float(window_twos.sum() / total_results) if total_results else None
    not_assessed = (window_results > 0) & (total.sum(axis=1) == 0)

    state = _State(
        year=year,
        params=params,
        codes=codes,
        code_index=code_index,
        subject_names=subject_names,
        first_year=first_year,
        total=total,
        low_count=low_count,
        low_year=low_year,
        low_results=low_results,
        unfavourable=unfavourable,
        biased=biased,
        index=index,
        context_threshold=context_threshold,
        fair=fair,
        low_cells=low_cells,
        bias=bias,
        left_out=left_out,
        not_assessed=not_assessed,
        passport_year=passport_year,
        traits=traits,
    )
    threshold_rows = [
        Threshold(
            year=first_year + int(g) // (16 * n_subjects),
            grade=int(g) // n_subjects % 16,
            subject=subject_names[int(g) % n_subjects],
            percentile_value=float(percentile_value[g]),
            threshold=float(threshold[g]),
            cells=int(group_sizes[g]),
        )
        for g in np.flatnonzero(group_sizes)
    ]
    pick = np.array(codes, dtype=object)
    return Identification(
        year=year,
        params=params,
        low_results=sorted(pick[low_results].tolist()),
        unfavourable=sorted(pick[unfavourable].tolist()),
        biased=sorted(pick[biased].tolist()),
        worse_than_expected=sorted(pick[fair["worse"]].tolist()),
        not_assessed=sorted(pick[not_assessed].tolist()),
        thresholds=threshold_rows,
        context_threshold=context_threshold,
        regression=fair["regression"],
        _state=state,
    )


_CELL_SCHEMA = pa.schema(
    [
        ("school_code", pa.string()),
        ("year", pa.int64()),
        ("grade", pa.int64()),
        ("subject", pa.string()),
        ("participants", pa.int64()),
        ("n2", pa.int64()),
        ("n3", pa.int64()),
        ("n4", pa.int64()),
        ("n5", pa.int64()),
    ]
)


def _filtered(
    cells: pa.Table, params: Params, years: set[int], min_participants: int | None = None
) -> pa.Table:
    """The cells the methodology reads, in :data:`_CELL_SCHEMA` (a dictionary column of
    codes stays one; subjects become plain texts when they are compared or relabelled)."""
    several = "procedure" in cells.column_names and len(params.procedures) > 1
    kept = {"school_code"} if several else {"school_code", "subject"}
    schema = pa.schema(
        [
            cells.schema.field(f.name)
            if f.name in kept and pa.types.is_dictionary(cells.schema.field(f.name).type)
            else f
            for f in _CELL_SCHEMA
        ]
    )
    table = cells.select(_CELL_SCHEMA.names).cast(schema)
    minimum = params.min_participants if min_participants is None else min_participants
    mask = pc.is_in(table["year"], pa.array(sorted(years), pa.int64()))
    # (Scalars typed here: a bare Python number makes Arrow import a date parser first.)
    mask = pc.and_(mask, pc.greater_equal(table["participants"], pa.scalar(minimum, pa.int64())))
    mask = pc.and_(mask, pc.greater(table["participants"], pa.scalar(0, pa.int64())))
    if "procedure" in cells.column_names:
        mask = pc.and_(mask, _is_in(cells["procedure"], params.procedures))
    if params.grades is not None:
        mask = pc.and_(mask, pc.is_in(table["grade"], pa.array(params.grades, pa.int64())))
    if params.subjects is not None:
        mask = pc.and_(mask, _is_in(table["subject"], params.subjects))
    if several:
        # Cells of different procedures never share a threshold: «РМ: Математика».
        label = pc.binary_join_element_wise(
            pc.cast(cells["procedure"], pa.string()), table["subject"], ": "
        )
        table = table.set_column(table.column_names.index("subject"), "subject", label)
    return table.filter(mask)


def _mean_marks(raw, school, year, first_year, n_schools: int, years: int) -> np.ndarray:
    """Per school and year of the window, the mean ВПР mark over all its cells (NaN where
    it has none) — what «similar results» means for the bias signal."""
    window = (year >= first_year) & (year < first_year + years)
    key = school[window] * years + (year[window] - first_year)
    size = n_schools * years
    marks = sum(
        mark * _column(raw, f"n{mark}", np.int64)[window].astype(np.float64)
        for mark in (2, 3, 4, 5)
    )
    total = np.bincount(key, weights=_column(raw, "participants", np.int64)[window], minlength=size)
    summed = np.bincount(key, weights=marks, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, summed / total, np.nan).reshape(n_schools, years)


def _traits(passports, code_index, n_schools: int, names) -> dict[str, np.ndarray]:
    """Per school, the passport traits comparison schools must share (NaN where unknown)."""
    traits = {}
    for name in names:
        values = np.full(n_schools, np.nan)
        if passports:
            rows = np.fromiter((code_index[c] for c in passports), np.int64, len(passports))
            values[rows] = _indicator(passports, name)
        traits[name] = values
    return traits


def _context(passports, codes, code_index, params: Params):
    """Context index per school (NaN without passport data) and the ШНСУ threshold."""
    n = len(codes)
    indicators = [i for i in params.context_indicators if params.weight(i) > 0]
    index = np.full(n, np.nan)
    if not passports or not indicators:
        return index, None
    rows = np.fromiter((code_index[c] for c in passports), dtype=np.int64, count=len(passports))
    weighted = np.zeros(len(rows))
    weights = np.zeros(len(rows))
    for name in indicators:
        raw = _indicator(passports, name)
        known = ~np.isnan(raw)
        if not known.any():
            continue
        mean = raw[known].mean()
        std = raw[known].std()  # population standard deviation, over the schools that have it
        z = np.where(known, (raw - mean) / std if std > 0 else 0.0, 0.0)
        weight = params.weight(name)
        weighted += np.where(known, weight * z, 0.0)
        weights += np.where(known, weight, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        index[rows] = np.where(weights > 0, weighted / weights, np.nan)
    present = index[~np.isnan(index)]
    if not len(present):
        return index, None
    return index, quantile(present, params.context_percentile / 100)


@dataclass
class _State:
    """Arrays of a run, kept to explain any school on demand."""

    year: int
    params: Params
    codes: list[str]
    code_index: dict[str, int]
    subject_names: list[str]
    first_year: int
    total: np.ndarray
    low_count: np.ndarray
    low_year: np.ndarray
    low_results: np.ndarray
    unfavourable: np.ndarray
    biased: np.ndarray
    index: np.ndarray
    context_threshold: float | None
    fair: dict
    low_cells: tuple
    bias: dict
    left_out: tuple
    not_assessed: np.ndarray
    passport_year: np.ndarray
    traits: dict[str, np.ndarray] = field(default_factory=dict)
    _by_school: dict | None = None
    _groups: dict = field(default_factory=dict)

    @property
    def explanations(self) -> Mapping[str, SchoolExplanation]:
        return _Explanations(self)

    def _grouped(self) -> dict:
        if self._by_school is None:
            self._by_school = {
                "low": _rows_by_school(self.low_cells[0]),
                "left_out": _rows_by_school(self.left_out[0]),
            }
        return self._by_school

    def explain(self, code: str) -> SchoolExplanation:
        i = self.code_index[code]
        p = self.params
        grouped = self._grouped()
        window = list(range(self.first_year, self.year + 1))
        low_cells = []
        school, years, grades, subjects, shares, thresholds, participants = self.low_cells
        for r in grouped["low"].get(i, []):
            low_cells.append(
                LowCell(
                    int(years[r]),
                    self.subject_names[subjects[r]],
                    int(grades[r]),
                    float(shares[r]),
                    float(thresholds[r]),
                    int(participants[r]),
                )
            )
        low_cells.sort(key=lambda c: (-c.year, c.subject, c.grade))
        bias = self.bias
        bias_years = [
            BiasYear(
                y,
                int(bias["pupils"][i, k]),
                int(bias["above"][i, k]),
                float(bias["low"][i, k]),
                float(bias["high"][i, k]),
                float(bias["region"][k]),
                bool(bias["high_year"][i, k]),
                _optional(bias["similar"]["median"][i, k]),
                _optional(bias["similar"]["lowest"][i, k]),
                _optional(bias["similar"]["highest"][i, k]),
                int(bias["similar"]["schools"][i, k]),
            )
            for k, y in enumerate(window)
            if bias["pupils"][i, k] > 0
        ]
        o_school, o_year, o_grade, o_subject, o_participants, o_n2 = self.left_out
        left_out = sorted(
            (
                LeftOutCell(
                    int(o_year[r]),
                    self.subject_names[o_subject[r]],
                    int(o_grade[r]),
                    int(o_participants[r]),
                    int(o_n2[r]),
                )
                for r in grouped["left_out"].get(i, [])
            ),
            key=lambda c: (-c.year, c.subject, c.grade),
        )
        fair = self.fair
        index = self.index[i]
        interval = None
        if fair["results"][i] > 0:
            interval = (float(fair["interval"][0][i]), float(fair["interval"][1][i]))
        return SchoolExplanation(
            code=code,
            year=self.year,
            window=window,
            low_years=[y for k, y in enumerate(window) if self.low_year[i, k]],
            cells_total={
                y: int(self.total[i, k]) for k, y in enumerate(window) if self.total[i, k]
            },
            low_cells_total={
                y: int(self.low_count[i, k]) for k, y in enumerate(window) if self.total[i, k]
            },
            low_cells=low_cells,
            low_results=bool(self.low_results[i]),
            unfavourable=bool(self.unfavourable[i]),
            biased=bool(self.biased[i]),
            bias_years=bias_years,
            context_index=None if np.isnan(index) else float(index),
            context_threshold=self.context_threshold,
            actual_share=_optional(fair["actual"][i]),
            expected_share=_optional(fair["expected"][i]),
            residual=_optional(fair["residual"][i]),
            participants=int(fair["results"][i]),
            small=bool(fair["small"][i]),
            interval=interval,
            worse_than_expected=bool(fair["worse"][i]),
            twos=int(fair["twos"][i]),
            left_out=left_out,
            window_results=int(fair["window_results"][i]),
            window_twos=int(fair["window_twos"][i]),
            window_interval=(
                (float(fair["window_interval"][0][i]), float(fair["window_interval"][1][i]))
                if fair["window_results"][i] > 0
                else None
            ),
            region_share=fair["region_share"],
            not_assessed=bool(self.not_assessed[i]),
            comparisons=self.comparisons(i),
            passport_year=int(self.passport_year[i]) if self.passport_year[i] >= 0 else None,
            params=p,
        )

    def comparisons(self, i: int) -> list[Comparison]:
        """The schools of the nearest context index with a share of «2» in Y — what
        «schools in similar conditions» means for school ``i``: the ``comparison_schools``
        nearest by index among those sharing its traits (a school without a trait is compared
        on the index), ties to the lower position, nearest first."""
        index = self.index
        if np.isnan(index[i]):
            return []
        positions, values = self._comparison_group(i)
        count = len(positions) - (0 if np.isnan(self.fair["actual"][i]) else 1)
        if count <= 0:
            return []
        k = min(self.params.comparison_schools, count)
        at = index[i]
        # The k nearest lie within k places (and the school itself) of its own index in the
        # group sorted by index: the k-th distance is read there, without sorting or
        # partitioning every school of the group for each school explained.
        middle = int(np.searchsorted(values, at))
        low, high = max(0, middle - k - 1), min(len(values), middle + k + 1)
        around = np.abs(values[low:high] - at)[positions[low:high] != i]
        kth = np.partition(around, k - 1)[k - 1]
        # Every school at most that far: a run of the sorted group, found by bisection and
        # widened over any value the rounding of a distance lets in.
        low = int(np.searchsorted(values, at - kth, "left"))
        high = int(np.searchsorted(values, at + kth, "right"))
        while low > 0 and abs(values[low - 1] - at) <= kth:
            low -= 1
        while high < len(values) and abs(values[high] - at) <= kth:
            high += 1
        near = low + np.flatnonzero(np.abs(values[low:high] - at) <= kth)
        near = near[positions[near] != i]
        distance = np.abs(values[near] - at)
        chosen = positions[near]
        closer = chosen[distance < kth]
        level = np.sort(chosen[distance == kth])[: k - len(closer)]
        chosen = np.concatenate([closer, level])
        nearest = chosen[np.lexsort((chosen, np.abs(index[chosen] - at)))]
        actual = self.fair["actual"]
        return [
            Comparison(
                self.codes[j],
                float(index[j]),
                float(actual[j]),
                int(self.fair["results"][j]),
            )
            for j in nearest
        ]

    def _comparison_group(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """The schools ``i`` may be compared with (an index and a share of «2» in Y, its
        traits), as positions and indexes sorted by index then position; one per set of
        traits, made once."""
        key = tuple(None if np.isnan(v[i]) else float(v[i]) for v in self.traits.values())
        found = self._groups.get(key)
        if found is None:
            index, actual = self.index, self.fair["actual"]
            candidates = np.flatnonzero(~np.isnan(index) & ~np.isnan(actual))
            for values, wanted in zip(self.traits.values(), key, strict=True):
                if wanted is not None:
                    candidates = candidates[values[candidates] == wanted]
            order = np.argsort(index[candidates], kind="stable")
            found = self._groups[key] = (candidates[order], index[candidates][order])
        return found

    def fair_table(self) -> dict[str, dict[str, int]]:
        counted = ~np.isnan(self.fair["residual"])
        worse = self.fair["worse"]
        low = self.low_results
        return {
            "low": {
                "worse": int(np.count_nonzero(counted & low & worse)),
                "not_worse": int(np.count_nonzero(counted & low & ~worse)),
            },
            "not_low": {
                "worse": int(np.count_nonzero(counted & ~low & worse)),
                "not_worse": int(np.count_nonzero(counted & ~low & ~worse)),
            },
        }


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _rows_by_school(schools: np.ndarray) -> dict[int, list[int]]:
    order = np.argsort(schools, kind="stable")
    grouped: dict[int, list[int]] = {}
    for row in order.tolist():
        grouped.setdefault(int(schools[row]), []).append(row)
    return grouped


class _Explanations(Mapping):
    def __init__(self, state: _State):
        self._state = state

    def __getitem__(self, code: str) -> SchoolExplanation:
        if code not in self._state.code_index:
            raise KeyError(code)
        return self._state.explain(code)

    def __iter__(self) -> Iterator[str]:
        return iter(self._state.codes)

    def __len__(self) -> int:
        return len(self._state.codes)


# ---------------------------------------------------------------- from the store


def window_years(params: Params, year: int) -> list[int]:
    """The years a run reads: Y−years_back … Y, and Y−1 for the bias flag."""
    return sorted(set(range(year - params.years_back, year + 1)) | {year - 1})


def run(
    root: Path,
    passports: Mapping[str, Mapping[str, float | None]]
    | PassportColumns
    | Callable[[], Mapping | PassportColumns],
    params: Params,
    year: int,
    batch_ids: list[int] | None = None,
) -> Identification:
    """Identify from the Parquet store: count the cells, then :func:`identify`.

    ``passports`` may be a function that reads them (a database query): it is called in
    this thread while the store is counted on others, so the query costs no time of its own.
    """
    from opora.assessment import store

    scope = {
        "procedure": params.procedures,
        "years": window_years(params, year),
        "batch_ids": batch_ids,
        "grades": params.grades,
        "subjects": params.subjects,
    }
    # Every cell size: the small ones are explained, not dropped.
    if callable(passports):
        with ThreadPoolExecutor(1) as pool:
            counting = pool.submit(store.cells_and_terms, root, **scope, dictionary=True)
            passports = passports()
            table, terms = counting.result()
    else:
        table, terms = store.cells_and_terms(root, **scope, dictionary=True)
    return identify(table, passports, params, year, term_cells=terms)
