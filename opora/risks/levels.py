"""Each factor's level for a school, with the reason — computed from the region's rules.

A rule reads one figure of the school:

* ``questionnaire`` — from the latest campaign that asked the question with the rule's code
  and reached the school: the share of respondents who chose ``option`` («Нет»), or the mean
  of a scale or number; a group under the anonymity minimum (5; the head's own answer counts
  alone) gives no figure;
* ``passport`` — a field of the school's latest passport (``part_time_ratio``,
  ``share_special_needs`` …);
* ``results`` — from the latest year of assessment results: ``share_2`` (share of marks «2»)
  or ``mean_mark``.

The figure is compared with the thresholds (``≥`` when more is worse, ``≤`` when less is);
the factor's level is the highest of its rules. A factor none of whose rules has a figure has
no level («нет данных»): that is said, not guessed. Diagnostics of teachers are not in Opora
yet; when they are, they become one more source.

Three to five queries for any number of schools (the overview reads 300 schools at once).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count

from opora.assessment.selectors import school_year_totals
from opora.core.formatting import percent
from opora.registry.models import SchoolPassport
from opora.risks.defaults import factors as reference_factors
from opora.risks.models import Direction, Level, RiskFactor, RiskRule, Source
from opora.surveys.models import Answer, Audience, Campaign
from opora.surveys.results import MIN_GROUP

PASSPORT_FIELDS = {
    "part_time_ratio": "коэффициент совместительства",
    "share_special_needs": "доля обучающихся с ОВЗ",
    "share_non_native": "доля инофонов",
    "share_low_income": "доля малоимущих семей",
    "share_single_parent": "доля неполных семей",
    "pupils": "число обучающихся",
    "teachers": "число педагогов",
}
RESULT_METRICS = {"share_2": "доля отметок «2»", "mean_mark": "средняя отметка"}


def is_share(rule: RiskRule) -> bool:
    return bool(rule.option) or rule.key.startswith("share_")


def figure(rule: RiskRule, value: float | Decimal | None) -> str:
    if value is None:
        return "—"
    if is_share(rule):
        return percent(float(value))
    return f"{float(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")


def what(rule: RiskRule) -> str:
    """«доля ответа «Нет» на вопрос equipment», «коэффициент совместительства» …"""
    if rule.source == Source.QUESTIONNAIRE:
        if rule.option:
            return f"доля ответа «{rule.option}» на вопрос «{rule.key}»"
        return f"среднее по вопросу «{rule.key}»"
    if rule.source == Source.PASSPORT:
        return PASSPORT_FIELDS.get(rule.key, rule.key)
    return RESULT_METRICS.get(rule.key, rule.key)


def level_of(rule: RiskRule, value: float) -> Level:
    v = Decimal(str(value))
    if rule.direction == Direction.HIGHER:
        steps = [(rule.high, Level.HIGH), (rule.medium, Level.MEDIUM), (rule.low, Level.LOW)]
        return next((lvl for t, lvl in steps if v >= t), Level.NONE)
    steps = [(rule.high, Level.HIGH), (rule.medium, Level.MEDIUM), (rule.low, Level.LOW)]
    return next((lvl for t, lvl in steps if v <= t), Level.NONE)


def thresholds(rule: RiskRule) -> str:
    op = "≥" if rule.direction == Direction.HIGHER else "≤"
    return (
        f"высокий {op} {figure(rule, rule.high)}, средний {op} {figure(rule, rule.medium)}, "
        f"низкий {op} {figure(rule, rule.low)}"
    )


@dataclass
class Reading:
    rule: RiskRule
    value: float | None
    level: Level | None
    source: str  # where the figure came from, in words
    note: str = ""  # why there is no figure

    @property
    def reason(self) -> str:
        # Not str.capitalize(): it would write «ОВЗ» as «овз».
        subject = what(self.rule)
        subject = subject[:1].upper() + subject[1:]
        if self.value is None:
            return f"{subject}: {self.note or 'нет данных'}."
        return (
            f"{subject} — {figure(self.rule, self.value)} "
            f"({self.source}): {self.level.label} ({thresholds(self.rule)})."
        )


@dataclass
class FactorLevel:
    factor: RiskFactor
    readings: list[Reading] = field(default_factory=list)

    @property
    def level(self) -> Level | None:
        known = [r.level for r in self.readings if r.level is not None]
        return max(known) if known else None

    @property
    def label(self) -> str:
        return Level(self.level).label if self.level is not None else "нет данных"


def _questionnaire_figures(school_ids, rules) -> dict:
    """{(school, code, option): (value, source text) or (None, note)}: the latest campaign
    that asked the coded question of each school (one audience of it: the one that answered
    most, when a questionnaire was shared by several)."""
    codes = {r.key for r in rules if r.source == Source.QUESTIONNAIRE}
    if not codes or not school_ids:
        return {}
    answers = Answer.objects.filter(school_id__in=school_ids, question__code__in=codes)
    keys = ("school_id", "question__code", "campaign_id", "audience")
    groups = {
        tuple(g[k] for k in keys): g
        for g in answers.values(*keys).annotate(
            respondents=Count("response_id", distinct=True), mean=Avg("number")
        )
    }
    options = {
        (*(o[k] for k in keys), o["option"]): o["n"]
        for o in answers.exclude(option="")
        .values(*keys, "option")
        .annotate(n=Count("response_id", distinct=True))
    }
    campaigns = {
        c.pk: c
        for c in Campaign.objects.filter(pk__in={k[2] for k in groups}).prefetch_related(
            "audiences__questionnaire"
        )
    }
    latest: dict[tuple[int, str], dict] = {}
    for (school_id, code, campaign_id, _audience), g in groups.items():
        c = campaigns[campaign_id]
        current = latest.get((school_id, code))
        if current is None or (c.ends_on, c.pk, g["respondents"]) > (
            campaigns[current["campaign_id"]].ends_on,
            current["campaign_id"],
            current["respondents"],
        ):
            latest[(school_id, code)] = g
    result = {}
    for rule in rules:
        if rule.source != Source.QUESTIONNAIRE:
            continue
        for school_id in school_ids:
            g = latest.get((school_id, rule.key))
            if g is None:
                continue
            sending = campaigns[g["campaign_id"]].sending(g["audience"])
            n = g["respondents"]
            limit = 1 if g["audience"] == Audience.HEAD else MIN_GROUP
            source = (
                f"анкета «{sending.questionnaire.title}», {sending.get_audience_display()}, "
                f"ответили {n}"
            )
            if n < limit:
                result[(school_id, rule.key, rule.option)] = (
                    None,
                    f"ответили {n} — меньше {limit}, ответы не учитываются",
                )
            elif rule.option:
                chosen = options.get((*(g[k] for k in keys), rule.option), 0)
                result[(school_id, rule.key, rule.option)] = (chosen / n, source)
            elif g["mean"] is not None:
                result[(school_id, rule.key, rule.option)] = (float(g["mean"]), source)
    return result


def _passport_figures(school_ids) -> dict[int, SchoolPassport]:
    latest = {}
    for passport in SchoolPassport.objects.filter(school_id__in=school_ids).order_by("year"):
        latest[passport.school_id] = passport
    return latest


def _result_figures(school_ids) -> dict[int, dict]:
    """Of each school, its latest year of loaded results: the share of «2», the mean mark
    and the participants (the cells summed by the assessment app's selector)."""
    latest = {}
    for school_id, years in school_year_totals(school_ids).items():
        for year in sorted(years):
            r = years[year]
            marks = r["n2"] + r["n3"] + r["n4"] + r["n5"]
            if not marks:
                continue
            latest[school_id] = {
                "year": year,
                "share_2": r["n2"] / marks,
                "mean_mark": (2 * r["n2"] + 3 * r["n3"] + 4 * r["n4"] + 5 * r["n5"]) / marks,
                "participants": r["participants"],
            }
    return latest


def _reading(rule, school_id, answers, passports, results) -> Reading:
    if rule.source == Source.QUESTIONNAIRE:
        value, text = answers.get(
            (school_id, rule.key, rule.option), (None, "анкетирования не было")
        )
        return _judged(rule, value, text)
    if rule.source == Source.PASSPORT:
        passport = passports.get(school_id)
        value = getattr(passport, rule.key, None) if passport else None
        if value is None:
            return Reading(rule, None, None, "", "в паспорте школы не указано")
        return _judged(rule, float(value), f"паспорт {passport.year}/{passport.year + 1}")
    data = results.get(school_id)
    if data is None or rule.key not in data:
        return Reading(rule, None, None, "", "результатов нет")
    return _judged(
        rule, data[rule.key], f"результаты {data['year']} года, участников {data['participants']}"
    )


def _judged(rule, value, text) -> Reading:
    if value is None:
        return Reading(rule, None, None, "", text)
    return Reading(rule, value, level_of(rule, value), text)


def profiles(school_ids: list[int]) -> dict[int, list[FactorLevel]]:
    """{school id: the twelve factors with their readings} for the given schools."""
    factors = reference_factors()
    rules = list(RiskRule.objects.all())
    by_factor = defaultdict(list)
    for rule in rules:
        by_factor[rule.factor_id].append(rule)
    answers = _questionnaire_figures(school_ids, rules)
    passports = _passport_figures(school_ids)
    results = _result_figures(school_ids)
    return {
        school_id: [
            FactorLevel(
                factor,
                [
                    _reading(rule, school_id, answers, passports, results)
                    for rule in by_factor[factor.pk]
                ],
            )
            for factor in factors
        ]
        for school_id in school_ids
    }
