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
* Signs of biased results: a cell in Y whose share of marks 4–5 is in the region's top 10 %
  for its grade and subject (≥ the 90th percentile) and whose mean mark rose by 0.5 or more
  since the same school, grade and subject in Y−1. A school with such a cell is flagged; the
  flag only removes it from the list when ``exclude_biased`` is set.

Everything is vectorised with numpy: 40 000 schools (≈1.2 M cells) take well under a second
after :func:`opora.assessment.store.cells` has counted the Parquet files.
:func:`reference_sql` computes the same ШНОР list in plain DuckDB SQL, as a check and as
the benchmark's yardstick.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opora.core.formatting import percent

INDICATORS = (
    "share_special_needs",
    "share_non_native",
    "share_low_income",
    "share_single_parent",
    "is_rural",
    "is_small",
)
INDICATOR_LABELS = {
    "share_special_needs": "доля обучающихся с ОВЗ",
    "share_non_native": "доля инофонов",
    "share_low_income": "доля малоимущих семей",
    "share_single_parent": "доля неполных семей",
    "is_rural": "сельская школа",
    "is_small": "малокомплектная школа",
}
# Below this many results in the year a school's share of «2» is too uncertain to rank.
SMALL_SCHOOL_RESULTS = 50
WILSON_Z = 1.959963984540054  # 95 %
# Mean marks are ratios; a rise of exactly 0.5 must not fail on the last binary digit.
MEAN_RISE_TOLERANCE = 1e-9


@dataclass
class Params:
    """A methodology's parameters; the defaults are the region's default methodology."""

    procedures: list[str] = field(default_factory=lambda: ["ВПР"])
    grades: list[int] | None = field(default_factory=lambda: [4, 5, 6, 7, 8])
    subjects: list[str] | None = None
    min_participants: int = 5
    percentile: float = 90.0
    min_threshold: float = 0.10
    min_cells: int = 2
    low_cell_share: float = 0.5
    years_back: int = 2
    low_years_required: int = 2
    context_indicators: list[str] = field(default_factory=lambda: list(INDICATORS))
    context_weights: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(INDICATORS, 1.0)
    )
    context_percentile: float = 75.0
    bias_top_share: float = 0.10
    bias_mean_rise: float = 0.5
    exclude_biased: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> Params:
        """Build from a stored dict; missing keys take the defaults, unknown keys are refused."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"Неизвестные параметры методики: {', '.join(unknown)}.")
        params = cls(**{k: v for k, v in data.items() if k in names})
        # Numbers arrive from forms and JSON: a word where a number belongs is refused in
        # Russian here rather than crashing the computation later.
        defaults = cls()
        for name in names:
            default = getattr(defaults, name)
            value = getattr(params, name)
            if isinstance(default, bool) or not isinstance(default, int | float):
                continue
            try:
                setattr(params, name, type(default)(value))
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"Параметр «{name}»: ожидается число, получено «{value}»."
                ) from exc
        params.procedures = list(params.procedures)
        params.grades = None if params.grades is None else [int(g) for g in params.grades]
        params.subjects = None if params.subjects is None else list(params.subjects)
        params.context_indicators = list(params.context_indicators)
        params.context_weights = {k: float(v) for k, v in dict(params.context_weights).items()}
        return params

    def weight(self, indicator: str) -> float:
        return float(self.context_weights.get(indicator, 1.0))

    def errors(self) -> list[str]:
        """What is wrong with the parameters, in Russian (empty when they can be used)."""
        problems = []
        if not self.procedures:
            problems.append("Нужна хотя бы одна процедура.")
        if self.grades is not None and (
            not self.grades or not all(1 <= g <= 11 for g in self.grades)
        ):
            problems.append("Классы — от 1 до 11 (или все).")
        if not 1 <= self.min_participants <= 10_000:
            problems.append("Минимум участников в ячейке — от 1 до 10 000.")
        if not 0 <= self.percentile <= 100:
            problems.append("Процентиль — от 0 до 100.")
        if not 0 <= self.min_threshold <= 1:
            problems.append("Минимальный порог — доля от 0 до 1.")
        if not 1 <= self.min_cells <= 1000:
            problems.append("Минимум ячеек школы — от 1 до 1000.")
        if not 0 < self.low_cell_share <= 1:
            problems.append("Доля низких ячеек — больше 0 и не больше 1.")
        if not 0 <= self.years_back <= 10:
            problems.append("Число предыдущих лет — от 0 до 10.")
        if not 1 <= self.low_years_required <= self.years_back + 1:
            problems.append("Число лет с низкими результатами — от 1 до числа лет окна.")
        unknown = [i for i in self.context_indicators if i not in INDICATORS]
        if unknown:
            problems.append("Неизвестные показатели контекста: " + ", ".join(unknown) + ".")
        if any(self.weight(i) < 0 for i in self.context_indicators):
            problems.append("Веса показателей контекста — не меньше 0.")
        if not 0 <= self.context_percentile <= 100:
            problems.append("Процентиль индекса контекста — от 0 до 100.")
        if not 0 < self.bias_top_share <= 1:
            problems.append("Доля «верхних» школ для признака необъективности — от 0 до 1.")
        return problems


class LowCell(NamedTuple):
    year: int
    subject: str
    grade: int
    share: float
    threshold: float
    participants: int


class BiasedCell(NamedTuple):
    subject: str
    grade: int
    share_45: float
    top_threshold: float
    mean_before: float
    mean_now: float


class Threshold(NamedTuple):
    year: int
    grade: int
    subject: str
    percentile_value: float
    threshold: float
    cells: int


@dataclass
class SchoolExplanation:
    """Why a school is (not) on the lists of a year — every number the decision used."""

    code: str
    year: int
    window: list[int]
    low_years: list[int]
    cells_total: dict[int, int]
    low_cells_total: dict[int, int]
    low_cells: list[LowCell]
    low_results: bool
    unfavourable: bool
    biased: bool
    biased_cells: list[BiasedCell]
    context_index: float | None
    context_threshold: float | None
    actual_share: float | None
    expected_share: float | None
    residual: float | None
    participants: int
    small: bool
    interval: tuple[float, float] | None
    worse_than_expected: bool
    params: Params = field(repr=False, default_factory=Params)

    @property
    def flags(self) -> list[str]:
        names = [
            ("low_results", self.low_results),
            ("unfavourable", self.unfavourable),
            ("biased", self.biased),
            ("worse_than_expected", self.worse_than_expected),
            ("small", self.small),
        ]
        return [name for name, on in names if on]

    def lines_ru(self) -> list[str]:
        p = self.params
        lines = []
        window = f"{self.window[0]}–{self.window[-1]}" if len(self.window) > 1 else str(self.year)
        years = ", ".join(str(y) for y in self.low_years) or "нет"
        if self.low_results:
            lines.append(
                f"ШНОР в {self.year} году: низкие результаты в годы {years} "
                f"(нужно в {self.year} году и не менее чем в {p.low_years_required} из {window})."
            )
        else:
            lines.append(
                f"Не ШНОР в {self.year} году: годы с низкими результатами — {years} "
                f"(нужно в {self.year} году и не менее чем в {p.low_years_required} из {window})."
            )
        for year in sorted(self.cells_total, reverse=True):
            total, low = self.cells_total[year], self.low_cells_total.get(year, 0)
            lines.append(
                f"{year}: низких ячеек {low} из {total} "
                f"(школа низкая, если их не меньше {percent(p.low_cell_share)} "
                f"и всего ячеек не меньше {p.min_cells})."
            )
            for cell in self.low_cells:
                if cell.year == year:
                    lines.append(
                        f"  {cell.subject}, {cell.grade} класс: доля «2» — {percent(cell.share)} "
                        f"при пороге {percent(cell.threshold)} ({cell.participants} уч.)"
                    )
        if self.context_index is None:
            lines.append("Индекс социального контекста: нет данных паспорта школы.")
        else:
            verdict = "ШНСУ" if self.unfavourable else "не ШНСУ"
            lines.append(
                f"Индекс социального контекста: {_decimal(self.context_index)} "
                f"(порог ШНСУ {_decimal(self.context_threshold)}) — {verdict}."
            )
        if self.actual_share is not None and self.expected_share is not None:
            lines.append(
                f"Доля «2» в {self.year} году — {percent(self.actual_share)} при ожидаемой "
                f"для таких условий {percent(self.expected_share)}"
                + (
                    f" (остаток {_decimal(self.residual, 1)} ст. откл.; отрицательный — хуже ожидаемого)"
                    if self.residual is not None
                    else ""
                )
                + (": заметно хуже ожидаемого." if self.worse_than_expected else ".")
            )
        if self.small and self.interval is not None:
            lines.append(
                f"Мало результатов ({self.participants}): доля «2» с 95-процентным интервалом "
                f"{percent(self.interval[0])} – {percent(self.interval[1])}, "
                "сравнение неточное."
            )
        for cell in self.biased_cells:
            lines.append(
                f"Признак необъективности: {cell.subject}, {cell.grade} класс — доля «4» и «5» "
                f"{percent(cell.share_45)} (верхние {percent(p.bias_top_share)} региона, "
                f"порог {percent(cell.top_threshold)}), средняя отметка выросла с "
                f"{_decimal(cell.mean_before)} до {_decimal(cell.mean_now)}."
            )
        return lines

    def text_ru(self) -> str:
        return "\n".join(self.lines_ru())


def _decimal(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}".replace(".", ",").replace("-", "−")


@dataclass
class Identification:
    """The outcome of a run: the lists (sorted codes) and everything to explain them."""

    year: int
    params: Params
    low_results: list[str]
    unfavourable: list[str]
    biased: list[str]
    worse_than_expected: list[str]
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


def _grouped_quantile(values: np.ndarray, groups: np.ndarray, n_groups: int, q: float):
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


def _wilson(successes: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z2 = WILSON_Z**2
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half = WILSON_Z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _column(table: pa.Table, name: str, dtype) -> np.ndarray:
    return table[name].to_numpy().astype(dtype, copy=False)


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    encoded = pc.dictionary_encode(column).combine_chunks()
    return encoded.indices.to_numpy(), encoded.dictionary.to_pylist()


class PassportColumns:
    """Passports of one year as columns — the codes and one float array per indicator (NaN
    where unknown) — read from the database in one query, no object per school. Iterates
    over its codes like the mapping :func:`identify` also takes."""

    def __init__(self, codes: list[str], columns: dict[str, np.ndarray]):
        self.codes, self.columns = codes, columns

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def indicator(self, name: str) -> np.ndarray:
        column = self.columns.get(name)
        return np.full(len(self.codes), np.nan) if column is None else column


def identify(
    cells: pa.Table,
    passports: Mapping[str, Mapping[str, float | None]] | PassportColumns,
    params: Params,
    year: int,
    *,
    previous_year_cells: pa.Table | None = None,
) -> Identification:
    """Apply the methodology to per-cell aggregates (:func:`store.cells`) for ``year``.

    ``cells`` needs ``school_code, year, grade, subject, participants, n2…n5`` (and
    ``procedure`` when several are stored). ``passports`` maps a school code to its
    indicators of the year (``None`` or a missing key = not known); the region's schools are
    those of ``passports`` plus those with results. ``previous_year_cells`` (Y−1) is only
    needed for the bias flag when ``cells`` does not already hold Y−1.
    """
    first_year = year - params.years_back
    wanted_years = set(range(first_year, year + 1)) | {year - 1}
    table = _filtered(cells, params, wanted_years)
    previous = None
    if previous_year_cells is not None:
        previous = _filtered(previous_year_cells, params, {year - 1})
        table = table.filter(pc.not_equal(table["year"], year - 1))
        table = pa.concat_tables([table, previous.select(table.column_names).cast(table.schema)])

    school, codes = _codes(table["school_code"])
    subject, subject_names = _codes(table["subject"])
    cell_year = _column(table, "year", np.int64)
    grade = _column(table, "grade", np.int64)
    participants = _column(table, "participants", np.int64)
    n2, n3, n4, n5 = (_column(table, k, np.int64) for k in ("n2", "n3", "n4", "n5"))
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

    # Step 3: low years per school.
    key = w_school * years_in_window + w_year
    total = np.bincount(key, minlength=n_schools * years_in_window)
    total = total.reshape(n_schools, years_in_window)
    low_count = np.bincount(key, weights=low, minlength=n_schools * years_in_window)
    low_count = low_count.astype(np.int64).reshape(n_schools, years_in_window)
    with np.errstate(invalid="ignore", divide="ignore"):
        low_fraction = low_count / total
    low_year = (total >= params.min_cells) & (total > 0) & (low_fraction >= params.low_cell_share)

    # Step 4: ШНОР.
    low_results = low_year[:, -1] & (low_year.sum(axis=1) >= params.low_years_required)

    # Step 5: context index and ШНСУ.
    index, context_threshold = _context(passports, codes, code_index, params)
    unfavourable = np.zeros(n_schools, dtype=bool)
    if context_threshold is not None:
        unfavourable = ~np.isnan(index) & (index >= context_threshold)

    # Signs of bias (Y against Y−1, same cells).
    biased_cell, bias_rows, top_thresholds, mean_before = _bias(
        params, year, school, cell_year, grade, subject, participants, n2, n3, n4, n5, n_subjects
    )
    biased = np.zeros(n_schools, dtype=bool)
    biased[school[bias_rows[biased_cell]]] = True
    if params.exclude_biased:
        low_results &= ~biased

    # Context-fair view on year Y.
    now = w_year == years_in_window - 1
    results_now = np.bincount(w_school[now], weights=w_participants[now], minlength=n_schools)
    twos_now = np.bincount(w_school[now], weights=w_n2[now], minlength=n_schools)
    fair = _fair_view(results_now, twos_now, index)

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
        low_cells=(
            w_school[low],
            w_year[low] + first_year,
            w_grade[low],
            w_subject[low],
            share[low],
            cell_threshold[low],
            w_participants[low],
        ),
        bias_cells=_bias_cells(
            biased_cell,
            bias_rows,
            school,
            grade,
            subject,
            participants,
            n4,
            n5,
            top_thresholds,
            mean_before,
            n2,
            n3,
        ),
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


def _filtered(cells: pa.Table, params: Params, years: set[int]) -> pa.Table:
    table = cells.select(_CELL_SCHEMA.names).cast(_CELL_SCHEMA)
    mask = pc.is_in(table["year"], pa.array(sorted(years), pa.int64()))
    mask = pc.and_(mask, pc.greater_equal(table["participants"], params.min_participants))
    mask = pc.and_(mask, pc.greater(table["participants"], 0))
    if "procedure" in cells.column_names:
        wanted = pa.array(params.procedures, pa.string())
        mask = pc.and_(mask, pc.is_in(pc.cast(cells["procedure"], pa.string()), wanted))
    if params.grades is not None:
        mask = pc.and_(mask, pc.is_in(table["grade"], pa.array(params.grades, pa.int64())))
    if params.subjects is not None:
        mask = pc.and_(mask, pc.is_in(table["subject"], pa.array(params.subjects, pa.string())))
    if "procedure" in cells.column_names and len(params.procedures) > 1:
        # Cells of different procedures never share a threshold: «РМ: Математика».
        label = pc.binary_join_element_wise(
            pc.cast(cells["procedure"], pa.string()), table["subject"], ": "
        )
        table = table.set_column(table.column_names.index("subject"), "subject", label)
    return table.filter(mask)


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


def _indicator(passports: Mapping | PassportColumns, name: str) -> np.ndarray:
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


def _bias(
    params, year, school, cell_year, grade, subject, participants, n2, n3, n4, n5, n_subjects
):
    """Cells of Y in the top share of 4–5 for their grade and subject whose mean mark rose."""
    now = np.flatnonzero(cell_year == year)
    before = np.flatnonzero(cell_year == year - 1)
    empty = np.zeros(0, dtype=bool)
    if not len(now) or not len(before):
        return empty, now[:0], np.zeros(0), np.zeros(0)
    share_45 = (n4[now] + n5[now]) / participants[now]
    group = grade[now] * n_subjects + subject[now]
    n_groups = 16 * n_subjects
    top, _ = _grouped_quantile(share_45, group, n_groups, 1 - params.bias_top_share)
    top_threshold = top[group]
    in_top = share_45 >= top_threshold

    def mean(rows):
        marks = 2 * n2[rows] + 3 * n3[rows] + 4 * n4[rows] + 5 * n5[rows]
        return marks / participants[rows]

    cell_key = (school * 16 + grade) * n_subjects + subject
    before_keys = cell_key[before]
    order = np.argsort(before_keys)
    sorted_keys = before_keys[order]
    position = np.searchsorted(sorted_keys, cell_key[now])
    position = np.minimum(position, len(sorted_keys) - 1)
    matched = sorted_keys[position] == cell_key[now]
    mean_before = mean(before[order][position])
    rise = mean(now) - mean_before
    flagged = in_top & matched & (rise >= params.bias_mean_rise - MEAN_RISE_TOLERANCE)
    return flagged, now, top_threshold, mean_before


def _bias_cells(flagged, rows, school, grade, subject, participants, n4, n5, top, before, n2, n3):
    picked = np.flatnonzero(flagged)
    r = rows[picked]
    marks = 2 * n2[r] + 3 * n3[r] + 4 * n4[r] + 5 * n5[r]
    return (
        school[r],
        grade[r],
        subject[r],
        (n4[r] + n5[r]) / participants[r],
        top[picked],
        before[picked],
        marks / participants[r],
    )


def _fair_view(results: np.ndarray, twos: np.ndarray, index: np.ndarray) -> dict:
    n = len(results)
    with np.errstate(invalid="ignore", divide="ignore"):
        actual = np.where(results > 0, twos / results, np.nan)
    low, high = _wilson(twos, np.where(results > 0, results, np.nan))
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
    bias_cells: tuple
    _by_school: dict | None = None

    @property
    def explanations(self) -> Mapping[str, SchoolExplanation]:
        return _Explanations(self)

    def _grouped(self) -> dict:
        if self._by_school is None:
            self._by_school = {
                "low": _rows_by_school(self.low_cells[0]),
                "bias": _rows_by_school(self.bias_cells[0]),
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
        b_school, b_grade, b_subject, b_share, b_top, b_before, b_now = self.bias_cells
        biased_cells = [
            BiasedCell(
                self.subject_names[b_subject[r]],
                int(b_grade[r]),
                float(b_share[r]),
                float(b_top[r]),
                float(b_before[r]),
                float(b_now[r]),
            )
            for r in grouped["bias"].get(i, [])
        ]
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
            biased_cells=biased_cells,
            context_index=None if np.isnan(index) else float(index),
            context_threshold=self.context_threshold,
            actual_share=_optional(fair["actual"][i]),
            expected_share=_optional(fair["expected"][i]),
            residual=_optional(fair["residual"][i]),
            participants=int(fair["results"][i]),
            small=bool(fair["small"][i]),
            interval=interval,
            worse_than_expected=bool(fair["worse"][i]),
            params=p,
        )

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
    passports: Mapping[str, Mapping[str, float | None]] | PassportColumns,
    params: Params,
    year: int,
    batch_ids: list[int] | None = None,
) -> Identification:
    """Identify from the Parquet store: count the cells, then :func:`identify`."""
    from opora.assessment import store

    table = store.cells(
        root,
        procedure=params.procedures,
        years=window_years(params, year),
        min_participants=params.min_participants,
        batch_ids=batch_ids,
        grades=params.grades,
        subjects=params.subjects,
    )
    return identify(table, passports, params, year)
