"""Who a command-line change is recorded for in the history of changes."""

from django.core.management.base import CommandError

from opora.accounts.models import Role, User


def command_actor(username: str = "", perm: str | None = None) -> User:
    """A named user, or the first active regional user (the superuser first)."""
    if username:
        qs = User.objects.filter(username=username, is_active=True)
    else:
        qs = User.objects.filter(role__in=[Role.REGION, Role.OPERATOR], is_active=True).order_by(
            "-is_superuser", "pk"
        )
    user = qs.first()
    if user is None:
        raise CommandError(
            "Нет пользователя, от имени которого записать изменения: создайте его или укажите --user."
        )
    if perm and not user.has_perm(perm):
        raise CommandError(f"У пользователя {user.username} нет права на это действие.")
    return user
