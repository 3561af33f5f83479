"""Template filters for Russian text, available in every template (a builtin)."""

from django import template

from opora.core import formatting
from opora.core.russian import dates, plurals

register = template.Library()


@register.filter
def ru_plural(n, forms: str) -> str:
    """{{ n|ru_plural:"школа,школы,школ" }} → «школы»"""
    one, few, many = forms.split(",")
    return plurals.plural(n or 0, one, few, many)


@register.filter
def ru_count(n, forms: str) -> str:
    """{{ n|ru_count:"школа,школы,школ" }} → «68 школ»"""
    one, few, many = forms.split(",")
    return plurals.count(n or 0, one, few, many)


@register.filter
def ru_date(d) -> str:
    return dates.short_date(d)


@register.filter
def ru_percent(share, digits: int = 0) -> str:
    return formatting.percent(float(share) if share is not None else None, int(digits))


@register.filter
def academic_year(year) -> str:
    return formatting.academic_year(int(year)) if year else ""


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def ru_iso(value: str) -> str:
    """'2023-03-13' → '13.03.2023' (dates that arrive as ISO text, e.g. from JSON)."""
    try:
        y, m, d = str(value).split("-")
        return f"{d}.{m}.{y}"
    except ValueError:
        return value


@register.filter
def ru_day(d) -> str:
    """{{ d|ru_day }} → «17 июня 2020 г.»"""
    return dates.day_text(d)
