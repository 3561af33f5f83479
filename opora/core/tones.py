"""The one mapping of a state to its Bootstrap tone, so that a word looks the same everywhere.

A status, review state, answer or link check is shown as a badge (or a progress bar) whose
colour follows what the word means, whichever app it comes from: «возвращён» is always a
warning, «утверждён» / «принят» / «выполнено» always a success. Templates never compare a
status with a string to pick a colour; they write ``{{ sheet.status|badge_tone }}`` (or
``bg-{{ batch.status|tone }}``), the filters in ``core/templatetags/tones.py``.

Keys are the stored values of the apps' ``TextChoices`` (a member is its value), so core
imports no app. A state not listed is neutral (``light``).
"""

from enum import Enum

NEUTRAL = "light"

TONES: dict[str, str] = {
    # finished well
    "approved": "success",
    "accepted": "success",
    "done": "success",
    "held": "success",
    "ok": "success",
    "winner": "success",
    # under way, nothing to worry about
    "open": "primary",
    "submitted": "primary",
    "queued": "primary",
    "running": "primary",
    # waiting for someone
    "in_work": "info",
    "in_progress": "info",
    "pending": "info",
    "laureate": "info",
    # needs attention
    "returned": "warning",
    "partly": "warning",
    # went wrong
    "overdue": "danger",
    "broken": "danger",
    "failed": "danger",
    "refused": "danger",
    "not_done": "danger",
    # over, out of the way
    "closed": "secondary",
    "archived": "secondary",
    "not_applicable": "secondary",
}

#: Icons of the answers a checklist offers (Bootstrap Icons), shown inside the badge.
ICONS: dict[str, str] = {"done": "bi-check-lg", "partly": "bi-circle-half", "not_done": "bi-x-lg"}


def _key(state) -> str:
    return str(state.value if isinstance(state, Enum) else state or "")


def tone(state) -> str:
    """The Bootstrap tone of a state: ``tone(SheetStatus.RETURNED)`` → ``"warning"``."""
    return TONES.get(_key(state), NEUTRAL)


def badge(state) -> str:
    """The classes of a badge: ``"text-bg-warning"``; a neutral one gets a border to stand out."""
    name = tone(state)
    return f"text-bg-{name} border" if name == NEUTRAL else f"text-bg-{name}"


def icon(state) -> str:
    return ICONS.get(_key(state), "")
