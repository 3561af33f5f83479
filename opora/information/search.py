"""The library's search: Russian words in any form and case, «ё» as «е».

A material keeps its words lower-cased with their dictionary forms (``index_text``); a query
word matches when it, or one of its dictionary forms, is among them, so «рекомендациям» finds
«Методические рекомендации», and «ЁЛКА» finds «елка».

    >>> "рекомендация" in index_text("Методические РЕКОМЕНДАЦИИ").split()
    True
"""

from __future__ import annotations

import re

from django.db.models import Q

from opora.core.russian.lemmas import fold_yo, normal_forms

_WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")


def _words(text: str) -> list[str]:
    return [fold_yo(w.lower()) for w in _WORD.findall(text or "")]


def index_text(*texts: str) -> str:
    """Every word of ``texts`` and its dictionary forms, space-separated, with spaces round."""
    found: set[str] = set()
    for text in texts:
        for word in _words(text):
            found |= normal_forms(word)
    return " " + " ".join(sorted(found)) + " "


def matching(q: str, field: str = "search_text") -> Q:
    """A filter for every word of ``q`` (each in any of its forms; a prefix of three letters
    or more also matches, as people type the start of a word)."""
    condition = Q()
    for word in _words(q)[:10]:
        either = Q()
        for form in normal_forms(word):
            either |= Q(**{f"{field}__contains": f" {form} "})
        if len(word) >= 3:
            either |= Q(**{f"{field}__contains": f" {word}"})
        condition &= either
    return condition
