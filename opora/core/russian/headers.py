"""What a column of a plan is about, from its header wording: by meaning, not by spelling.

Regions word the header of a roadmap table in many ways («Мероприятие», «Направления
деятельности», «Вид работы»; «Сроки», «Плановый срок», «Когда»; «Ответственные», «Кто
отвечает», «Исполнитель»). Each word of a header is reduced to its lemma (``pymorphy3``) and
looked up in a synonym list; the first word that names a column decides («Срок представления
результата» is a deadline, «Ответственный за результат» names executors).

>>> column_of("Плановый срок")
'deadline'
>>> column_of("Кто отвечает")
'executors'
>>> column_of("Направления деятельности")
'text'
>>> column_of("N N п.п")
'number'
>>> column_of("Примечание") is None
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from opora.core.russian.morph import morph

#: Column keys of a plan table, as the roadmap reader names them.
COLUMN_KEYS = ("number", "text", "deadline", "executors", "indicator", "evidence")

#: Lemmas naming each column. A header is the column of its first word found here.
COLUMN_LEMMAS: dict[str, frozenset[str]] = {
    "number": frozenset({"номер"}),
    "text": frozenset(
        {
            "мероприятие", "направление", "деятельность", "вид", "работа", "содержание",
            "наименование", "название", "действие", "событие", "тема", "шаг", "этап",
            "активность", "дело", "перечень", "что",
        }
    ),
    "deadline": frozenset(
        {
            "срок", "дата", "период", "время", "когда", "график", "календарный", "сроки",
            "месяц", "продолжительность", "периодичность",
        }
    ),
    "executors": frozenset(
        {
            "ответственный", "ответственность", "исполнитель", "соисполнитель", "отвечать",
            "кто", "исполнять", "выполнять", "участник", "координатор",
        }
    ),
    "indicator": frozenset({"показатель", "индикатор", "критерий", "целевой", "значение"}),
    "evidence": frozenset(
        {
            "результат", "документ", "продукт", "отчетность", "отчет", "итог", "итоговый",
            "подтверждение", "подтверждать", "выход", "ожидать", "ожидаемый", "эффект",
            "отчётный", "отчетный", "форма",
        }
    ),
}  # fmt: skip

_WORD = re.compile(r"[A-Za-zА-Яа-яЁё№]+")
#: «№», «№№», «№ п/п», «N п.п», «N N п.п», «No», «Н п/п»: a number column.
_NUMBER_MARK = re.compile(r"^(?:№|n|no|н|nn|нн)*(?:пп|п)?$")


@lru_cache(maxsize=4096)
def _lemma(word: str) -> str:
    word = word.lower().replace("ё", "е")
    if len(word) <= 2:
        return word
    return morph().parse(word)[0].normal_form.replace("ё", "е")


def _is_number_mark(text: str) -> bool:
    compact = re.sub(r"[\s./\\\-]+", "", text.lower())
    return (
        bool(compact)
        and ("№" in compact or compact[0] in "nн")
        and bool(_NUMBER_MARK.match(compact))
    )


#: Lemmas that name a column only when no other column of the table claims it: «Участники»
#: are the executors of a plan without «Ответственные», not beside them.
SECONDARY_LEMMAS = frozenset({"участник", "координатор", "форма", "значение", "перечень", "что"})

_ABBREVIATED = re.compile(r"([А-Яа-яЁё]{2,})\.")


@lru_cache(maxsize=1024)
def _expand(stem: str) -> str | None:
    """The lemma an abbreviation stands for: «отв.» → «ответственный», «исп.» → «исполнитель»,
    «наим.» → «наименование»; None when the stem opens lemmas of several columns."""
    stem = stem.lower().replace("ё", "е")
    keys = {key for key in COLUMN_KEYS for lemma in COLUMN_LEMMAS[key] if lemma.startswith(stem)}
    if len(keys) != 1:
        return None
    key = keys.pop()
    return min(lemma for lemma in COLUMN_LEMMAS[key] if lemma.startswith(stem))


def _header_lemmas(text: str) -> list[str]:
    abbreviated = {m.group(1) for m in _ABBREVIATED.finditer(text)}
    lemmas = []
    for word in _WORD.findall(text):
        if word == "№":
            continue
        lemma = _lemma(word)
        if word in abbreviated and not any(lemma in known for known in COLUMN_LEMMAS.values()):
            lemma = _expand(word) or lemma
        lemmas.append(lemma)
    return lemmas


@lru_cache(maxsize=8192)
def column_strength(header: str) -> tuple[str | None, int]:
    """The column a header names and how firmly: 2 by a main word («Ответственные»),
    1 by a word that yields to a main one («Участники»), 0 for none."""
    text = " ".join(header.split())
    if not text or len(text) > 120:
        return None, 0
    if _is_number_mark(text):
        return "number", 2
    for lemma in _header_lemmas(text):
        for key in COLUMN_KEYS:
            if lemma in COLUMN_LEMMAS[key]:
                return key, 1 if lemma in SECONDARY_LEMMAS else 2
    return None, 0


def column_of(header: str) -> str | None:
    """The column key a header wording names (one of :data:`COLUMN_KEYS`), or ``None``.

    >>> column_of("Отв. исп."), column_of("Наим. мероприятия")
    ('executors', 'text')
    """
    return column_strength(header)[0]
