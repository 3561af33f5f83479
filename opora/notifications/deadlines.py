"""Deadline reminders: a week before a period of an approved roadmap ends, and on the day after
it passed unfinished. Run daily by the scheduler; each reminder is told once (its key)."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from opora.core.russian.dates import short_date
from opora.notifications.models import NotificationKind as K
from opora.notifications.services import notify
from opora.roadmaps import reviewers
from opora.roadmaps.selectors import periods_ending

#: Days before the end of a period when its owners are reminded.
AHEAD = 7


def notify_deadlines(today: date) -> int:
    """Remind the owners of the periods ending in ``AHEAD`` days and of those that ended
    yesterday unfinished; returns how many notifications were written."""
    told = 0
    for day, kind, key, words in (
        (today + timedelta(days=AHEAD), K.DEADLINE_SOON, "deadline-soon", "Срок через 7 дней"),
        (today - timedelta(days=1), K.DEADLINE_PASSED, "deadline-passed", "Срок прошёл"),
    ):
        owners: dict[int, list] = {}
        for period in periods_ending(day):
            roadmap = period.event.roadmap
            if roadmap.pk not in owners:
                owners[roadmap.pk] = list(reviewers.owners_of(roadmap))
            told += notify(
                owners[roadmap.pk],
                kind=kind,
                title=f"{words} ({short_date(period.end)}): {period.event.number} "
                f"{period.event.text}".strip(),
                url=reverse("roadmaps:event", args=[period.event_id]),
                key=f"{key}:{period.pk}",
            )
    return told
