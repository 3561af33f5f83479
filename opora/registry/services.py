"""Writes to the registry. Each takes the acting user, checks permission, runs in a transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.registry.models import (
    Organisation,
    OrganisationKind,
    School,
    SchoolPassport,
    SchoolStatus,
    StatusSource,
)
from opora.registry.signals import regional_list_replaced, send_on_commit


@transaction.atomic
def create_school(user, **fields) -> School:
    municipality = fields.get("municipality")
    _require(user, "registry.add_school")
    if user.role == "municipal" and municipality and municipality.pk != user.municipality_id:
        raise PermissionDenied(
            "Муниципальный координатор добавляет школы только своего муниципалитета."
        )
    school = _stamp(School(**fields), user)
    school.full_clean()
    school.save()
    return school


@transaction.atomic
def add_organisation(
    user, *, name: str, short_name: str, kind: str, municipality=None, abbreviations=()
) -> Organisation:
    """Add a body that documents name as an executor: «Министерство просвещения …».

    A municipal coordinator adds bodies of their own municipality only; the region adds
    regional bodies (``municipality=None``) and municipal ones. ``abbreviations`` are the other
    ways documents write it (the «(далее – Министерство)» short form).
    """
    _require(user, "registry.add_organisation")
    if user.role == "municipal" and (
        municipality is None or municipality.pk != user.municipality_id
    ):
        raise PermissionDenied(
            "Муниципальный координатор добавляет организации только своего муниципалитета."
        )
    name, short_name = " ".join(name.split()), " ".join(short_name.split())
    if kind not in OrganisationKind.values:
        kind = OrganisationKind.OTHER
    if Organisation.objects.filter(
        short_name__iexact=short_name, municipality=municipality
    ).exists():
        raise ValidationError(f"Организация «{short_name}» уже есть в реестре.")
    names = [a for a in dict.fromkeys(" ".join(a.split()) for a in abbreviations) if a]
    organisation = _stamp(
        Organisation(
            name=name,
            short_name=short_name,
            kind=kind,
            municipality=municipality,
            abbreviations=[a for a in names if a != short_name],
        ),
        user,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def update_school(user, school: School, **fields) -> School:
    _require(user, "registry.change_school", school)
    new_municipality = fields.get("municipality")
    if (
        user.role == "municipal"
        and new_municipality is not None
        and new_municipality.pk != user.municipality_id
    ):
        raise PermissionDenied("Нельзя передать школу в другой муниципалитет.")
    for name, value in fields.items():
        setattr(school, name, value)
    _stamp(school, user)
    school.full_clean()
    school.save()
    return school


@transaction.atomic
def save_passport(user, school: School, year: int, **fields) -> SchoolPassport:
    _require(user, "registry.change_passport", school)
    passport = SchoolPassport.objects.filter(school=school, year=year).first() or SchoolPassport(
        school=school, year=year
    )
    for name, value in fields.items():
        setattr(passport, name, value)
    _stamp(passport, user)
    passport.full_clean()
    passport.save()
    return passport


@transaction.atomic
def set_status(user, school: School, *, year: int, kind: str, **fields) -> SchoolStatus:
    """Put a school on a yearly list (or update the entry: basis, end date)."""
    _require(user, "registry.change_status", school)
    status = SchoolStatus.objects.filter(school=school, year=year, kind=kind).first() or (
        SchoolStatus(school=school, year=year, kind=kind)
    )
    for name, value in fields.items():
        setattr(status, name, value)
    _stamp(status, user)
    status.full_clean()
    status.save()
    return status


@transaction.atomic
def remove_status(user, status: SchoolStatus) -> None:
    _require(user, "registry.change_status", status.school)
    _stamp(status, user)
    status.delete()


@transaction.atomic
def replace_regional_list(
    user,
    *,
    year: int,
    kind: str,
    school_ids: set[int],
    basis: tuple[str, str, object],
    note: str,
) -> int:
    """Make the region's own list of ``kind`` for ``year`` exactly ``school_ids`` (an approved
    identification run); returns how many statuses were written.

    A regional list replaces the earlier regional list of the year; federal ones (and the
    authority's own decisions) stay as they are, with their own basis. ``basis`` is the
    document's kind, number and date: («Распоряжение», «1234-р», date(2026, 3, 1)).
    """
    _require(user, "registry.change_status")
    for old in SchoolStatus.objects.filter(
        year=year, kind=kind, source=StatusSource.REGIONAL
    ).exclude(school_id__in=school_ids):
        _stamp(old, user)
        old.delete()
    existing = {
        s.school_id: s
        for s in SchoolStatus.objects.filter(year=year, kind=kind, school_id__in=school_ids)
    }
    written = 0
    for school_id in sorted(school_ids):
        status = existing.get(school_id) or SchoolStatus(school_id=school_id, year=year, kind=kind)
        if status.pk and status.source != StatusSource.REGIONAL:
            continue
        status.source = StatusSource.REGIONAL
        status.basis_kind, status.basis_number, status.basis_date = basis
        status.note = note
        _stamp(status, user)
        status.save()
        written += 1
    send_on_commit(
        regional_list_replaced,
        SchoolStatus,
        year=year,
        kind=kind,
        school_ids=set(school_ids),
        basis=basis,
        user=user,
    )
    return written
