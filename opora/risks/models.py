"""Risk profiles of the 500+ project: the twelve factors, the rules that set each factor's
level for a school, the risks a school chooses as its priorities and the measures against them.

Levels are not stored: they are computed from the rules whenever asked (``levels.py``), so an
edited rule or a new questionnaire shows at once, with its reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Level(models.IntegerChoices):
    NONE = 0, "нет риска"
    LOW = 1, "низкий"
    MEDIUM = 2, "средний"
    HIGH = 3, "высокий"


class RiskFactor(models.Model):
    code = models.SlugField("код", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("фактор риска", max_length=300)
    description = models.TextField("что это значит", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "фактор риска"
        verbose_name_plural = "факторы риска"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Source(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", "ответы на анкету"
    PASSPORT = "passport", "паспорт школы"
    RESULTS = "results", "результаты оценочных процедур"


class Direction(models.TextChoices):
    HIGHER = "higher", "чем больше, тем выше риск"
    LOWER = "lower", "чем меньше, тем выше риск"


class RiskRule(models.Model):
    """One measure of a factor and its thresholds: the factor's level is the highest its rules
    give. Example: «доля ответов «Нет» на вопрос с кодом equipment ≥ 50 % — высокий»."""

    factor = models.ForeignKey(RiskFactor, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField(default=0)
    source = models.CharField("источник", max_length=20, choices=Source.choices)
    key = models.CharField(
        "что берётся",
        max_length=50,
        help_text="Код вопроса анкеты, поле паспорта или показатель результатов.",
    )
    option = models.CharField(
        "доля ответа",
        max_length=300,
        blank=True,
        help_text="Для анкеты: доля этого варианта среди ответивших; пусто — среднее значение.",
    )
    direction = models.CharField(
        "направление", max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    high = models.DecimalField("порог высокого", max_digits=10, decimal_places=4)
    medium = models.DecimalField("порог среднего", max_digits=10, decimal_places=4)
    low = models.DecimalField("порог низкого", max_digits=10, decimal_places=4)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "правило уровня риска"
        verbose_name_plural = "правила уровней риска"
        ordering = ["factor__order", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.factor}: {self.key}"


class PriorityRisk(models.Model):
    """A risk the school chose to work on this year; it needs measures in its programme."""

    school = models.ForeignKey("registry.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("учебный год")
    factor = models.ForeignKey(RiskFactor, on_delete=models.PROTECT, related_name="priorities")
    note = models.TextField("почему выбран", blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "приоритетный риск"
        verbose_name_plural = "приоритетные риски"
        ordering = ["factor__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "factor"], name="risks_one_priority_per_factor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.factor}"


class RiskMeasure(models.Model):
    """An event of the school's roadmap (programme) named as a measure against a priority risk."""

    priority = models.ForeignKey(PriorityRisk, on_delete=models.CASCADE, related_name="measures")
    event = models.ForeignKey(
        "roadmaps.RoadmapEvent", on_delete=models.CASCADE, related_name="risk_measures"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "антирисковая мера"
        verbose_name_plural = "антирисковые меры"
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "event"], name="risks_one_measure_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.priority.factor}: {self.event}"
