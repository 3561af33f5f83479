"""The e-mail digest: once a day or once a week, per the user's choice, the notifications that
came since the previous digest, each with its link. The only place Opora sends e-mail from
besides the password reset; the letters go through Django's mailer (console in the demo, SMTP in
production: see the README).

Nothing is sent twice: a user's digest for a period («daily:2026-12-07») is claimed by writing
its row, committed, before the letter goes out; a worker restarted mid-run finds it taken.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from opora.core.russian.dates import long_date
from opora.core.russian.plurals import count as ru_count
from opora.notifications.models import Digest, DigestFrequency, Notification, Preference

#: The hour (local time) from which the day's digests go out.
DIGEST_HOUR = 7


def period_of(frequency: str, now: datetime) -> str | None:
    """The digest period ``now`` falls in, or None when no digest is due yet."""
    local = timezone.localtime(now)
    if local.hour < DIGEST_HOUR:
        return None
    if frequency == DigestFrequency.DAILY:
        return f"daily:{local.date().isoformat()}"
    if frequency == DigestFrequency.WEEKLY and local.weekday() == 0:
        year, week, _ = local.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return None


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def _letter(user, items: list[Notification]) -> EmailMessage:
    lines = [
        f"Здравствуйте, {user.first_name or user.display_name}!",
        "",
        f"В «Опоре» для вас {ru_count(len(items), 'новость', 'новости', 'новостей')}:",
        "",
    ]
    for n in items:
        lines.append(f"• {n.title}")
        if n.body:
            lines.append(f"  {n.body}")
        if n.url:
            lines.append(f"  {_absolute(n.url)}")
    lines += [
        "",
        "Всё, что ждёт вашего решения: " + _absolute("/inbox/"),
        "Частоту писем можно изменить в «Опоре»: " + _absolute("/notifications/"),
    ]
    return EmailMessage(
        subject=f"Опора: сводка на {long_date(timezone.localdate())}",
        body="\n".join(lines),
        to=[user.email],
    )


def _since(user, frequency: str, now: datetime) -> datetime:
    last = Digest.objects.filter(user=user).order_by("-created_at").first()
    if last is not None:
        return last.created_at
    return now - (timedelta(days=7) if frequency == DigestFrequency.WEEKLY else timedelta(days=1))


def send_digests(now: datetime | None = None) -> int:
    """Send every digest due at ``now``; returns how many letters went out."""
    now = now or timezone.now()
    chosen = dict(Preference.objects.values_list("user_id", "digest"))
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(notifications__read_at__isnull=True))
        .distinct()
    )
    letters = []
    for user in users.iterator():
        frequency = chosen.get(user.pk, DigestFrequency.DAILY)
        period = period_of(frequency, now)
        if period is None or Digest.objects.filter(user=user, period=period).exists():
            continue
        since = _since(user, frequency, now)
        items = list(
            Notification.objects.filter(
                user=user, created_at__gt=since, read_at__isnull=True
            ).order_by("created_at")[:100]
        )
        if not items:
            continue
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    user=user, period=period, since=since, items=len(items)
                )
        except IntegrityError:  # another worker claimed it
            continue
        letters.append((digest, _letter(user, items)))
    if not letters:
        return 0
    connection = mailers.default
    with connection:
        for digest, letter in letters:
            connection.send_messages([letter])
            Digest.objects.filter(pk=digest.pk).update(sent_at=timezone.now())
    return len(letters)
