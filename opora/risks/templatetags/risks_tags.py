"""Template helpers of risk profiles."""

from django import template

register = template.Library()


@register.filter
def get_priority(priorities: dict, factor_id: int):
    """{{ profile.priorities|get_priority:factor.pk }} → the school's priority risk or None."""
    return priorities.get(factor_id)
