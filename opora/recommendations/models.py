"""Recommendations, the centre of the review loop: criterion → review → recommendation → the
roadmap event that carries it out → evidence → closed.

A recommendation is given by an expertise or an interview (one of the two keys is set), or to
one school by whoever works with it (a curator's visit: ``school`` and ``given_at``), and is
tracked here. The tables keep the names they had in the former ``reviews`` app (``db_table``).
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class RecommendationTemplate(models.Model):
    """The catalogue: recommendations repeat across municipalities."""

    text = models.TextField("рекомендация")
    key = models.CharField("нормализованный текст", max_length=500, unique=True)
    history = HistoricalRecords(table_name="reviews_historicalrecommendationtemplate")

    class Meta:
        db_table = "reviews_recommendationtemplate"
        verbose_name = "рекомендация из каталога"
        verbose_name_plural = "каталог рекомендаций"
        ordering = ["text"]

    def __str__(self) -> str:
        return self.text[:100]


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "открыта"
    IN_WORK = "in_work", "в работе"
    DONE = "done", "выполнена"
    NOT_APPLICABLE = "not_applicable", "неприменима"


class Recommendation(models.Model):
    interview = models.ForeignKey(
        "interviews.Interview",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    expertise = models.ForeignKey(
        "expertise.Expertise", null=True, blank=True, on_delete=models.CASCADE, related_name="given"
    )
    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.PROTECT, related_name="recommendations"
    )
    #: Addressed to one school (a curator's visit): the school sees it and reports on it.
    school = models.ForeignKey(
        "registry.School",
        verbose_name="школа",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    #: Where it was given when neither an interview nor an expertise gave it
    #: («методический выезд куратора 12 марта 2026 г.»).
    given_at = models.CharField("где дана", max_length=300, blank=True)
    template = models.ForeignKey(
        RecommendationTemplate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uses",
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("рекомендация")
    raw = models.TextField("как написано", blank=True)
    status = models.CharField(
        "состояние",
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    due_date = models.DateField("срок", null=True, blank=True)
    events = models.ManyToManyField(
        "roadmaps.RoadmapEvent",
        verbose_name="мероприятия, которые её исполняют",
        blank=True,
        related_name="recommendations",
    )
    evidence = models.TextField("подтверждение", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(table_name="reviews_historicalrecommendation")

    class Meta:
        db_table = "reviews_recommendation"
        verbose_name = "рекомендация"
        verbose_name_plural = "рекомендации"
        ordering = ["municipality__name", "order"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.text[:100]
