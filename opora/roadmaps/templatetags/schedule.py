"""A deadline's kind or recurrence in Russian: ``{{ schedule.recurrence|schedule_word }}``."""

from django import template

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
