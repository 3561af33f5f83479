"""The access log: who viewed or downloaded personal data, what and when.

Views that show people (the registry's staff), pupils' results, evidence files and exports
with names call :func:`record_access`; the region reads the log through
:func:`access_records_for`.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from opora.accounts.models import AccessRecord, Role


def record_access(user, what: str, obj=None) -> AccessRecord:
    """Write down that ``user`` viewed or downloaded ``what`` (about ``obj``, if one).

    Пример: ``record_access(request.user, "Карточка сотрудника", person)``.
    """
    record = AccessRecord(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        what=what[:200],
    )
    if obj is not None:
        record.object_type = str(obj._meta.verbose_name)[:100] if hasattr(obj, "_meta") else ""
        record.object_id = str(getattr(obj, "pk", "") or "")[:64]
        record.object_repr = str(obj)[:300]
    record.save()
    return record


def can_read_access_log(user) -> bool:
    return (
        user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.REGION)
    )


def access_records_for(
    user,
    *,
    username: str = "",
    what: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AccessRecord]:
    """The log, newest first, filtered; only the region and administrators may read it."""
    if not can_read_access_log(user):
        raise PermissionDenied("Журнал просмотра персональных данных доступен только региону.")
    records = AccessRecord.objects.select_related("user")
    if username:
        records = records.filter(username__icontains=username)
    if what:
        records = records.filter(what=what)
    zone = timezone.get_current_timezone()
    if since:
        records = records.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        records = records.filter(at__lte=datetime.combine(until, time.max, tzinfo=zone))
    return records


def kinds_of_access() -> list[str]:
    """The distinct «what» values, for the filter."""
    return list(AccessRecord.objects.order_by("what").values_list("what", flat=True).distinct())
