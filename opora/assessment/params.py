"""The parameters of an identification methodology (:class:`Params`); the defaults are the
region's default methodology. The computation is :mod:`opora.assessment.engine`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields

INDICATORS = (
    "share_special_needs",
    "share_non_native",
    "share_low_income",
    "share_single_parent",
    "is_rural",
    "is_small",
)
#: What comparison schools may also share with the school, beside a near context index.
COMPARISON_FILTERS = {
    "is_rural": "того же типа поселения (город или село)",
    "is_small": "того же размера (малокомплектная или нет)",
}
INDICATOR_LABELS = {
    "share_special_needs": "доля обучающихся с ОВЗ",
    "share_non_native": "доля инофонов",
    "share_low_income": "доля малоимущих семей",
    "share_single_parent": "доля неполных семей",
    "is_rural": "сельская школа",
    "is_small": "малокомплектная школа",
}
# Parameters of the former bias rule (top share of 4–5 and a rise of the mean mark), still
# in stored methodologies: read and ignored.
LEGACY_PARAMS = frozenset({"bias_top_share", "bias_mean_rise"})
POOLING = {"": "не объединять", "grades": "по классам года", "years": "по годам окна"}


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
    # Absolute thresholds per indicator ({"share_low_income": 0.30}): when given, a school is
    # ШНСУ when any of its indicators reaches its threshold, instead of the top quarter.
    context_absolute: dict[str, float] = field(default_factory=dict)
    # A passport older than the list year is used only this many years back.
    passport_max_age: int = 1
    bias_min_pupils: int = 10
    bias_margin: float = 0.15
    exclude_biased: bool = False
    pool_small: str = ""
    comparison_schools: int = 10
    # Comparison schools also of the same settlement type and/or size ("is_rural", "is_small").
    comparison_filters: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> Params:
        """Build from a stored dict; missing keys take the defaults, unknown keys are refused."""
        names = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k not in LEGACY_PARAMS}
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
        params.context_absolute = {
            k: float(v) for k, v in dict(params.context_absolute or {}).items()
        }
        return params

    def weight(self, indicator: str) -> float:
        return float(self.context_weights.get(indicator, 1.0))

    def errors(self) -> list[str]:  # noqa: PLR0912 - one check per parameter
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
        problems.extend(self._signal_errors())
        return problems

    def _signal_errors(self) -> list[str]:
        problems = []
        if not 1 <= self.bias_min_pupils <= 10_000:
            problems.append("Минимум учеников в ячейке для признака необъективности — от 1.")
        if not 0 <= self.bias_margin <= 1:
            problems.append("Запас над долей региона для признака необъективности — от 0 до 1.")
        if self.pool_small not in POOLING:
            problems.append("Объединение малых ячеек — «grades», «years» или пусто.")
        if not 1 <= self.comparison_schools <= 100:
            problems.append("Число школ для сравнения — от 1 до 100.")
        if any(f not in COMPARISON_FILTERS for f in self.comparison_filters):
            problems.append("Отбор школ для сравнения — по «is_rural» и (или) «is_small».")
        if any(i not in INDICATORS for i in self.context_absolute):
            problems.append("Абсолютные пороги ШНСУ: неизвестный показатель.")
        if not 0 <= self.passport_max_age <= 10:
            problems.append("Допустимый возраст паспорта — от 0 до 10 лет.")
        return problems
