"""Generated official documents: edited as text, then fixed with a number and a date."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords


class DocumentKind(models.TextChoices):
    ORDER = "order", "распоряжение"
    DECREE = "decree", "приказ"
    PROTOCOL = "protocol", "протокол"
    REPORT = "report", "аналитическая справка"
    LETTER = "letter", "письмо"
    EXCERPT = "excerpt", "выписка из протокола"


class Document(models.Model):
    kind = models.CharField("вид", max_length=20, choices=DocumentKind.choices)
    organisation = models.CharField("организация", max_length=500)
    title = models.TextField("заголовок «О …»")
    body = models.TextField("текст", help_text="Абзацы через пустую строку; правится до фиксации.")
    place = models.CharField("место составления", max_length=100, blank=True)
    number = models.CharField("номер", max_length=50, blank=True)
    date = models.DateField("дата", null=True, blank=True)
    signer = models.CharField("подпись (должность и ФИО)", max_length=300, blank=True)
    executor = models.CharField("исполнитель и телефон", max_length=300, blank=True)
    landscape = models.BooleanField(
        "альбомные страницы", default=False, help_text="Для широких таблиц."
    )
    topic = models.CharField(
        "о чём документ без источника",
        max_length=100,
        blank=True,
        db_index=True,
        help_text="Для документа, построенного не по одному объекту: «expertise-report-2026».",
    )
    is_fixed = models.BooleanField("зафиксирован", default=False)
    file = models.FileField(upload_to="documents/%Y/", blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "документ"
        verbose_name_plural = "документы"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} «{self.title[:60]}»"
