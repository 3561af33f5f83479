"""Deadline reminders: a week before a period of an approved roadmap ends, and on the day after
it passed unfinished; a recommendation of one's scope on the day it becomes overdue. Run daily
by the scheduler; each reminder is told once (its key)."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from opora.core.russian.dates import short_date
from opora.notifications.models import NotificationKind as K
from opora.notifications.services import notify
from opora.recommendations.followers import followers_by_municipality, passing_due
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


def notify_overdue_recommendations(today: date) -> int:
    """Tell those who follow a municipality's recommendations up (``recommendations.followers``)
    of each open recommendation whose due date was yesterday: once, on the day it passes.

    The key carries the due date: a recommendation given a new date and missing it again is
    told again; a repeated run tells nobody twice."""
    passed = list(passing_due(today - timedelta(days=1)))
    followers = followers_by_municipality({r.municipality_id for r in passed})
    told = 0
    for recommendation in passed:
        told += notify(
            followers[recommendation.municipality_id],
            kind=K.RECOMMENDATION_OVERDUE,
            title=f"Рекомендация просрочена ({recommendation.municipality.name}, срок "
            f"{short_date(recommendation.due_date)}): {recommendation.text}",
            url=reverse("recommendations:recommendation_detail", args=[recommendation.pk]),
            key=f"recommendation-overdue:{recommendation.pk}:{recommendation.due_date}",
        )
    return told
