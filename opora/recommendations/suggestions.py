"""Roadmap events that may carry a recommendation out, found by the one meaning matcher
(:class:`opora.core.russian.matcher.MeaningIndex`, the same that drives the pre-check's coverage).

Example: «организовать педагогический десант ТОИПКРО для управленцев» suggests the event
«Педагогический десант для руководителей школ» (shared: «десант», «педагогический»,
«руководитель»); an event that refuses its action («… не проводится») or only lists words
(«Разное: …») is never suggested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opora.core.russian.lemmas import lemmas
from opora.core.russian.matcher import SUGGESTED_FROM, MeaningIndex
from opora.core.russian.meaning import addresses
from opora.recommendations.models import Recommendation
from opora.roadmaps.models import RoadmapEvent

__all__ = ["Suggestion", "lemmas", "suggested_events"]


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
    """Events that may address the recommendation, best first; the shared words say why.

    The bar is :data:`~opora.core.russian.matcher.SUGGESTED_FROM`, lower than the pre-check's
    coverage: a suggestion is something for the user to look at, not a finding.

    Word weights are those of the candidates (the municipality's roadmaps), so a word in most of
    its events («школа», «педагог») tells little.
    """
    if not candidates:
        return []
    index = MeaningIndex(
        [f"{e.text}\n{e.indicator_text}" for e in candidates],
        acting=[addresses(e.text) for e in candidates],
    )
    return [
        Suggestion(
            event=candidates[i],
            shared=index.shared(recommendation.text, i),
            score=round(score, 2),
        )
        for i, score in index.matches(recommendation.text, limit, bar=SUGGESTED_FROM)
    ]
