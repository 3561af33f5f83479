"""Risk profiles: every write — the school's priority risks and their measures, the region's
rules."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.core.calendar import current_year
from opora.registry.models import School
from opora.risks.levels import PASSPORT_FIELDS, RESULT_METRICS
from opora.risks.models import (
    Direction,
    PriorityRisk,
    RiskFactor,
    RiskMeasure,
    RiskRule,
    Source,
)
from opora.roadmaps.models import RoadmapEvent

MAX_PRIORITIES = 5


@transaction.atomic
def set_priorities(user, school: School, factor_ids: list[int], notes: dict[int, str]) -> int:
    """The school's priority risks of this year become exactly ``factor_ids`` (at most
    :data:`MAX_PRIORITIES`); a dropped one loses its measures with it.

    Example: factors «Низкая учебная мотивация обучающихся» and «Низкий уровень вовлечённости
    родителей», each with a note why.
    """
    _require(user, "risks.choose_priorities", school)
    chosen = {f.pk: f for f in RiskFactor.objects.filter(pk__in=factor_ids)}
    if len(chosen) != len(set(factor_ids)):
        raise ValidationError("Неизвестный фактор риска.")
    if len(chosen) > MAX_PRIORITIES:
        raise ValidationError(
            f"Приоритетных рисков — не больше {MAX_PRIORITIES}: выберите главные."
        )
    year = current_year()
    current = {
        p.factor_id: p
        for p in PriorityRisk.objects.select_for_update().filter(school=school, year=year)
    }
    for factor_id, priority in current.items():
        if factor_id not in chosen:
            _stamp(priority, user).delete()
    for factor_id, factor in chosen.items():
        note = (notes.get(factor_id) or "").strip()[:2000]
        priority = current.get(factor_id)
        if priority is None:
            _stamp(
                PriorityRisk(school=school, year=year, factor=factor, note=note, chosen_by=user),
                user,
            ).save()
        elif priority.note != note:
            priority.note = note
            _stamp(priority, user).save(update_fields=["note"])
    return len(chosen)


@transaction.atomic
def add_measure(user, priority: PriorityRisk, event: RoadmapEvent) -> RiskMeasure:
    """Name an event of the school's own programme as a measure against a priority risk."""
    _require(user, "risks.change_priorityrisk", priority)
    if event.roadmap.level != "school" or event.roadmap.school_id != priority.school_id:
        raise ValidationError("Мерой может быть только мероприятие программы своей школы.")
    if event.is_cancelled:
        raise ValidationError("Мероприятие отменено — выберите действующее.")
    measure, created = RiskMeasure.objects.get_or_create(priority=priority, event=event)
    if not created:
        raise ValidationError("Это мероприятие уже названо мерой против этого риска.")
    return measure


@transaction.atomic
def remove_measure(user, measure: RiskMeasure) -> None:
    _require(user, "risks.change_priorityrisk", measure.priority)
    _stamp(measure, user).delete()


def _check_rule(rule: RiskRule) -> None:
    if rule.source not in Source.values or rule.direction not in Direction.values:
        raise ValidationError("Выберите источник и направление.")
    rule.key = (rule.key or "").strip()
    rule.option = (rule.option or "").strip()
    if not rule.key:
        raise ValidationError("Укажите, что берётся: код вопроса, поле паспорта или показатель.")
    if rule.source == Source.PASSPORT and rule.key not in PASSPORT_FIELDS:
        raise ValidationError(
            "В паспорте школы нет такого поля. Можно: " + ", ".join(PASSPORT_FIELDS) + "."
        )
    if rule.source == Source.RESULTS and rule.key not in RESULT_METRICS:
        raise ValidationError("Показатели результатов: " + ", ".join(RESULT_METRICS) + ".")
    if rule.source != Source.QUESTIONNAIRE:
        rule.option = ""
    ordered = [Decimal(rule.low), Decimal(rule.medium), Decimal(rule.high)]
    if rule.direction == Direction.LOWER:
        ordered.reverse()
    if ordered != sorted(ordered):
        raise ValidationError(
            "Пороги не по порядку: когда больше — хуже, низкий ≤ средний ≤ высокий; "
            "когда меньше — хуже, наоборот."
        )


@transaction.atomic
def save_rule(user, factor: RiskFactor, *, rule: RiskRule | None = None, **fields) -> RiskRule:
    """Add a rule to ``factor`` or change ``rule``: source, key, option, direction and the
    three thresholds (shares as fractions: 0.3 is 30 %)."""
    _require(user, "risks.change_riskrule", rule)
    if rule is None:
        rule = RiskRule(factor=factor, order=factor.rules.count() + 1)
    for name in ("source", "key", "option", "direction", "high", "medium", "low"):
        if name in fields:
            setattr(rule, name, fields[name])
    _check_rule(rule)
    _stamp(rule, user).save()
    return rule


@transaction.atomic
def delete_rule(user, rule: RiskRule) -> None:
    _require(user, "risks.change_riskrule", rule)
    _stamp(rule, user).delete()
