"""«История изменений»: who changed what and when, read from django-simple-history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

ACTIONS = {"+": "создание", "~": "изменение", "-": "удаление"}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    subject: str
    changes: list[str]


def _label(model, field_name: str) -> str:
    try:
        name = str(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:
        return field_name
    # Fields without a Russian label get Django's default («closed at»).
    return _NAMES.get(field_name, name) if name == field_name.replace("_", " ") else name


def _shown(model, field_name: str) -> bool:
    try:
        return model._meta.get_field(field_name).get_internal_type() not in _HIDDEN_TYPES
    except FieldDoesNotExist:
        return True


def _value(v) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return "да" if v else "нет"
    if isinstance(v, datetime):  # never ISO: «07.12.2026 10:34», local time
        return (
            timezone.localtime(v).strftime("%d.%m.%Y %H:%M")
            if timezone.is_aware(v)
            else v.strftime("%d.%m.%Y %H:%M")
        )
    if isinstance(v, date):
        return v.strftime("%d.%m.%Y")
    return str(v)


# Technical fields: what a user changed shows in the fields that were parsed from them.
_HIDDEN_TYPES = ("JSONField",)
_NAMES = {
    "created_at": "создано",
    "closed_at": "закрыто",
    "status": "состояние",
    "reviewed_at": "проверено",
    "reviewed_by": "проверил",
    "review_state": "проверка",
}


def _related(record, field_name: str, value) -> str:
    """A changed value as people read it: the choice label («в работе», not «in_work»), the
    name a foreign key points to («Каргасокский район», not its id; the object was joined
    with the record, so this runs no query), a user by name."""
    try:
        field = record._meta.get_field(field_name)
    except FieldDoesNotExist:
        return _value(value)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    if value is not None and field.many_to_one and field.is_cached(record):
        obj = field.get_cached_value(record)
        if obj is not None:
            # A person by name («Соколова Светлана Викторовна»), not by login («curator»).
            return obj.display_name if isinstance(obj, get_user_model()) else str(obj)
    return _value(value)


def _with_relations(qs):
    """Join the objects a record's ``__str__`` may name: its foreign keys, one level deep."""
    names = [f.name for f in qs.model._meta.fields if f.many_to_one and f.name != "history_user"]
    return qs.select_related("history_user", *names)


def _subject(record) -> str:
    """«паспорт школы» as it was, named without a query (and without «… as of <date>»).

    Built from the record's own columns: ``record.instance`` would fetch the fields the history
    leaves out (a school's search form) with one query per record."""
    model = record.instance_type
    obj = model(
        **{
            f.attname: getattr(record, f.attname)
            for f in model._meta.concrete_fields
            if hasattr(record, f.attname)
        }
    )
    for field in obj._meta.concrete_fields:
        if field.many_to_one and field.is_cached(record):
            field.set_cached_value(obj, field.get_cached_value(record))
    return str(obj)


def history_entries(*history_querysets, subject_of=_subject, limit: int = 50) -> list[HistoryEntry]:
    """Merge the history of several objects, newest first, each with its changed fields."""
    records = []
    for qs in history_querysets:
        records.extend(_with_relations(qs).order_by("-history_date")[: limit + 1])
    records.sort(key=lambda r: r.history_date, reverse=True)
    records = records[: limit + 1]
    # Pair each record with the previous one of the same object without a query per row.
    by_object: dict[tuple, list] = {}
    for r in sorted(records, key=lambda r: r.history_date):
        by_object.setdefault((type(r), r.id), []).append(r)
    previous = {}
    for chain in by_object.values():
        for before, after in zip(chain, chain[1:], strict=False):
            previous[id(after)] = before
    entries = []
    for r in records[:limit]:
        model = r.instance_type
        changes: list[str] = []
        before = previous.get(id(r))
        if r.history_type == "~" and before is not None:
            delta = r.diff_against(before, foreign_keys_are_objs=False)
            changes = [
                f"{_label(model, c.field)}: {_related(before, c.field, c.old)}"
                f" → {_related(r, c.field, c.new)}"
                for c in delta.changes
                if _shown(model, c.field)
            ]
        user = r.history_user
        entries.append(
            HistoryEntry(
                when=r.history_date,
                who=(user.display_name if user else "система"),
                action=ACTIONS.get(r.history_type, r.history_type),
                subject=f"{model._meta.verbose_name}: {subject_of(r)}",
                changes=changes,
            )
        )
    return entries
