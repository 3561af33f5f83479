"""The one lemma matcher: what a Russian text is about, as a set of dictionary forms.

Recommendations are matched to roadmap events (the suggestions of an interview, the coverage of
the pre-check) by meaning, not by exact strings, so both texts become sets of lemmas with the
same rules:

* words are lemmatised by ``pymorphy3`` («преемственности» → «преемственность»), «ё» is
  written «е»;
* abbreviations stay as written, in lower case (КПК → «кпк», ТОИПКРО → «тоипкро»): words in
  capitals of up to six letters, and longer ones the dictionary does not know;
* only words that name a topic are kept: nouns, adjectives and unknown words; verbs,
  prepositions, pronouns, numbers and proper names (people, places) are dropped, and so are
  words shorter than three letters;
* stop-words are dropped: words of every roadmap of the programme (ШНОР, образовательный,
  организация, мероприятие …) and words of the form of a recommendation («в рамках»,
  «рассмотреть возможность», «использование»);
* a few domain synonyms are folded together («учитель» → «педагог», «вебинар» → «семинар»),
  and phrases into their abbreviation («курсы повышения квалификации» → «кпк», «дети с
  ограниченными возможностями здоровья» → «овз»).

>>> sorted(lemmas("организовать работу по наставничеству с посещением уроков"))
['наставничество', 'посещение', 'урок']
>>> sorted(lemmas("курсы повышения квалификации учителей"))
['кпк', 'педагог']

Weighing the lemmas (which event addresses a recommendation best) is the callers' business.
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache

from opora.core.russian.morph import morph

_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_KEEP_POS = {"NOUN", "ADJF", "ADJS"}
_PROPER = {"Name", "Surn", "Patr", "Geox"}

#: Words that say nothing about what a text is about: they are in every roadmap of the
#: programme (ШНОР, образовательный, организация …), belong to the form of a document, or to the
#: form of a recommendation («в рамках», «рассмотреть возможность использования»).
_STOP_TEXT = """
    шнор шнсу шнор/шнсу оо ооу моуо образовательный организация образование школа школьный
    низкий результат мероприятие муниципальный дорожный карта раздел программа вопрос работа
    тематика тема форма формат участие деятельность система направление мера комплекс рамка цель
    задача уровень качество повышение общий общеобразовательный необходимость возможность учет
    ряд счет год число месяц том тот который весь свой такой каждый часть следующий целое он она
    оно они ее его их это этот случай точка зрение наличие условие итог отношение область район
    сфера территория обеспечение реализация осуществление организационный конкретный эффективный
    поддержка
    проведение использование данный механизм определение
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

#: One spelling for words that mean the same thing here.
SYNONYMS = {
    "основный": "основной",
    "совмещение": "совместительство",
    "дпп": "кпк",
    "мотивирование": "мотивация",
    "учитель": "педагог",
    "учащийся": "обучающийся",
    "школьник": "обучающийся",
    "ученик": "обучающийся",
    "дети": "ребенок",
    "инклюзивный": "овз",
    "инклюзия": "овз",
    "родительский": "родитель",
    "вебинар": "семинар",
    "траектория": "маршрут",
    "иом": "маршрут",
    # Paraphrases met in municipal roadmaps (issue 13's labelled set, bench/precheck_set.py).
    "сетевой": "сеть",
    "кадровый": "кадр",
    "управленческий": "руководитель",
    "семья": "родитель",
    "выплата": "стимулирование",
    "доплата": "стимулирование",
    "стимулирующий": "стимулирование",
    "слабоуспевающий": "отстающий",
    "неуспевающий": "отстающий",
    "областной": "региональный",
    "переход": "преемственность",
    # Words an official uses for one thing (issue 13's second labelled set).
    "директор": "руководитель",
    "управленец": "руководитель",
    "завуч": "заместитель",
    "оценивание": "оценка",
    "малочисленный": "малокомплектный",
    "пробел": "дефицит",
    "восполнение": "устранение",
    "ликвидация": "устранение",
    "преодоление": "устранение",
    "затруднение": "трудность",
    "помощь": "сопровождение",
}

#: Phrases folded into their abbreviation: when the trigger words are present, the words of the
#: phrase are replaced by it, so «курсы повышения квалификации» and «КПК» match each other.
ABBREVIATIONS = {
    "кпк": ({"квалификация"}, {"курс", "квалификация", "повышение"}),
    "овз": ({"ограниченный", "здоровье"}, {"ограниченный", "возможность", "здоровье"}),
    "впр": ({"всероссийский", "проверочный"}, {"всероссийский", "проверочный"}),
    "гиа": ({"итоговый", "аттестация"}, {"государственный", "итоговый", "аттестация"}),
}

#: Two lemmas of at least this many common first letters are of the same root.
_ROOT_MIN = 5
_ROOT_SHARE = 0.7
#: …and a common beginning this long is of one root whatever the lengths («наблюдение» —
#: «наблюдатель», «внутришкольный» — «внутришкольное»).
_ROOT_LONG = 6


def fold_yo(text: str) -> str:
    """«ё» written as «е», as most officials type it: «учёт» → «учет», «Ёлки» → «Елки»."""
    return text.replace("ё", "е").replace("Ё", "Е")


def _is_abbreviation(token: str) -> bool:
    """КПК, ОВЗ, РМО, ТОИПКРО: capitals, short or not in the dictionary (a heading in capitals,
    «РЕКОМЕНДАЦИИ», is made of ordinary words)."""
    if len(token) < 2 or not token.isupper():
        return False
    return len(token) <= 6 or not morph().word_is_known(token)


@lru_cache(maxsize=65_536)
def _lemma(token: str) -> str | None:
    """The dictionary form of a word, or None for words that carry no topic.

    «семинары» → «семинар», «КПК» → «кпк», «организовать» → None (a verb), «Томск» → None.
    """
    if _is_abbreviation(token):
        return fold_yo(token.lower())
    if len(token) < 3:
        return None
    parse = morph().parse(token)[0]
    lemma = fold_yo(parse.normal_form)
    if lemma in SYNONYMS:  # a word taught here is a topic, whatever the guess («вебинар» a name)
        return lemma
    tag = parse.tag
    if _PROPER & set(tag.grammemes):
        return None
    if tag.POS not in _KEEP_POS and "UNKN" not in tag:
        return None
    return lemma


def lemmas(text: str) -> frozenset[str]:
    """The content lemmas of a Russian text, synonyms and abbreviations folded.

    >>> sorted(lemmas("организовать педагогический десанта ТОИПКРО для управленцев"))
    ['десант', 'педагогический', 'руководитель', 'тоипкро']
    >>> sorted(lemmas("детей с ограниченными возможностями здоровья"))
    ['овз', 'ребенок']
    """
    words = set()
    for token in _WORD.findall(text or ""):
        lemma = _lemma(token)
        if lemma:
            words.add(SYNONYMS.get(lemma, lemma))
    for abbreviation, (trigger, parts) in ABBREVIATIONS.items():
        if trigger <= words:
            words -= parts
            words.add(abbreviation)
    return frozenset(w for w in words if w not in STOP_WORDS)


def head(text: str) -> str | None:
    """The first topic noun of a text: what a recommendation is about before the details.

    «проводить анализ участия педагогов в конкурсах» is about «анализ», «использовать
    конкурсы для педагогов» about «конкурс»; a phrase folded into its abbreviation gives it.

    >>> head("провести анализ участия педагогов в конкурсах"), head("организовать КПК")
    ('анализ', 'кпк')
    >>> head("организовать курсы повышения квалификации для учителей")
    'кпк'
    >>> head("организовать мероприятия (семинары, КПК) по преемственности")
    'преемственность'
    """
    words = lemmas(text)
    # What is in brackets details the topic: «мероприятия (КПК, семинары) по преемственности».
    outside = re.sub(r"\([^)]*\)", " ", text or "")
    for token in _WORD.findall(outside) or _WORD.findall(text or ""):
        lemma = _lemma(token)
        if not lemma:
            continue
        lemma = SYNONYMS.get(lemma, lemma)
        for abbreviation, (_, parts) in ABBREVIATIONS.items():
            if lemma in parts and abbreviation in words:
                return abbreviation
        if lemma in words and not is_modifier(lemma):
            return lemma
    return None


@lru_cache(maxsize=65_536)
def is_modifier(lemma: str) -> bool:
    """Does the lemma qualify a topic rather than name one (an adjective or a participle)?

    «профессиональное выгорание» is about «выгорание»: «профессиональный» is said of many things.

    >>> is_modifier("профессиональный"), is_modifier("выгорание"), is_modifier("кпк")
    (True, False, False)
    """
    if not _CYRILLIC.search(lemma):
        return False
    return morph().parse(lemma)[0].tag.POS in {"ADJF", "ADJS", "PRTF", "PRTS"}


def same_root(a: str, b: str) -> bool:
    """Lemmas of one root: a long common beginning.

    >>> same_root("наставник", "наставничество"), same_root("родитель", "родительство")
    (True, True)
    >>> same_root("наблюдение", "наблюдатель"), same_root("педагог", "педиатр")
    (True, False)
    """
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= _ROOT_LONG or (
        common >= _ROOT_MIN and common >= _ROOT_SHARE * min(len(a), len(b))
    )


@lru_cache(maxsize=65_536)
def normal_forms(word: str) -> frozenset[str]:
    """Every dictionary form ``pymorphy3`` offers for a lower-case word, and the word itself.

    Names are matched by any of them, because a word alone is ambiguous:

    >>> sorted(normal_forms("кураторами"))
    ['куратор', 'кураторами']
    """
    forms = {word}
    if _CYRILLIC.search(word) and len(word) < 60:
        # pymorphy3 is robust, but a cell of a table must never break the import of a file
        with contextlib.suppress(Exception):
            forms.update(fold_yo(p.normal_form) for p in morph().parse(word))
    return frozenset(forms)
