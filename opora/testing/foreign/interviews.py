"""Foreign objects of the interviews part for the project-wide scope walk.

A protocol, an interview, a recommendation (carried out by the foreign roadmap's event) and
an assignment of the foreign municipality, each with pk 9001 and «Чуж…» in its text: no user
of another scope may see them at any URL.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from opora.testing import FOREIGN_PK

if TYPE_CHECKING:
    from opora.testing.world import World


def create(world: World) -> None:
    from opora.interviews.models import Interview, InterviewProtocol, ProtocolAssignment
    from opora.recommendations.models import Recommendation

    foreign = world.foreign
    protocol = InterviewProtocol.objects.create(
        pk=FOREIGN_PK,
        title="ПРОТОКОЛ Чужого собеседования",
        place="Чужой город",
        chairman="Чужаков И.И., начальник чужого управления",
        participants=["Чужакова А.А., чужой участник"],
        agenda=["О чужих результатах"],
        revision_due=date(2026, 3, 1),
    )
    interview = Interview.objects.create(
        pk=FOREIGN_PK,
        protocol=protocol,
        municipality=foreign,
        date=date(2026, 2, 1),
        name_as_written="Чужой район",
        participants="Чужие участники",
    )
    recommendation = Recommendation.objects.create(
        pk=FOREIGN_PK,
        interview=interview,
        municipality=foreign,
        text="Чужая рекомендация: провести чужой анализ",
        raw="- Чужая рекомендация: провести чужой анализ;",
        evidence="Чужое подтверждение",
        due_date=date(2026, 3, 1),
    )
    event = world.foreign_roadmap.events.first()
    if event is not None:
        recommendation.events.add(event)
    ProtocolAssignment.objects.create(
        pk=FOREIGN_PK,
        protocol=protocol,
        addressee="Чужой институт",
        text="Чужое поручение",
        items=["чужой пункт"],
    )
