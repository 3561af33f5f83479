"""Writes to the registry. Each takes the acting user, checks permission, runs in a transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from opora.registry.models import School, SchoolPassport, SchoolStatus


def _stamp(instance, user):
    """Tell django-simple-history who made the change (also outside a request: CLI, tasks)."""
    if user is not None and getattr(user, "pk", None):
        instance._history_user = user
    return instance


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied("Недостаточно прав для этого действия.")


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
