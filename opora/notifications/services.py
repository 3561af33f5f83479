"""Writes of notifications: telling users (once per occurrence), marking read, preferences."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from opora.notifications.models import DigestFrequency, Notification, Preference


def notify(users: Iterable, *, kind: str, title: str, url: str = "", key: str, body: str = ""):
    """Tell each of ``users`` (at most once per ``key``: a repeat is ignored).

    Called by the receivers of domain signals and by the deadline task — never from a request
    of another user's data: what is told was decided by the sending app's rule.

    >>> notify([coordinator], kind="submitted", title="Отчёт на проверку: 9. Консультации",
    ...        url="/roadmaps/events/12/", key="report:40")
    """
    rows = [
        Notification(
            user=user,
            kind=kind,
            title=title[:500],
            body=body,
            url=url[:500],
            key=key[:200],
        )
        for user in {u.pk: u for u in users}.values()
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


@transaction.atomic
def mark_read(user, pk: int | None = None) -> int:
    """Mark one notification of ``user`` read (``pk``), or all of them. Nobody marks another's."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def set_digest(user, frequency: str) -> Preference:
    """Choose the e-mail digest: daily, weekly or none; one's own only."""
    if frequency not in DigestFrequency.values:
        from django.core.exceptions import ValidationError

        raise ValidationError("Неизвестная частота писем.")
    preference, _ = Preference.objects.update_or_create(user=user, defaults={"digest": frequency})
    return preference
