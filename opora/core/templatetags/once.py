"""``{% submit_once %}``: the hidden token of a creation form (see ``opora.core.once``)."""

from django import template
from django.utils.html import format_html

from opora.core import once

register = template.Library()


@register.simple_tag
def submit_once() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token())
