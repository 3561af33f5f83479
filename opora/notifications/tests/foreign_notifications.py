"""The scope walk's foreign notification (pk 9001): another user's, never shown or changed."""

from conftest import FOREIGN_PK
from opora.notifications.models import Notification, Preference


def build(world):
    from opora.accounts.models import Role
    from opora.registry.tests.factories import UserFactory

    owner = UserFactory(
        username="chuzhoy-notified", role=Role.SCHOOL, school=world["foreign_school"]
    )
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
