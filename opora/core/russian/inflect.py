"""Declension for documents: names of organisations and places, positions, kinds of documents.

Official documents put names into the case the sentence needs («возложить на заместителя
начальника департамента», «муниципальным координаторам Каргасокского района») and agree words
with them («положение … утверждено», «программа … утверждена»). Readers go the other way:
«руководители ШНОР» is read as the qualifier «руководитель».

>>> inflect_phrase("Каргасокский район", "gent")
'Каргасокского района'
>>> dative_kind("распоряжение ДОО ТО")
'распоряжению ДОО ТО'
>>> nominative_singular(["управленческие", "команды"])
'управленческая команда'
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from opora.core.russian.morph import morph

_ATTRIBUTES = {"ADJF", "PRTF"}


def _nominative(word: str, pos: set[str]):
    for parse in morph().parse(word):
        if parse.tag.POS in pos and "nomn" in parse.tag:
            return parse
    return None


def _keep_case(source: str, word: str) -> str:
    if source.isupper() and len(source) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if source[:1].isupper() else word


def inflect_phrase(phrase: str, case: str) -> str:
    """Put the head of a noun phrase into ``case`` (pymorphy3's ``gent``, ``accs``, ``datv`` …).

    The leading adjectives and the first noun change, and a place name in apposition
    after it; the rest (the dependent words, already in their case) stays:

    >>> inflect_phrase("заместитель начальника департамента", "accs")
    'заместителя начальника департамента'
    >>> inflect_phrase("Город Томск", "gent")
    'Города Томска'
    >>> inflect_phrase("Каргасокский район", "gent")
    'Каргасокского района'
    """
    words = phrase.split(" ")
    if _abbreviated_place(words):  # a school or a body named in quotes
        return phrase
    attributes: list[tuple[int, object]] = []
    head_index, head = None, None
    for index, word in enumerate(words):
        if not word:
            continue
        if word.isupper() and len(word) > 1:  # an abbreviation: ЗАТО, МАОУ
            if attributes:
                break
            continue
        attribute = _nominative(word, _ATTRIBUTES)
        noun = _nominative(word, {"NOUN"})
        # «Александровский район»: a surname-like adjective before a noun is an attribute.
        if (
            noun is not None
            and (attribute is None or noun.score >= attribute.score)
            and (attribute is None or not _noun_follows(words, index, attribute))
        ):
            head_index, head = index, noun
            break
        if attribute is None:
            break
        attributes.append((index, attribute))
    if head is None:
        return phrase
    result = list(words)
    inflected = head.inflect({case})
    if inflected is not None:
        result[head_index] = _keep_case(words[head_index], inflected.word)
    number = "plur" if "plur" in head.tag else "sing"
    for index, parse in attributes:
        grammemes = {case, number}
        if number == "sing" and head.tag.gender:
            grammemes.add(head.tag.gender)
        if case == "accs" and head.tag.animacy:
            grammemes.add(head.tag.animacy)
        form = parse.inflect(grammemes) or parse.inflect({case, number})
        if form is not None:
            result[index] = _keep_case(words[index], form.word)
    # «Город Томск» → «Города Томска»: a place name standing beside the head agrees with it.
    follower = head_index + 1
    if follower < len(words):
        result[follower] = _apposition(words[follower], head, case)
    return " ".join(result)


def _abbreviated_place(words: list[str]) -> bool:
    """«МБОУ «Каргасокская СОШ-интернат № 1»»: the head is the abbreviation («муниципальное
    бюджетное общеобразовательное учреждение»), which does not decline, and the name in quotes
    after it keeps its form and its quotes («в МБОУ «Каргасокская СОШ-интернат № 1»»)."""
    return (
        len(words) > 1
        and words[0].isupper()
        and len(words[0]) > 1
        and words[0].isalpha()
        and words[1].startswith(("«", '"'))
    )


def _apposition(word: str, head, case: str) -> str:
    """The name after the head: a place noun agrees («Города Томска»), so does a city named
    by an adjective («города Кедрового»); a district or an okrug keeps its name («городского
    округа Стрежевой»)."""
    place = morph().parse(word)[0]
    if {"NOUN", "Geox", "nomn"} in place.tag and place.inflect({case}) is not None:
        return _keep_case(word, place.inflect({case}).word)
    if head.normal_form != "город" or not word[:1].isupper():
        return word
    name = _nominative(word, {"ADJF"})
    if name is None:
        return word
    grammemes = {case, "sing", name.tag.gender or "masc"}
    if case == "accs":
        grammemes.add(head.tag.animacy or "inan")
    form = name.inflect(grammemes)
    return _keep_case(word, form.word) if form is not None else word


def _noun_follows(words: list[str], index: int, attribute) -> bool:
    """True when the next word is a noun in the nominative the adjective agrees with."""
    if index + 1 >= len(words) or not words[index + 1]:
        return False
    for parse in morph().parse(words[index + 1]):
        if parse.tag.POS == "NOUN" and "nomn" in parse.tag:
            number = "plur" if "plur" in parse.tag else "sing"
            if number in attribute.tag and (
                number == "plur" or parse.tag.gender in (attribute.tag.gender, None)
            ):
                return True
    return False


def gender_of(phrase: str) -> str | None:
    """The gender of the phrase's head noun: 'masc', 'femn', 'neut', 'plur' or None.

    >>> gender_of("план работы"), gender_of("методические рекомендации")
    ('masc', 'plur')
    """
    for word in phrase.split():
        if word.isupper():
            continue
        noun = _nominative(word.strip('«»"(),'), {"NOUN"})
        if noun is not None:
            return "plur" if "plur" in noun.tag else noun.tag.gender
    return None


def approved(phrase: str) -> str | None:
    """«утверждено» agreeing with the document named: «положение» — утверждено, «план» —
    утверждён, «программа» — утверждена; None when the head noun is not recognised."""
    forms = {"masc": "утверждён", "femn": "утверждена", "neut": "утверждено", "plur": "утверждены"}
    return forms.get(gender_of(phrase) or "")


# The kinds every region uses, spelled out: no dictionary needed for them.
_DATIVE = {
    "распоряжение": "распоряжению",
    "приказ": "приказу",
    "постановление": "постановлению",
    "решение": "решению",
    "указ": "указу",
    "протокол": "протоколу",
}


def dative_kind(kind: str) -> str:
    """«распоряжение ДОО ТО» → «распоряжению ДОО ТО»; «Приказ» → «приказу»."""
    if not kind:
        return ""
    first, _, rest = kind.partition(" ")
    word = _DATIVE.get(first.lower()) or _dative_word(first)
    return f"{word} {rest}".strip()


@lru_cache(maxsize=256)
def _dative_word(word: str) -> str:
    """A less common kind («определение», «заключение») put in the dative, in lower case: the
    kind is mid-sentence. Abbreviations and words that are not nouns are left as written."""
    if not word.isalpha() or word.isupper():
        return word
    dative = inflect_phrase(word, "datv")
    return word if dative == word else dative.lower()


def nominative_singular(words: Sequence[str]) -> str:
    """A phrase in the nominative singular up to its head noun; the words after it stay.

    >>> nominative_singular(["руководители"])
    'руководитель'
    >>> nominative_singular(["заместители", "директоров"])
    'заместитель директоров'
    """
    analyser = morph()
    parses = []
    for word in words:
        variants = analyser.parse(word)
        parses.append(next((p for p in variants if "nomn" in p.tag), variants[0]))
    head = next((k for k, p in enumerate(parses) if "NOUN" in p.tag), None)
    if head is None:
        return " ".join(words)
    gender = parses[head].tag.gender
    out = []
    for k, parse in enumerate(parses[: head + 1]):
        inflected = None
        if k == head:
            inflected = parse.inflect({"sing", "nomn"})
        elif "ADJF" in parse.tag:
            inflected = parse.inflect({"sing", "nomn", gender} if gender else {"sing", "nomn"})
        out.append(inflected.word if inflected else words[k])
    return " ".join(out + list(words[head + 1 :]))
