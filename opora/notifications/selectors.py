"""Reads of a user's own notifications (nobody reads another's)."""

from django.db.models import QuerySet

from opora.notifications.models import DigestFrequency, Notification, Preference


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def digest_of(user) -> str:
    preference = Preference.objects.filter(user=user).first()
    return preference.digest if preference else DigestFrequency.DAILY
