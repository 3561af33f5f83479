"""Roadmap events that may carry a recommendation out, suggested by shared lemmas.

Example: «организовать педагогический десант ТОИПКРО для управленцев» suggests the event
«Педагогический десант для руководителей школ» (shared: «десант», «педагогический»).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from opora.recommendations.models import (
    Recommendation,
)
from opora.roadmaps.models import (
    RoadmapEvent,
)

# Parts of speech that carry no topic, and words every recommendation and event shares.
_SKIP_POS = {"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "NUMR", "PRED", "COMP"}


_GENERIC_LEMMAS = {
    "организовать",
    "организация",
    "организовывать",
    "провести",
    "проводить",
    "проведение",
    "работа",
    "мероприятие",
    "вопрос",
    "рамка",
    "участие",
    "использовать",
    "использование",
    "обеспечить",
    "рассмотреть",
    "возможность",
    "необходимость",
    "следующий",
    "тематика",
    "который",
    "свой",
    "весь",
    "это",
    "такой",
    "данный",
    "целое",
    "случай",
}


_WORD_RE = re.compile(r"[а-яёa-z]{3,}", re.IGNORECASE)


@functools.cache
def _morph():
    """One analyser per process: building it reads the dictionaries (a fraction of a second)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=50_000)
def _lemma(word: str) -> str:
    parse = _morph().parse(word)[0]
    if parse.tag.POS in _SKIP_POS:
        return ""
    lemma = parse.normal_form.replace("ё", "е")
    return "" if lemma in _GENERIC_LEMMAS else lemma


def lemmas(text: str) -> frozenset[str]:
    """The meaningful lemmas of a text: «педагогический десанта ТОИПКРО для управленцев» →
    {«педагогический», «десант», «тоипкро», «управленец»}."""
    found = (_lemma(word.lower()) for word in _WORD_RE.findall(text or ""))
    return frozenset(lemma for lemma in found if lemma)


@dataclass
class Suggestion:
    event: RoadmapEvent
    shared: list[str]
    score: float


def suggested_events(
    recommendation: Recommendation,
    candidates: Sequence[RoadmapEvent],
    limit: int = 6,
) -> list[Suggestion]:
    """Events whose text shares lemmas with the recommendation, best first.

    Lemmas found in most candidate events («школа», «результат») weigh little; an event needs
    a lemma shared with few other events, two shared lemmas or one rare one, and a score not
    far below the best event's.
    """
    target = lemmas(recommendation.text)
    if not target or not candidates:
        return []
    pool = [(event, lemmas(event.text) & target) for event in candidates]
    frequency = Counter(lemma for _, shared in pool for lemma in shared)
    total = len(pool)
    rare = max(1, total // 5)  # a lemma of at most a fifth of the events names a topic
    found = []
    for event, shared in pool:
        if not shared or all(frequency[lemma] > rare for lemma in shared):
            continue
        score = sum(1 + math.log(total / frequency[lemma]) for lemma in shared)
        if len(shared) >= 2 or score >= 3:
            found.append(Suggestion(event=event, shared=sorted(shared), score=round(score, 2)))
    if not found:
        return []
    # Far weaker than the best match means «shares a couple of common words», not the topic.
    cut = max(s.score for s in found) / 3
    found = [s for s in found if s.score >= cut]
    found.sort(key=lambda s: (-s.score, s.event.order))
    return found[:limit]
