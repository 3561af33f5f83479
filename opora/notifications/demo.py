"""The notifications' part of ``opora demo``: the demo's past is not news.

Loading the demo's history (years of reports filed and accepted, lists approved) tells its
users hundreds of things at once; a real user would have read them long ago. They are marked
read before the demo's working day (``roadmaps.demo.load_day``, loaded after this), so that the
bell shows what that day brought: a report returned, one waiting, a roadmap submitted.

Notifications are written by receivers of signals sent on commit, and the demo is loaded in one
transaction: marking them read is itself done on commit, where it runs after the history's
notifications were written and before the working day's ones (callbacks run in the order they
were registered).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from opora.notifications.models import Notification
from opora.roadmaps.demo import DAY_MARK
from opora.roadmaps.models import ProgressReport


def _history_read() -> None:
    Notification.objects.filter(read_at__isnull=True).update(read_at=timezone.now())


def load(demo) -> None:
    if ProgressReport.objects.filter(comment__startswith=DAY_MARK).exists():
        return  # loaded before: what is unread now, a user has not read yet
    transaction.on_commit(_history_read)
