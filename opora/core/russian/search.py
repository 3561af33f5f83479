"""Russian text as a search compares it: one form for what is stored and what is typed.

Officials type «ё» as «е» or not, capitals or not, names with or without their quotes, so
both sides of a search are brought to one form: lower case, «ё» written «е», quotes dropped,
runs of spaces made one.

>>> search_form("МКОУ «Вертикосская СОШ»")
'мкоу вертикосская сош'
>>> search_form('Школа "Ёлочка"  №\u00a05')
'школа елочка № 5'
"""

from __future__ import annotations

_QUOTES = str.maketrans("", "", "«»\"'„“”‘’‚‹›`")


def search_form(text: str) -> str:
    """``text`` lower-cased, «ё» as «е», without quotes, words separated by one space."""
    return " ".join(text.lower().replace("ё", "е").translate(_QUOTES).split())


def search_words(query: str) -> list[str]:
    """The words of a typed query, each in the stored form: «"Вертикосская" СОШ» →
    ['вертикосская', 'сош']."""
    return search_form(query).split()
