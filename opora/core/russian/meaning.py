"""Whether a text does what it names: refusals and bare lists of keywords.

The lemma matcher (:mod:`opora.core.russian.lemmas`) says which topics a text names; a roadmap
event that names a topic may still not address it:

* it refuses or cancels the action — «Работа с кадровым резервом не ведётся», «Семинар по
  преемственности отменён», «Ликвидация методического кабинета»;
* it only lists words — «Разное: наставничество, КПК, ВПР, родители, ОВЗ» is not an action.

Both are read from the words, not the topic, so they hold for any recommendation.
"""

from __future__ import annotations

import re

from opora.core.russian.lemmas import fold_yo

# Negated or cancelled actions: a «не» before a verb of doing, or a word of cancelling.
_REFUSAL = re.compile(
    r"\bне\s+(?:веде|вед|провод|планиру|предусмотр|осуществл|организу|реализу|будет|был|"
    r"требуется|состоится|созда|проводил|выполн)\w*"
    r"|\b(?:отмен|ликвидац|ликвидир|упраздн|прекращ|приостанов|отказ\s+от|исключ\w*\s+из\s+"
    r"плана|свертыва|сворачива)\w*"
    r"|\bнет\s+необходимости\b|\bне\s+актуальн\w*",
    re.IGNORECASE,
)
# Words of a problem: cancelling one of them is a remedy, not a refusal.
_REMEDY = re.compile(
    r"\b(?:ликвидац|ликвидир|устран|преодол|исключ)\w*\s+(?:\w+\s+){0,2}?"
    r"(?:пробел|задолженност|дефицит|отставани|неуспеваемост|затруднени|трудност|проблем|"
    r"недостат|ошиб|разрыв|барьер|рисков|риск|нарушени|пропуск)\w*",
    re.IGNORECASE,
)
# «Разное:», «Прочее:», «Ключевые слова:» — a heading followed by a list.
_LIST_HEAD = re.compile(r"^\s*(?:разное|прочее|прочие|ключевые\s+слова|темы)\s*[:—-]", re.I)
# Words of doing in a roadmap event (a verb or a noun made from one): one of them makes a list
# an action. Forms of work («семинар», «курсы», «конкурс», «анализ») are topics in a list.
_ACTION = re.compile(
    r"\b(?:проведен|организац|организов|создан|разработ|обучен|участи|посещен|провест|"
    r"направлен|подготов|реализац|внедрен|оказан|сопровожден|консультирован|утвержден|"
    r"закреплен|назначен|заключен|формирован|внесен|пересмотр|использован|выявлен)\w*",
    re.IGNORECASE,
)


def refuses(text: str) -> bool:
    """Does the text refuse or cancel what it names?

    >>> refuses("Работа с кадровым резервом не ведётся"), refuses("Ликвидация РМО")
    (True, True)
    >>> refuses("Семинар по наставничеству (не менее 2 раз в год)")
    False
    >>> refuses("Занятия по ликвидации пробелов в знаниях"), refuses("Занятия по ликвидации отменены")
    (False, True)
    """
    text = fold_yo(text or "")
    # «не менее», «не позднее», «не реже» are quantities, not refusals.
    text = re.sub(r"\bне\s+(?:менее|более|позднее|реже|чаще|ниже|выше)\b", "", text, flags=re.I)
    # Doing away with a problem is the action itself: «ликвидация пробелов в знаниях».
    text = _REMEDY.sub("", text)
    return bool(_REFUSAL.search(text))


def is_keyword_list(text: str) -> bool:
    """Is the text a bare list of topics rather than an action?

    >>> is_keyword_list("Разное: наставничество, КПК, ВПР, родители, ОВЗ")
    True
    >>> is_keyword_list("наставничество, преемственность, выгорание, кадровый резерв")
    True
    >>> is_keyword_list("функциональная грамотность, педагоги, обучение, курсы")
    True
    >>> is_keyword_list("Проведение семинаров по наставничеству, преемственности и ОВЗ")
    False
    >>> is_keyword_list("Обучение педагогов: семинары, вебинары, КПК, стажировки")
    False
    """
    text = (text or "").strip()
    if _LIST_HEAD.match(text):
        return True
    items = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    if len(items) < 4 or any(len(p.split()) > 4 for p in items):
        return False
    # An action heads the text and has its object beside it («Обучение педагогов, …»); a word
    # of doing alone among the items («…, обучение, курсы») is one more topic of the list.
    head = items[0].split()
    return not (len(head) > 1 and _ACTION.match(head[0]))


def addresses(text: str) -> bool:
    """Can the text address anything at all: neither a refusal nor a bare list."""
    return not refuses(text) and not is_keyword_list(text)
