"""Implementation monitoring (seed 004): checklists, campaigns, the schools' sheets and answers.

The tables keep the names they had in the former ``reviews`` app (``db_table``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class DetailKind(models.TextChoices):
    TEXT = "text", "текст"
    GRADES = "grades", "охваченные классы"
    FORMS = "forms", "формы работы"
    LINKS = "links", "ссылки"
    DOCUMENT_DATE = "document_date", "дата документа"
    LEGAL_BASE = "legal_base", "устаревшая нормативная база"


class FindingLayout(models.TextChoices):
    """How the order writes the details the schools gave for an item (seed 004 uses all four)."""

    BRACKETS = "brackets", "школы через запятую, подробности в скобках"
    PARAGRAPHS = "paragraphs", "отдельный абзац о каждой школе"
    BY_VALUE = "by_value", "школы по значениям (например, по конкурсам)"
    LIST = "list", "перечень по школам после вводной фразы"


class ChecklistTemplate(models.Model):
    name = models.CharField("название", max_length=300)
    is_default = models.BooleanField("по умолчанию", default=False)
    history = HistoricalRecords(table_name="reviews_historicalchecklisttemplate")

    class Meta:
        db_table = "reviews_checklisttemplate"
        verbose_name = "шаблон чек-листа"
        verbose_name_plural = "шаблоны чек-листов"

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("пункт")
    finding = models.TextField(
        "формулировка в приказе",
        blank=True,
        help_text="Начало абзаца приказа, после которого перечисляются школы: «Проводятся "
        "дополнительные занятия … в ООУ №».",
    )
    instruction = models.TextField(
        "поручение школам, где пункт не выполнен",
        blank=True,
    )
    detail_kinds = models.JSONField("виды подробностей", default=list, blank=True)
    # Seed 004 numbers its findings 1–9, but a finding often reports several checks
    # («проанализированы причины … в ООУ № 5, 11 …, сформулированы цели … в ООУ № 11 …»):
    # each check is an item, and the items of one section make one paragraph of the order.
    section = models.PositiveSmallIntegerField(
        "пункт приказа",
        default=1,
        help_text="Пункты чек-листа с одним номером образуют один абзац приказа.",
    )
    partly_finding = models.TextField(
        "формулировка для частичного выполнения",
        blank=True,
        help_text="«в процессе разработки находятся …»: после неё перечисляются школы, "
        "ответившие «частично».",
    )
    layout = models.CharField(
        "как писать подробности",
        max_length=20,
        choices=FindingLayout.choices,
        default=FindingLayout.BRACKETS,
    )
    history = HistoricalRecords(table_name="reviews_historicalchecklistitem")

    class Meta:
        db_table = "reviews_checklistitem"
        verbose_name = "пункт чек-листа"
        verbose_name_plural = "пункты чек-листа"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.text[:80]


class CampaignStatus(models.TextChoices):
    OPEN = "open", "идёт мониторинг"
    CLOSED = "closed", "завершён"


class MonitoringCampaign(models.Model):
    title = models.CharField("название", max_length=500)
    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.PROTECT, related_name="campaigns"
    )
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT)
    period_text = models.CharField(
        "период", max_length=200, help_text="«1 полугодие 2020-2021 учебного года»"
    )
    due_date = models.DateField("срок заполнения")
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(table_name="reviews_historicalmonitoringcampaign")

    class Meta:
        db_table = "reviews_monitoringcampaign"
        verbose_name = "мониторинг реализации программ"
        verbose_name_plural = "мониторинги реализации программ"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("monitoring:campaign_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "заполняется"
    SUBMITTED = "submitted", "отправлен"
    RETURNED = "returned", "возвращён"
    ACCEPTED = "accepted", "принят"


class CampaignSchool(models.Model):
    campaign = models.ForeignKey(
        MonitoringCampaign, on_delete=models.CASCADE, related_name="sheets"
    )
    school = models.ForeignKey("registry.School", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField("замечания", blank=True)
    history = HistoricalRecords(table_name="reviews_historicalcampaignschool")

    class Meta:
        db_table = "reviews_campaignschool"
        verbose_name = "чек-лист школы"
        verbose_name_plural = "чек-листы школ"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="one_sheet_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.campaign}"

    @property
    def is_being_filled(self) -> bool:
        """The school fills it (a new sheet, or one sent back)."""
        return self.status in (SheetStatus.DRAFT, SheetStatus.RETURNED)

    @property
    def is_returned(self) -> bool:
        return self.status == SheetStatus.RETURNED

    @property
    def awaits_review(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class Answer(models.TextChoices):
    DONE = "done", "выполнено"
    PARTLY = "partly", "частично"
    NOT_DONE = "not_done", "не выполнено"


class ChecklistAnswer(models.Model):
    sheet = models.ForeignKey(CampaignSchool, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField("ответ", max_length=10, choices=Answer.choices)
    details = models.JSONField("подробности", default=dict, blank=True)
    comment = models.TextField("комментарий", blank=True)
    history = HistoricalRecords(table_name="reviews_historicalchecklistanswer")

    class Meta:
        db_table = "reviews_checklistanswer"
        verbose_name = "ответ чек-листа"
        verbose_name_plural = "ответы чек-листа"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_answer_display()}"


class ItemEvidence(models.Model):
    """A file confirming one item of a school's sheet (an order, a plan, a photo of a board),
    attached by whoever fills the sheet; checked at the one front door
    (``core.intake.documents``) and downloaded only within the sheet's scope."""

    sheet = models.ForeignKey(CampaignSchool, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    file = models.FileField("файл", upload_to="monitoring/evidence/%Y/%m/")
    original_name = models.CharField("имя файла", max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "подтверждающий файл пункта"
        verbose_name_plural = "подтверждающие файлы пунктов"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
