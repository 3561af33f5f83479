"""One state change at a time: a transition claims its object in the state it started from.

Two people (or one double click) may send «утвердить» for the same roadmap at once. Reading the
status, checking it and saving the object lets both requests pass the check; the second then
writes a second approval over the first, or brings an archived roadmap back. Here the check
and the write are one statement::

    UPDATE roadmaps_roadmap SET status = 'approved' WHERE id = 7 AND status = 'submitted'

Of the requests racing from the same state exactly one updates a row. On PostgreSQL the others
wait for its transaction and then find the row no longer in the expected state; SQLite runs
write transactions one after another (``transaction_mode = IMMEDIATE``) and the condition holds
there too, even when ``select_for_update()`` is ignored. The losers get :class:`StateChanged`,
a ``ValidationError`` the views already show as a message.

After the claim the object is read again and saved with the changes, so that
django-simple-history (which listens to ``save()``, not to ``update()``) records exactly one
row per real transition, with the author the service stamped, and file fields are stored.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

STALE = "Состояние уже изменилось: {what}. Обновите страницу."


class StateChanged(ValidationError):
    """Another request changed the object first: another user, another tab, a double click."""


def stale_message(what: str) -> str:
    """«Состояние уже изменилось: карта утверждена (Иванова Е. С.). Обновите страницу.»"""
    return STALE.format(what=what)


def change_state(
    instance: models.Model,
    *,
    expected: dict,
    changes: dict,
    stale: str | Callable[[models.Model | None], str] = "",
) -> models.Model:
    """Apply ``changes`` to ``instance`` only if its row still matches ``expected``.

    ``expected`` holds field lookups of the starting state (``{"status": "submitted"}``,
    ``{"submitted_at__isnull": True}``) on the object's own columns — a lookup across a
    relation becomes a sub-select that PostgreSQL does not re-check on the row it waited for;
    ``changes`` the new field values (files included).
    ``stale`` is the Russian message for a lost race, or a function of the row as it is now
    (``None`` when it was deleted) that writes one. Must run inside the service's transaction:
    the claim holds the row until it commits.

    Example: ``change_state(roadmap, expected={"status": "submitted"},
    changes={"status": "approved", "approval_number": "400"})``.
    """
    model = type(instance)
    manager = model._default_manager
    fields = {name: model._meta.get_field(name) for name in changes}
    plain = {k: v for k, v in changes.items() if not isinstance(fields[k], models.FileField)}
    if not plain:
        raise ValueError("A transition changes at least one field that is not a file.")
    with transaction.atomic():
        claimed = manager.filter(pk=instance.pk, **expected).update(**plain)
        if claimed != 1:
            current = manager.filter(pk=instance.pk).first()
            if callable(stale):
                text = stale(current)
            elif stale:
                text = stale
            elif current is None:
                text = stale_message(f"«{model._meta.verbose_name}» уже удалено")
            else:
                text = stale_message("данные изменил другой пользователь или другая вкладка")
            raise StateChanged(text, code="stale")
        instance.refresh_from_db()
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.save(update_fields=list(changes))
    return instance


def upsert(model, key: dict, values: dict, *, prepare: Callable | None = None):
    """Create the row of ``key`` with ``values``, or update it: ``(row, created)``.

    Two first saves of the same answer (two tabs, a double click) race to insert; the one that
    meets the unique constraint retries as an update instead of failing with a 500. The row is
    saved with ``save()`` (one history record); ``prepare(row)`` runs before it (the author
    stamp).

    Example: ``upsert(ChecklistAnswer, {"sheet": sheet, "item": item}, {"answer": "done"})``.
    """
    for attempt in range(2):
        try:
            with transaction.atomic():
                row = model._default_manager.select_for_update().filter(**key).first()
                created = row is None
                row = row or model(**key)
                for name, value in values.items():
                    setattr(row, name, value)
                if prepare is not None:
                    prepare(row)
                row.save()
                return row, created
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")
