"""A deadline's kind or recurrence in Russian (``{{ schedule.recurrence|schedule_word }}``), and
an event's reporting periods as badges (``{% period_badges event.periods.all today %}``)."""

from django import template
from django.utils.html import format_html_join

from opora.roadmaps.deadlines import DeadlineKind, Recurrence
from opora.roadmaps.models import DeadlineKindChoice

register = template.Library()

WORDS: dict[str, str] = {
    Recurrence.MONTHLY: "ежемесячно",
    Recurrence.QUARTERLY: "ежеквартально",
    Recurrence.YEARLY: "ежегодно",
    **{DeadlineKind(value): str(label) for value, label in DeadlineKindChoice.choices},
}


@register.filter
def schedule_word(value) -> str:
    """«monthly» → «ежемесячно», «by_schedule» → «по отдельному графику»; unknown words as they are."""
    return WORDS.get(str(value), value)


def _period_tone(period, today) -> str:
    if period.is_finished:
        return "text-bg-success"
    if period.end < today:
        return "text-bg-danger"
    if period.is_in_progress:
        return "text-bg-info"
    return "text-bg-light border"


@register.simple_tag
def period_badges(periods, today) -> str:
    """An event's reporting periods as badges in the roadmap table: the month and year of each
    end, coloured by its state, the dates and state on hover. Built in Python: a page of a
    hundred monthly events has over a thousand of them (bench/roadmaps.py)."""
    return format_html_join(
        " ",
        '<span class="badge {}" title="{}: {}">{}</span>',
        (
            (_period_tone(p, today), str(p), p.get_status_display(), f"{p.end:%m.%y}")
            for p in periods
        ),
    )
