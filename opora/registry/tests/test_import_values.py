"""Issue 9: every value of a registry import is checked against the model before anything is
written — «NaN», huge numbers, over-long names and «²» were a 500, an English message or
stored as is on SQLite. Zero-width characters are dropped from codes and names."""

import pytest
from django.urls import reverse

from opora.registry.importing import apply_school_import, plan_school_import
from opora.registry.models import School, SchoolPassport
from opora.testing.registry_files import csv_bytes, written, xlsx_bytes

YEAR = 2026
HEAD = ["Код ОО", "Наименование", "Муниципалитет", "Вид ОО", "Обучающихся", "Педагогов",
        "Коэффициент совместительства", "Доля ОВЗ", "Адрес"]  # fmt: skip


def _row(**changes) -> list[str]:
    row = {
        "code": "700150",
        "name": "МКОУ «Сосновская ООШ»",
        "municipality": "Каргасокский район",
        "kind": "ООШ",
        "pupils": "48",
        "teachers": "9",
        "ratio": "1,2",
        "share": "12,5 %",
        "address": "с. Сосновка",
    }
    row.update(changes)
    return list(row.values())


BAD_VALUES = {
    "NaN share": ({"share": "NaN"}, "столбец «Доля ОВЗ»: «NaN» — не доля"),
    "Infinity ratio": (
        {"ratio": "Infinity"},
        "столбец «Коэффициент совместительства»: «Infinity» — ожидается число",
    ),
    "NaN ratio": ({"ratio": "nan"}, "столбец «Коэффициент совместительства»: «nan»"),
    "superscript two": ({"pupils": "4²"}, "столбец «Обучающихся»: «4²» — ожидается целое число"),
    "arabic-indic digits": ({"teachers": "٣"}, "столбец «Педагогов»: «٣» — ожидается целое число"),
    "huge count": ({"pupils": "99999999999999999999"}, "столбец «Обучающихся»: «99999999999999999999» — слишком большое число"),
    "past the integer range": ({"pupils": "3000000000"}, "столбец «Обучающихся»: число 3000000000 вне допустимых пределов"),
    "over-long name": ({"name": "Ш" * 501}, "столбец «Наименование»: 501 символов — допускается не больше 500"),
    "over-long address": ({"address": "а" * 600}, "столбец «Адрес»: 600 символов — допускается не больше 500"),
    "over-long code": ({"code": "7" * 40}, "столбец «Код ОО»: 40 символов — допускается не больше 32"),
}  # fmt: skip


@pytest.mark.parametrize(("changes", "message"), BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_a_value_that_does_not_fit_the_model_is_refused_in_russian(world, changes, message):
    before = written()
    plan = plan_school_import(csv_bytes([HEAD, _row(**changes)]), YEAR)
    assert [r.line for r in plan.rejected] == [2]
    assert message in plan.rejected[0].reason
    assert written() == before


def test_the_page_shows_the_row_and_the_column(client, world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(world.users.region)
    data = xlsx_bytes([HEAD, _row(), _row(code="700151", share="NaN")])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("registry:import"), {"file": SimpleUploadedFile("реестр.xlsx", data), "year": YEAR}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<td>3</td><td>700151</td><td>столбец «Доля ОВЗ»: «NaN» — не доля" in page


def test_a_school_number_too_big_for_the_registry_is_not_taken(world):
    plan = plan_school_import(csv_bytes([HEAD, _row(name="МКОУ «СОШ № 99999999999999»")]), YEAR)
    assert plan.ok and plan.rows[0].school_fields["number"] is None


def test_decimal_shares_and_excel_numbers_still_read(world):
    rows = [HEAD, _row(share="0,125"), _row(code="700151", share="1e-1", ratio="1.25")]
    plan = plan_school_import(csv_bytes(rows), YEAR)
    assert plan.ok, plan.rejected
    assert [str(r.passport_fields["share_special_needs"]) for r in plan.rows] == [
        "0.1250",
        "0.1000",
    ]


def test_zero_width_characters_are_dropped_from_codes_and_names(world):
    region = world.users.region
    rows = [
        HEAD,
        _row(code="7001\u200b50", name="\ufeffМКОУ «Сосновская\u00ad ООШ»\u2060"),
        _row(code="\u200d700901\u200c", name="МКОУ «Вертикосская СОШ»"),
    ]
    plan = plan_school_import(csv_bytes(rows), YEAR)
    assert plan.ok, plan.rejected
    apply_school_import(region, plan)
    assert School.objects.get(code="700150").full_name == "МКОУ «Сосновская ООШ»"
    assert SchoolPassport.objects.get(school__code="700901", year=YEAR).pupils == 48
    assert not School.objects.filter(code__contains="\u200b").exists()


def test_zero_width_characters_are_dropped_in_the_school_form(client, world):
    client.force_login(world.users.region)
    school = world.home_school
    response = client.post(
        reverse("registry:school_edit", args=[school.pk]),
        {
            "code": "\u200b" + school.code,
            "full_name": "МКОУ «Вертикосская\u200b СОШ»",
            "short_name": "Вертикосская\ufeff СОШ",
            "kind": school.kind,
            "municipality": school.municipality_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    school.refresh_from_db()
    assert (school.code, school.full_name, school.short_name) == (
        "700901",
        "МКОУ «Вертикосская СОШ»",
        "Вертикосская СОШ",
    )


@pytest.mark.parametrize("year", [-1, 1999, 2101, 10**20])
def test_a_year_out_of_range_is_refused_before_reading(db, year):
    from opora.core.intake.files import UploadError

    with pytest.raises(UploadError, match="Учебный год паспортов — от 2000 до 2100"):
        plan_school_import(csv_bytes([HEAD, _row()]), year)
