"""What a user is told: notifications in the app, and their choice of an e-mail digest."""

from django.conf import settings
from django.db import models


class NotificationKind(models.TextChoices):
    SUBMITTED_TO_ME = "submitted", "поступило на проверку"
    RETURNED = "returned", "возвращено на доработку"
    ACCEPTED = "accepted", "принято"
    DEADLINE_SOON = "deadline_soon", "срок через 7 дней"
    DEADLINE_PASSED = "deadline_passed", "срок прошёл"
    RECOMMENDATION_OVERDUE = "recommendation_overdue", "рекомендация просрочена"
    LIST_APPROVED = "list_approved", "утверждены списки"
    # Tasks from the region or the municipality, and reminders of them.
    REGIONAL_TASK = "regional_task", "новая задача"
    COMMENT = "comment", "новый комментарий"
    RECOMMENDATION_GIVEN = "recommendation_given", "новая рекомендация"


class Notification(models.Model):
    """One thing a user is told, once: ``key`` names the occurrence («deadline_soon:period:12»),
    so that a task run twice (a restarted worker) tells nobody twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("вид", max_length=30, choices=NotificationKind.choices)
    title = models.CharField("что", max_length=500)
    body = models.TextField("подробно", blank=True)
    url = models.CharField("где", max_length=500, blank=True)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class DigestFrequency(models.TextChoices):
    DAILY = "daily", "каждый день"
    WEEKLY = "weekly", "раз в неделю (по понедельникам)"
    OFF = "off", "не присылать"


class Preference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    digest = models.CharField(
        "письмо-сводка",
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.DAILY,
    )

    class Meta:
        verbose_name = "настройка уведомлений"
        verbose_name_plural = "настройки уведомлений"

    def __str__(self) -> str:
        return f"{self.user}: {self.get_digest_display()}"


class Digest(models.Model):
    """One digest of one user for one period («daily:2026-12-07», «weekly:2026-W50»).

    Claimed (the row written and committed) before the letter goes out: a worker restarted
    mid-run finds the period taken and sends nothing twice.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=30)
    since = models.DateTimeField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "письмо-сводка"
        verbose_name_plural = "письма-сводки"
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="digest_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.period}"
