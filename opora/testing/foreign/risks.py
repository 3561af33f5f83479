"""Foreign objects of risk profiles for the project-wide scope walk: the foreign school's
priority risk (pk 9001, «Чуж…» in its note) and its measure, an event of the foreign roadmap.
The factors and rules are the region's (not scoped), so they carry no marker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opora.testing import FOREIGN_PK

if TYPE_CHECKING:
    from opora.testing.world import World


def create(world: World) -> None:
    from opora.risks.defaults import ensure_defaults
    from opora.risks.models import PriorityRisk, RiskMeasure
    from opora.roadmaps.models import RoadmapEvent

    factors = ensure_defaults()
    priority = PriorityRisk.objects.create(
        pk=FOREIGN_PK,
        school=world.foreign_school,
        year=2026,
        factor=factors[0],
        note="Чужая причина выбора",
    )
    RiskMeasure.objects.create(
        pk=FOREIGN_PK, priority=priority, event=RoadmapEvent.objects.get(pk=FOREIGN_PK)
    )
