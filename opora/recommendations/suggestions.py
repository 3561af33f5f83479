"""Roadmap events that may carry a recommendation out, suggested by shared lemmas.

Example: «организовать педагогический десант ТОИПКРО для управленцев» suggests the event
«Педагогический десант для руководителей школ» (shared: «десант», «педагогический»).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from opora.core.russian.lemmas import lemmas
from opora.recommendations.models import (
    Recommendation,
)
from opora.roadmaps.models import (
    RoadmapEvent,
)


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
