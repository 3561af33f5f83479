"""The two steps every service takes: check the permission, name the author of the change."""

from django.core.exceptions import PermissionDenied


def require(user, perm: str, obj=None) -> None:
    """Refuse unless ``user`` has ``perm`` (on ``obj``), with a Russian message."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied("Недостаточно прав для этого действия.")


def stamp(instance, user):
    """Tell django-simple-history who made the change — also outside a request (CLI, tasks)."""
    if user is not None and getattr(user, "pk", None):
        instance._history_user = user
    return instance
