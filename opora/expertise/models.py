"""Criteria sets and the expertise of programmes.

The tables keep the names they had in the former ``reviews`` app (``db_table``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class CriteriaPurpose(models.TextChoices):
    MUNICIPAL_EXPERTISE = "municipal_expertise", "экспертиза муниципальных программ и дорожных карт"
    SCHOOL_MONITORING = "school_monitoring", "мониторинг школьных программ"
    EXIT_REQUIREMENTS = "exit_requirements", "требования к программе перехода в эффективный режим"


class CriteriaSet(models.Model):
    name = models.CharField("название", max_length=300)
    purpose = models.CharField("назначение", max_length=30, choices=CriteriaPurpose.choices)
    year = models.PositiveSmallIntegerField("год")
    description = models.TextField("описание", blank=True)
    is_active = models.BooleanField("действует", default=True)
    history = HistoricalRecords(table_name="reviews_historicalcriteriaset")

    class Meta:
        db_table = "reviews_criteriaset"
        verbose_name = "набор критериев"
        verbose_name_plural = "наборы критериев"
        ordering = ["-year", "purpose", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class CriterionGroup(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("группа", max_length=300)
    history = HistoricalRecords(table_name="reviews_historicalcriteriongroup")

    class Meta:
        db_table = "reviews_criteriongroup"
        verbose_name = "группа критериев"
        verbose_name_plural = "группы критериев"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("критерий")
    guidance = models.TextField("пояснение для эксперта", blank=True)
    scale_max = models.PositiveSmallIntegerField(
        "максимальный балл", default=1, help_text="Шкала 0–1 или 0–2 и т. п."
    )
    weight = models.DecimalField("вес", max_digits=4, decimal_places=2, default=1)
    topic = models.CharField(
        "обязательная тема (для автоматической проверки)",
        max_length=300,
        blank=True,
        help_text="Если заполнено, предпроверка ищет мероприятия карты на эту тему.",
    )
    history = HistoricalRecords(table_name="reviews_historicalcriterion")

    class Meta:
        db_table = "reviews_criterion"
        verbose_name = "критерий"
        verbose_name_plural = "критерии"
        ordering = ["group__order", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class ExpertiseStatus(models.TextChoices):
    OPEN = "open", "идёт экспертиза"
    CLOSED = "closed", "завершена"


class Expertise(models.Model):
    roadmap = models.ForeignKey(
        "roadmaps.Roadmap",
        verbose_name="программа (дорожная карта)",
        on_delete=models.CASCADE,
        related_name="expertises",
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name="критерии", on_delete=models.PROTECT, related_name="expertises"
    )
    status = models.CharField(
        max_length=10, choices=ExpertiseStatus.choices, default=ExpertiseStatus.OPEN
    )
    due_date = models.DateField("срок", null=True, blank=True)
    conclusion = models.TextField("заключение", blank=True)
    recommendations = models.TextField("рекомендации", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(table_name="reviews_historicalexpertise")

    class Meta:
        db_table = "reviews_expertise"
        verbose_name = "экспертиза"
        verbose_name_plural = "экспертизы"
        ordering = ["-created_at"]

    # The protocol shows every expert's scores: it is seen by those who may see them.
    document_permissions = {
        "view": "expertise.view_expertise_scores",
        "change": "expertise.manage_expertise",
    }

    def __str__(self) -> str:
        return f"Экспертиза: {self.roadmap}"

    def get_absolute_url(self) -> str:
        return reverse("expertise:expertise_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == ExpertiseStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == ExpertiseStatus.CLOSED


class ExpertAssignment(models.Model):
    expertise = models.ForeignKey(Expertise, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_assignments"
    )
    submitted_at = models.DateTimeField("оценки отправлены", null=True, blank=True)
    history = HistoricalRecords(table_name="reviews_historicalexpertassignment")

    class Meta:
        db_table = "reviews_expertassignment"
        verbose_name = "назначение эксперта"
        verbose_name_plural = "назначения экспертов"
        constraints = [
            models.UniqueConstraint(
                fields=["expertise", "expert"], name="one_assignment_per_expert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.expertise}"


class Score(models.Model):
    assignment = models.ForeignKey(
        ExpertAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField("балл")
    comment = models.TextField("комментарий", blank=True)
    history = HistoricalRecords(table_name="reviews_historicalscore")

    class Meta:
        db_table = "reviews_score"
        verbose_name = "оценка"
        verbose_name_plural = "оценки"
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
