"""The catalogue kept by the operator, importable from Excel with a preview."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from opora.accounts.models import Role
from opora.core.intake.files import UploadError
from opora.development.catalogue_import import apply_catalogue_import, plan_catalogue_import
from opora.development.models import Offer, OfferFormat, OfferKind
from opora.development.readers.offers import TEMPLATE_HEADERS
from opora.testing.factories import UserFactory


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(TEMPLATE_HEADERS)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


COURSE = [
    "КПК",
    "Формирующее оценивание на уроке",
    "ТОИПКРО",
    36,
    "01.10.2026",
    "20.10.2026",
    "очно-заочно",
    "критерии, обратная связь",
    "Оценивание образовательных результатов; Методические компетенции",
    "нет",
]


def test_a_catalogue_in_excel_is_previewed_then_written(db):
    operator = UserFactory(role=Role.OPERATOR)
    seminar = ["семинар", "Управление по результатам", "ЦНППМ", "", "12.11.2026", "", "дистанционно",
               "", "Управление школой", "да"]  # fmt: skip
    plan = plan_catalogue_import(_xlsx([COURSE, seminar]), "каталог.xlsx")
    assert plan.ok and (plan.created, plan.updated) == (2, 0)
    assert not Offer.objects.exists()
    apply_catalogue_import(operator, plan)
    course = Offer.objects.get(title="Формирующее оценивание на уроке")
    assert (course.kind, course.hours, course.format) == (OfferKind.COURSE, 36, OfferFormat.BLENDED)
    assert (course.starts_on, course.ends_on) == (date(2026, 10, 1), date(2026, 10, 20))
    assert sorted(a.title for a in course.areas.all()) == [
        "Методические компетенции",
        "Оценивание образовательных результатов",
    ]
    assert Offer.objects.get(kind=OfferKind.SEMINAR).for_management
    again = plan_catalogue_import(_xlsx([COURSE]), "каталог.xlsx")
    assert (again.created, again.updated) == (0, 1)


def test_a_catalogue_row_with_a_bad_cell_refuses_the_file(db):
    bad = list(COURSE)
    bad[4], bad[5] = "20.10.2026", "01.10.2026"
    unknown = list(COURSE)
    unknown[0], unknown[1] = "пикник", "Другое"
    plan = plan_catalogue_import(_xlsx([bad, unknown]), "каталог.xlsx")
    assert [(r.line, r.reason) for r in plan.rejected] == [
        (2, "окончание раньше начала"),
        (3, "вид «пикник» не распознан"),
    ]
    with pytest.raises(UploadError):
        apply_catalogue_import(UserFactory(role=Role.OPERATOR), plan)
    assert not Offer.objects.exists()


def test_only_the_region_keeps_the_catalogue(db):
    plan = plan_catalogue_import(_xlsx([COURSE]), "каталог.xlsx")
    for role in (Role.MUNICIPAL, Role.SCHOOL, Role.TEACHER, Role.CURATOR):
        with pytest.raises(PermissionDenied):
            apply_catalogue_import(UserFactory(role=role), plan)
