"""Protocols of interviews with municipal authorities (seed 000) and the tasks they give.

The tables keep the names they had in the former ``reviews`` app (``db_table``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from opora.recommendations.models import RecommendationStatus


class InterviewProtocol(models.Model):
    """A protocol of interviews with municipal authorities (seed 000)."""

    title = models.TextField("заголовок")
    place = models.CharField("место", max_length=300, blank=True)
    chairman = models.CharField("председатель", max_length=300, blank=True)
    secretary = models.CharField("секретарь", max_length=300, blank=True)
    participants = models.JSONField("участники", default=list, blank=True)
    agenda = models.JSONField("повестка", default=list, blank=True)
    document_number = models.CharField("номер письма/протокола", max_length=50, blank=True)
    document_date = models.DateField("дата документа", null=True, blank=True)
    revision_due = models.DateField("срок представления доработанных карт", null=True, blank=True)
    source_name = models.CharField("исходный файл", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(table_name="reviews_historicalinterviewprotocol")

    class Meta:
        db_table = "reviews_interviewprotocol"
        verbose_name = "протокол собеседований"
        verbose_name_plural = "протоколы собеседований"
        ordering = ["-created_at"]

    # The protocol lists every municipality: a user who sees only some gets an excerpt.
    document_permissions = {
        "view": "interviews.view_whole_interviewprotocol",
        "change": "interviews.change_interviewprotocol",
    }

    def __str__(self) -> str:
        return self.title[:100]

    def get_absolute_url(self) -> str:
        return reverse("interviews:protocol_detail", args=[self.pk])


class Interview(models.Model):
    protocol = models.ForeignKey(
        InterviewProtocol, on_delete=models.CASCADE, related_name="interviews"
    )
    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.PROTECT, related_name="interviews"
    )
    date = models.DateField("дата собеседования")
    order = models.PositiveSmallIntegerField(default=0)
    name_as_written = models.CharField("муниципалитет (как в документе)", max_length=300)
    participants = models.TextField("участники от муниципалитета", blank=True)
    history = HistoricalRecords(table_name="reviews_historicalinterview")

    class Meta:
        db_table = "reviews_interview"
        verbose_name = "собеседование"
        verbose_name_plural = "собеседования"
        ordering = ["date", "order"]

    def __str__(self) -> str:
        return f"{self.municipality} — {self.date:%d.%m.%Y}"


class ProtocolAssignment(models.Model):
    """«Поручения ТОИПКРО»: tasks given to an organisation by the protocol."""

    protocol = models.ForeignKey(
        InterviewProtocol, on_delete=models.CASCADE, related_name="assignments"
    )
    order = models.PositiveSmallIntegerField(default=0)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    addressee = models.CharField("кому (как в документе)", max_length=300)
    text = models.TextField("поручение")
    items = models.JSONField("пункты", default=list, blank=True)
    due_date = models.DateField("срок", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    history = HistoricalRecords(table_name="reviews_historicalprotocolassignment")

    class Meta:
        db_table = "reviews_protocolassignment"
        verbose_name = "поручение"
        verbose_name_plural = "поручения"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.text[:100]
