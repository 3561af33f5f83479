"""What a saved identification says about one school: the cells, thresholds, signals and
comparisons behind its place in the lists, and the Russian text that explains it
(:class:`SchoolExplanation`). Split from :mod:`opora.assessment.engine`, which computes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from opora.assessment.params import COMPARISON_FILTERS, INDICATOR_LABELS, Params
from opora.assessment.signals import wilson as _wilson
from opora.core.formatting import percent
from opora.core.russian.plurals import count


class LowCell(NamedTuple):
    year: int
    subject: str
    grade: int
    share: float
    threshold: float
    participants: int


class BiasYear(NamedTuple):
    """A school's pupils of a year with a journal mark and those whose ВПР mark is higher,
    with the yardsticks: the region's share and the median share of the schools of similar
    ВПР results (their mean marks from ``similar_lowest`` to ``similar_highest``)."""

    year: int
    pupils: int
    above: int
    low: float
    high: float
    region_share: float
    high_year: bool
    similar_share: float | None = None
    similar_lowest: float | None = None
    similar_highest: float | None = None
    similar_schools: int = 0

    @property
    def share(self) -> float:
        return self.above / self.pupils


class LeftOutCell(NamedTuple):
    year: int
    subject: str
    grade: int
    participants: int
    n2: int


class Comparison(NamedTuple):
    code: str
    context_index: float
    share: float
    results: int


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
    bias_years: list[BiasYear]
    context_index: float | None
    context_threshold: float | None
    actual_share: float | None
    expected_share: float | None
    residual: float | None
    participants: int
    small: bool
    interval: tuple[float, float] | None
    worse_than_expected: bool
    twos: int = 0
    left_out: list[LeftOutCell] = field(default_factory=list)
    window_results: int = 0
    window_twos: int = 0
    window_interval: tuple[float, float] | None = None
    region_share: float | None = None
    not_assessed: bool = False
    comparisons: list[Comparison] = field(default_factory=list)
    passport_year: int | None = None
    params: Params = field(repr=False, default_factory=Params)

    @property
    def flags(self) -> list[str]:
        names = [
            ("low_results", self.low_results),
            ("unfavourable", self.unfavourable),
            ("biased", self.biased),
            ("worse_than_expected", self.worse_than_expected),
            ("small", self.small),
            ("not_assessed", self.not_assessed),
        ]
        return [name for name, on in names if on]

    @property
    def window_share(self) -> float | None:
        return self.window_twos / self.window_results if self.window_results else None

    @property
    def above_region(self) -> bool:
        """The whole interval of the pooled share of «2» lies above the region's share."""
        return (
            self.window_interval is not None
            and self.region_share is not None
            and self.window_interval[0] > self.region_share
        )

    def small_school_lines(self) -> list[str]:
        """What a school the methodology could not judge looks like (empty for the others)."""
        if not self.not_assessed:
            return []
        p = self.params
        window = f"{self.window[0]}–{self.window[-1]}" if len(self.window) > 1 else str(self.year)
        lines = [
            "Результаты не оцениваются по методике: во всех ячейках меньше "
            f"{p.min_participants} участников."
        ]
        if self.window_results and self.window_interval is not None:
            verdict = (
                "выше доли региона: нужна проверка вручную"
                if self.above_region
                else "не отличается от доли региона уверенно"
            )
            lines.append(
                f"За {window} годы: доля «2» — {percent(self.window_share)} "
                f"({self.window_twos} из {self.window_results} результатов), 95-процентный "
                f"интервал {percent(self.window_interval[0])} – "
                f"{percent(self.window_interval[1])} при доле региона "
                f"{percent(self.region_share)} — {verdict}."
            )
        return lines

    def lines_ru(self) -> list[str]:
        p = self.params
        lines = []
        window = f"{self.window[0]}–{self.window[-1]}" if len(self.window) > 1 else str(self.year)
        years = ", ".join(str(y) for y in self.low_years) or "нет"
        lines.extend(self.small_school_lines())
        if self.low_results:
            lines.append(
                f"ШНОР в {self.year} году: низкие результаты в годы {years} "
                f"(нужно в {self.year} году и не менее чем в {p.low_years_required} из {window})."
            )
        elif not self.not_assessed:
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
                        f"  {cell.subject}, {_grade_label(cell.grade)}: доля «2» — {percent(cell.share)} "
                        f"при пороге {percent(cell.threshold)} ({cell.participants} уч.)"
                    )
        if self.left_out and not self.not_assessed:
            named = "; ".join(
                f"{c.year}, {c.subject}, {_grade_label(c.grade)} — {c.participants} уч."
                for c in self.left_out
            )
            lines.append(f"Не учтены методикой (меньше {p.min_participants} участников): {named}.")
        passport = f" (паспорт {self.passport_year} года)" if self.passport_year else ""
        if p.context_absolute:
            rule = "; ".join(
                f"{INDICATOR_LABELS.get(k, k)} ≥ {percent(v) if v < 1 else _decimal(v, 0)}"
                for k, v in p.context_absolute.items()
            )
            verdict = "ШНСУ" if self.unfavourable else "не ШНСУ"
            lines.append(f"ШНСУ по абсолютным порогам ({rule}){passport}: {verdict}.")
        elif self.context_index is None:
            lines.append(
                "Индекс социального контекста: нет паспорта "
                f"(не старше {p.passport_max_age} г. до года списка) — в ШНСУ не входит."
            )
        else:
            verdict = "ШНСУ" if self.unfavourable else "не ШНСУ"
            lines.append(
                f"Индекс социального контекста{passport}: {_decimal(self.context_index)} "
                f"(порог ШНСУ {_decimal(self.context_threshold)}) — {verdict}."
            )
        if self.actual_share is not None:
            lines.append(
                f"Доля «2» в {self.year} году — {percent(self.actual_share)} "
                f"({self.twos} из {self.participants} результатов, все ячейки)"
                + (
                    f" при ожидаемой для таких условий {percent(self.expected_share)}"
                    if self.expected_share is not None
                    else ""
                )
                + (
                    f" (остаток {_decimal(self.residual, 1)} ст. откл.; отрицательный — хуже ожидаемого)"
                    if self.residual is not None
                    else ""
                )
                + (": заметно хуже ожидаемого." if self.worse_than_expected else ".")
            )
        if self.comparisons:
            mean = sum(c.share for c in self.comparisons) / len(self.comparisons)
            also = "".join(f", {COMPARISON_FILTERS[f]}" for f in self.params.comparison_filters)
            lines.append(
                f"Школы в похожих условиях ({len(self.comparisons)}, ближайшие по индексу "
                f"контекста{also}): средняя доля «2» — {percent(mean)}."
            )
        if self.small and self.interval is not None:
            lines.append(
                f"Мало результатов ({self.participants}): доля «2» с 95-процентным интервалом "
                f"{percent(self.interval[0])} – {percent(self.interval[1])}, "
                "сравнение неточное."
            )
        if self.biased:
            lines.append(_bias_line(self.bias_years, p))
        return lines

    def text_ru(self) -> str:
        return "\n".join(self.lines_ru())


def _bias_line(bias_years: list[BiasYear], p: Params) -> str:
    """Why a school is flagged: each year's share of results with the ВПР mark above the
    journal mark, its interval and pupils, beside the region's and the similar schools'."""
    high = [b for b in bias_years if b.high_year]
    years = []
    for b in bias_years:
        similar = ""
        if b.similar_share is not None:
            similar = (
                f", у похожих по результатам ВПР школ {percent(b.similar_share)} (медиана "
                f"{count(b.similar_schools, 'школы', 'школ', 'школ')} со средней отметкой "
                f"{_marks_range(b.similar_lowest, b.similar_highest)})"
            )
        years.append(
            f"{b.year} — {percent(b.share)} ({b.above} из "
            f"{count(b.pupils, 'результата', 'результатов', 'результатов')} учеников, "
            f"95-процентный интервал {percent(b.low)} – {percent(b.high)}; "
            f"по региону {percent(b.region_share)}{similar})"
        )
    margin = f"{_decimal(p.bias_margin * 100, 0)} п. п."
    pupils, above = sum(b.pupils for b in bias_years), sum(b.above for b in bias_years)
    (low,), (high_end,) = _wilson(np.array([above]), np.array([pupils]))
    years.append(
        f"за {count(len(bias_years), 'год', 'года', 'лет')} вместе — {percent(above / pupils)} "
        f"({above} из {pupils}, интервал {percent(low)} – {percent(high_end)})"
    )
    if high:
        why = (
            f"Нижняя граница интервала выше и доли региона, и доли похожих школ более чем на "
            f"{margin} в {len(high)} из {len(bias_years)} лет"
            + (" — постоянно." if len(high) == len(bias_years) > 1 else ".")
        )
    else:
        why = (
            "Ни один год отдельно не выше порога, но за годы вместе нижняя граница интервала "
            f"выше доли региона и похожих школ более чем на {margin}, и в последнем году доля "
            "тоже выше — устойчивое завышение."
        )
    return (
        "Признак необъективности (по ячейкам от "
        f"{count(p.bias_min_pupils, 'ученика', 'учеников', 'учеников')}): доля результатов, "
        "где отметка ВПР выше отметки по журналу, " + "; ".join(years) + ". " + why
    )


def _marks_range(lowest: float | None, highest: float | None) -> str:
    low, high = _decimal(lowest, 1), _decimal(highest, 1)
    return low if low == high else f"{low}–{high}"


def _grade_label(grade: int) -> str:
    return "все классы" if grade == 0 else f"{grade} класс"


def _decimal(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}".replace(".", ",").replace("-", "−")
