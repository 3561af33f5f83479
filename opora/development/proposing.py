"""Which offers of the catalogue answer a teacher's deficits: a pure choice, no database.

The weakest area first; for it the offer that also covers most of the teacher's other
deficits (then the earliest to start) — so a teacher with four deficits gets two broad
courses rather than four narrow ones. Every deficit an offer covers counts as answered.

>>> choose_offers([(7, 40), (3, 55)], [(1, {3}), (2, {3, 7})])
[(2, 7)]
"""

from __future__ import annotations

from collections.abc import Iterable

#: A route is a plan for the year, not a list of everything: at most this many steps.
MAX_STEPS = 5


def choose_offers(
    deficits: Iterable[tuple[int, float]], offers: Iterable[tuple[int, set[int]]]
) -> list[tuple[int, int]]:
    """``deficits``: (area, score); ``offers``: (offer, its areas) in the order of preference
    (earliest first). Returns (offer, the area it was chosen for)."""
    offers = list(offers)
    open_areas = [area for area, _ in sorted(deficits, key=lambda d: (d[1], d[0]))]
    remaining = set(open_areas)
    chosen: list[tuple[int, int]] = []
    used: set[int] = set()
    for area in open_areas:
        if area not in remaining or len(chosen) >= MAX_STEPS:
            continue
        best = None
        for rank, (offer, areas) in enumerate(offers):
            if offer in used or area not in areas:
                continue
            key = (len(areas & remaining), -rank)
            if best is None or key > best[0]:
                best = (key, offer, areas)
        if best is None:
            continue
        _, offer, areas = best
        used.add(offer)
        chosen.append((offer, area))
        remaining -= areas
    return chosen
