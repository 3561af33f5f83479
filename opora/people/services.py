"""Writes to people, working groups, coordinators, curators and pairs. Each takes the acting
user, checks permission, runs in a transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.core.bulk import insert_rows
from opora.people.models import (
    Coordinator,
    CuratorAssignment,
    GroupRole,
    Level,
    Person,
    SchoolPair,
    WorkingGroup,
    WorkingGroupMember,
)
from opora.registry.models import Municipality, School

PERSON_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "initials",
    "position",
    "organisation",
    "school",
    "email",
    "phone",
)


def _check_person_place(user, organisation, school) -> None:
    """A municipal coordinator keeps people within its own municipality."""
    if user.role != "municipal":
        return
    if organisation is None and school is None:
        raise ValidationError("Укажите организацию или школу вашего муниципалитета.")
    for place in (organisation, school):
        if place is not None and place.municipality_id != user.municipality_id:
            raise PermissionDenied("Организация или школа не относится к вашему муниципалитету.")


def _save(instance, user):
    _stamp(instance, user)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def create_person(user, **fields) -> Person:
    """Add a person: «Неверова», «Виктория», «Владимировна», «начальник отдела …»."""
    _require(user, "people.add_person")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Лишние поля: {', '.join(sorted(unknown))}")
    _check_person_place(user, fields.get("organisation"), fields.get("school"))
    return _save(Person(**fields), user)


@transaction.atomic
def update_person(user, person: Person, **fields) -> Person:
    _require(user, "people.change_person", person)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Лишние поля: {', '.join(sorted(unknown))}")
    _check_person_place(
        user,
        fields.get("organisation", person.organisation),
        fields.get("school", person.school),
    )
    for name, value in fields.items():
        setattr(person, name, value)
    return _save(person, user)


def _check_group(group: WorkingGroup) -> None:
    if group.level == Level.REGION and group.municipality_id is not None:
        raise ValidationError({"municipality": "У региональной группы нет муниципалитета."})
    if group.level == Level.MUNICIPALITY and group.municipality_id is None:
        raise ValidationError({"municipality": "Укажите муниципалитет муниципальной группы."})


@transaction.atomic
def save_working_group(user, group: WorkingGroup | None = None, **fields) -> WorkingGroup:
    """Create (``group=None``) or change a working group: level, municipality, year, title,
    basis document («приказ», «1234-р», 13.03.2023)."""
    _require(user, "people.manage_groups")
    group = group or WorkingGroup()
    for name, value in fields.items():
        setattr(group, name, value)
    _check_group(group)
    return _save(group, user)


def _check_single_head(group: WorkingGroup, role: str, member_pk=None) -> None:
    if role != GroupRole.HEAD:
        return
    heads = WorkingGroupMember.objects.filter(group=group, role=GroupRole.HEAD)
    if member_pk:
        heads = heads.exclude(pk=member_pk)
    if heads.exists():
        raise ValidationError({"role": "В рабочей группе может быть только один руководитель."})


@transaction.atomic
def add_group_member(
    user, group: WorkingGroup, *, person: Person, role: str, position_text: str = ""
) -> WorkingGroupMember:
    """Add «Неверова В.В., начальник отдела» as «руководитель» at the end of the list."""
    _require(user, "people.manage_group_members", group)
    WorkingGroup.objects.select_for_update().filter(pk=group.pk).first()
    _check_single_head(group, role)
    last = WorkingGroupMember.objects.filter(group=group).aggregate(m=Max("order"))["m"]
    member = WorkingGroupMember(
        group=group,
        person=person,
        role=role,
        position_text=position_text,
        order=(last or 0) + 1,
    )
    return _save(member, user)


@transaction.atomic
def update_group_member(
    user, member: WorkingGroupMember, *, role: str, position_text: str = ""
) -> WorkingGroupMember:
    _require(user, "people.manage_group_members", member.group)
    _check_single_head(member.group, role, member.pk)
    member.role = role
    member.position_text = position_text
    return _save(member, user)


@transaction.atomic
def remove_group_member(user, member: WorkingGroupMember) -> None:
    _require(user, "people.manage_group_members", member.group)
    _stamp(member, user)
    member.delete()


@transaction.atomic
def move_group_member(user, member: WorkingGroupMember, direction: str) -> None:
    """Move a member one place up or down the list (``direction``: "up" or "down")."""
    _require(user, "people.manage_group_members", member.group)
    if direction not in ("up", "down"):
        raise ValidationError("Неизвестное направление.")
    members = list(
        WorkingGroupMember.objects.filter(group_id=member.group_id).order_by("order", "pk")
    )
    index = next(i for i, m in enumerate(members) if m.pk == member.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(members):
        return
    members[index], members[other] = members[other], members[index]
    for position, m in enumerate(members, start=1):
        if m.order != position:
            m.order = position
            _stamp(m, user)
            m.save(update_fields=["order"])


@transaction.atomic
def assign_coordinator(
    user, *, level: str, municipality: Municipality | None, person: Person, year: int
) -> Coordinator:
    coordinator = Coordinator(level=level, municipality=municipality, person=person, year=year)
    _require(user, "people.change_coordinator", coordinator)
    if level == Level.REGION and municipality is not None:
        raise ValidationError({"municipality": "У регионального координатора нет муниципалитета."})
    if level == Level.MUNICIPALITY and municipality is None:
        raise ValidationError({"municipality": "Укажите муниципалитет координатора."})
    if Coordinator.objects.filter(
        level=level, municipality=municipality, person=person, year=year
    ).exists():
        raise ValidationError("Этот координатор уже назначен.")
    return _save(coordinator, user)


@transaction.atomic
def unassign_coordinator(user, coordinator: Coordinator) -> None:
    _require(user, "people.change_coordinator", coordinator)
    _stamp(coordinator, user)
    coordinator.delete()


@transaction.atomic
def assign_curator(
    user,
    *,
    person: Person,
    year: int,
    municipality: Municipality | None = None,
    school: School | None = None,
) -> CuratorAssignment:
    """Assign a curator for a year to a municipality or to one school (not both)."""
    _require(user, "people.manage_curators")
    if (municipality is None) == (school is None):
        raise ValidationError("Укажите либо муниципалитет, либо школу.")
    if CuratorAssignment.objects.filter(
        person=person, year=year, municipality=municipality, school=school
    ).exists():
        raise ValidationError("Такое закрепление уже есть.")
    assignment = CuratorAssignment(
        person=person, year=year, municipality=municipality, school=school
    )
    return _save(assignment, user)


@transaction.atomic
def remove_curator(user, assignment: CuratorAssignment) -> None:
    _require(user, "people.manage_curators")
    _stamp(assignment, user)
    assignment.delete()


@transaction.atomic
def create_pair(
    user,
    *,
    year: int,
    kind: str,
    mentor_school: School,
    supported_school: School,
    mentor_person: Person | None = None,
    note: str = "",
) -> SchoolPair:
    """Pair a strong school with a supported one (seed 002, event 25)."""
    _require(user, "people.manage_pairs")
    if mentor_school.pk == supported_school.pk:
        raise ValidationError(
            {"supported_school": "Школа-наставник и поддерживаемая школа должны различаться."}
        )
    pair = SchoolPair(
        year=year,
        kind=kind,
        mentor_school=mentor_school,
        supported_school=supported_school,
        mentor_person=mentor_person,
        note=note,
    )
    return _save(pair, user)


@transaction.atomic
def delete_pair(user, pair: SchoolPair) -> None:
    _require(user, "people.manage_pairs")
    _stamp(pair, user)
    pair.delete()


@transaction.atomic
def add_school_staff(user, people: list[Person]) -> list[Person]:
    """Add many teachers of schools at once (an imported diagnostics file names them), with
    their history: «Иванова Мария Петровна, учитель, МКОУ «Вертикосская СОШ»»."""
    from simple_history.utils import bulk_create_with_history

    _require(user, "people.add_person")
    for person in people:
        if person.school_id is None:
            raise ValidationError("У педагога должна быть указана школа.")
        _check_person_place(user, None, person.school)
    return bulk_create_with_history(people, Person, batch_size=1000, default_user=user)


#: A new teacher of a school as an import names one: (school id, last name, first name,
#: patronymic, position).
StaffRow = tuple[int, str, str, str, str]


@transaction.atomic
def add_school_staff_rows(user, rows: Sequence[StaffRow]) -> list[int]:
    """Add many teachers of schools at once — a region's diagnostics name ten thousand — and
    their history («+», by ``user``) in bulk; the ids come back in the order of ``rows``.

    The rows are plain tuples (no forms, no per-person checks of a saved instance): one query
    checks a municipal coordinator's schools, multi-row ``INSERT … RETURNING`` writes the
    people, :func:`opora.core.bulk.insert_rows` their historical records."""
    _require(user, "people.add_person")
    if not rows:
        return []
    school_ids = {row[0] for row in rows}
    if None in school_ids:
        raise ValidationError("У педагога должна быть указана школа.")
    if user.role == "municipal":
        own = set(
            School.objects.filter(
                pk__in=school_ids, municipality_id=user.municipality_id
            ).values_list("pk", flat=True)
        )
        if own != school_ids:
            raise PermissionDenied("Организация или школа не относится к вашему муниципалитету.")
    fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields}
    attnames = [f.attname for f in fields]
    values = [
        tuple(
            {
                **defaults,
                "school_id": school,
                "last_name": last,
                "first_name": first,
                "patronymic": middle,
                "position": position,
            }[name]
            for name in attnames
        )
        for school, last, first, middle, position in rows
    ]
    ids = _insert_returning_ids(Person._meta.db_table, [f.column for f in fields], values)
    if len(ids) != len(values) or None in ids:
        raise RuntimeError("База данных не вернула ключи добавленных сотрудников.")
    _write_added_history(user, attnames, values, ids)
    return ids


#: Rows per multi-row ``INSERT``: under SQLite's smallest limit of 999 bound parameters.
_ROWS_PER_INSERT = 90


def _insert_returning_ids(table: str, columns: list[str], values: list[tuple]) -> list[int]:
    """Multi-row ``INSERT … RETURNING id`` (PostgreSQL, SQLite ≥ 3.35): ten thousand people
    in a tenth of the time ``bulk_create`` spends compiling them; the ids come back in the
    order of ``values``, as ``bulk_create`` relies on too."""
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) VALUES "
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), _ROWS_PER_INSERT):
            chunk = values[start : start + _ROWS_PER_INSERT]
            cursor.execute(
                head + ", ".join([row_marks] * len(chunk)) + " RETURNING id",
                [value for row in chunk for value in row],
            )
            ids.extend(pk for (pk,) in cursor.fetchall())
    return ids


def _write_added_history(user, attnames: list[str], values: list[tuple], ids: list[int]):
    """The «+» historical record of each person just added, as ``bulk_create_with_history``
    writes it (one date, the acting user, no reason), without a model instance per record."""
    from django.utils import timezone

    history = Person.history.model
    meta = history._meta
    now = meta.get_field("history_date").get_db_prep_save(timezone.now(), connection)
    user_id = getattr(user, "pk", None)
    columns = [
        meta.get_field("id").column,
        *(meta.get_field(name).column for name in attnames),
        *(meta.get_field(n).column for n in _HISTORY_FIELDS),
    ]
    insert_rows(
        meta.db_table,
        columns,
        ((pk, *row, now, "", "+", user_id) for pk, row in zip(ids, values, strict=True)),
    )


_HISTORY_FIELDS = ("history_date", "history_change_reason", "history_type", "history_user")


# ---------------------------------------------------------------- documents


def draft_group_order(user, group: WorkingGroup):
    """The order approving ``group`` with its list (a Document sourced from the group), opened
    if one is being edited, else built now: (document, created)."""
    from opora.documents import services as documents
    from opora.people.documents import group_order_kind, working_group_order

    _require(user, "people.change_workinggroup", group)
    if not group.members.exists():
        raise ValidationError("В группе нет ни одного участника: утверждать нечего.")
    return documents.open_draft(
        user,
        lambda: working_group_order(group, user),
        kind=group_order_kind(group),
        source=group,
    )


def draft_appointments_order(user, year: int):
    """The order naming the coordinators and curators of ``year`` (a document of the region
    about «people-appointments-<year>»), opened if one is being edited: (document, created)."""
    from opora.documents import services as documents
    from opora.people.documents import appointments_order, appointments_topic

    _require(user, "people.manage_curators")
    coordinators = list(
        Coordinator.objects.filter(year=year).select_related("person", "municipality")
    )
    curators = list(
        CuratorAssignment.objects.filter(year=year).select_related(
            "person", "municipality", "school__municipality"
        )
    )
    if not coordinators and not curators:
        raise ValidationError(f"На {year} год не назначено ни координаторов, ни кураторов.")
    return documents.open_draft(
        user,
        lambda: appointments_order(year, coordinators, curators, user),
        kind="order",
        topic=appointments_topic(year),
    )
