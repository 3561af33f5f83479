"""The scope walk's foreign notification (pk 9001): another user's, never shown or changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opora.notifications.models import Notification, Preference
from opora.testing import FOREIGN_PK

if TYPE_CHECKING:
    from opora.testing.world import World


def create(world: World) -> None:
    from opora.accounts.models import Role
    from opora.testing.factories import UserFactory

    owner = UserFactory(username="chuzhoy-notified", role=Role.SCHOOL, school=world.foreign_school)
    Notification.objects.create(
        pk=FOREIGN_PK,
        user=owner,
        kind="returned",
        title="Чужое уведомление",
        body="Чужой комментарий проверяющего",
        url="/roadmaps/",
        key="foreign",
    )
    Preference.objects.create(pk=FOREIGN_PK, user=owner, digest="weekly")
