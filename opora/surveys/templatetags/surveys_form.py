"""What the answer form needs to show a question again with what was typed."""

from django import template

from opora.surveys.answering import field

register = template.Library()


@register.simple_tag
def field_name(question, row=None) -> str:
    """{% field_name q %} → «q12»; {% field_name q 2 %} → «q12_r2» (a row of a matrix)."""
    return field(question, row)


@register.simple_tag
def posted(data, question, row=None) -> list[str]:
    """The values posted for the question (or its matrix row); [] on a fresh form."""
    if not data:
        return []
    return data.getlist(field(question, row))


@register.simple_tag
def error_for(errors, question) -> str:
    """The message shown beside a question answered wrongly («Ответьте на этот вопрос.»)."""
    return (errors or {}).get(question.pk, "")
