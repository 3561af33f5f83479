"""People of the registry as executors of a plan (the ``PersonDirectory`` contribution).

A roadmap names people in its «Ответственные» column («Иванова Н.П., заместитель директора
по УВР»); the roadmap import links them to these entries by surname and initials and offers to
add one it does not find. Example: ``entries(kargasok)`` → ``[("person:7", "Неверова В.В.",
"неверова вв"), …]``; ``add(user, "Иванова Н.П.", "заместитель директора", org, None)`` →
«Иванова Н.П.».
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q

from opora.core.russian.names import find_person, person_key
from opora.people import services
from opora.people.models import Person


def _initials(person: Person) -> str:
    if person.initials:
        return person.initials
    return "".join(f"{p[0]}." for p in (person.first_name, person.patronymic) if p)


def entries(municipality) -> list[tuple[str, str, str]]:
    """The region's people (of organisations without a municipality) and the municipality's."""
    place = Q(organisation__municipality__isnull=True, school__isnull=True)
    if municipality is not None:
        place |= Q(organisation__municipality=municipality) | Q(school__municipality=municipality)
    people = Person.objects.filter(place).only(
        "pk", "last_name", "first_name", "patronymic", "initials"
    )
    return [(f"person:{p.pk}", p.short_name, person_key(p.last_name, _initials(p))) for p in people]


def can_add(user) -> bool:
    return user.has_perm("people.add_person")


def add(user, name: str, position: str, organisation=None, school=None) -> str:
    """Add the person a plan names; ``name`` as written («Иванова Н.П.», «Н.П. Иванова»)."""
    found = find_person(name)
    if found is None:
        raise ValidationError(
            f"«{name[:80]}» не похоже на фамилию с инициалами (например, «Иванова Н.П.»)."
        )
    person = services.create_person(
        user,
        last_name=found.surname,
        initials=found.initials,
        position=" ".join(position.split())[:500],
        organisation=organisation,
        school=school,
    )
    return person.short_name
