"""Foreign objects of the expertise part for the project-wide scope walk.

A closed expertise (pk 9001) of the foreign roadmap with its criteria set, one assignment of an
expert of its own and a score (pk 9001); «Чуж…» is in the score's comment and in the conclusion.
The criteria set itself is public (criteria are published by the region), so its texts carry no
marker; it is of year 2001 and inactive, so that it never stands in for a real set.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from opora.testing import FOREIGN_PK

if TYPE_CHECKING:
    from opora.testing.world import World


def create(world: World) -> None:
    from opora.accounts.models import Role
    from opora.expertise.models import (
        CriteriaSet,
        Criterion,
        CriterionGroup,
        ExpertAssignment,
        Expertise,
        Score,
    )
    from opora.testing.factories import UserFactory

    criteria_set = CriteriaSet.objects.create(
        pk=FOREIGN_PK,
        name="Набор для проверки доступа",
        purpose="municipal_expertise",
        year=2001,
        is_active=False,
    )
    group = CriterionGroup.objects.create(
        pk=FOREIGN_PK, criteria_set=criteria_set, order=1, title="Группа проверки доступа"
    )
    criterion = Criterion.objects.create(
        pk=FOREIGN_PK, group=group, order=1, text="Критерий проверки доступа", scale_max=2
    )
    expert = UserFactory(username="foreign_expert", role=Role.EXPERT, last_name="Внешний")
    expertise = Expertise.objects.create(
        pk=FOREIGN_PK,
        roadmap=world.foreign_roadmap,
        criteria_set=criteria_set,
        status="closed",
        conclusion="Чужое заключение экспертизы",
        recommendations="Чужая рекомендация экспертизы",
        closed_at=datetime(2026, 4, 1, tzinfo=UTC),
    )
    assignment = ExpertAssignment.objects.create(
        pk=FOREIGN_PK,
        expertise=expertise,
        expert=expert,
        submitted_at=datetime(2026, 3, 20, tzinfo=UTC),
    )
    Score.objects.create(
        pk=FOREIGN_PK,
        assignment=assignment,
        criterion=criterion,
        value=1,
        comment="Чужой комментарий эксперта",
    )
