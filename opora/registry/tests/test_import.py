"""Import of the school registry and passports from CSV/XLSX: preview, then all or nothing.

The files are the ones a regional office produces: CSV saved by Excel in UTF-8 or in
Windows-1251 with «;» or «,», or an .xlsx; headers in any order and case; shares written as
«0.125», «0,125» or «12,5 %»; municipalities with typos. Issue 3, «Import of the school
registry».
"""

import json
import os
import subprocess
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from opora.core.intake.files import UploadError
from opora.registry.importing import apply_school_import, plan_school_import
from opora.registry.models import (
    Municipality,
    MunicipalityKind,
    RegistryImport,
    School,
    SchoolPassport,
)
from opora.testing.registry_files import csv_bytes, written, xlsx_bytes

YEAR = 2026
OPORA = str(Path(__file__).resolve().parents[3] / ".venv" / "bin" / "opora")

# Two new schools of the home district and an update of the home school's passport
# (the fixture gives it 120 pupils and 12 teachers for 2026).
REGISTRY = [
    ["Код ОО", "Наименование", "Муниципалитет", "Вид ОО", "Обучающихся", "Педагогов",
     "Доля ОВЗ", "Сельская"],
    ["700101", "МКОУ «Сосновская ООШ»", "Каргасокский район", "ООШ", "48", "9", "12,5 %", "да"],
    ["700102", "МБОУ «Каргасокская СОШ № 2»", "Каргасокский р-н", "СОШ", "610", "44", "0,031",
     "нет"],
    ["700901", "МКОУ «Вертикосская СОШ»", "Каргасокский район", "СОШ", "84", "12", "0.05", "1"],
]  # fmt: skip


@pytest.fixture
def region(world):
    return world.users.region


def _file(tmp_path, data: bytes, name: str = "реестр.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _run(*args) -> dict:
    out = StringIO()
    call_command("import-schools", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


# --- reading the file -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ";"), ("utf-8-sig", ","), ("cp1251", ";"), ("cp1251", ",")],
)
def test_a_csv_in_either_encoding_and_delimiter_creates_and_updates_schools(
    world, region, encoding, delimiter
):
    data = csv_bytes(REGISTRY, encoding=encoding, delimiter=delimiter)

    plan = plan_school_import(data, YEAR, "реестр.csv")
    assert plan.rejected == []
    assert (plan.created, plan.updated) == (2, 1)
    apply_school_import(region, plan)

    sosnovka = School.objects.get(code="700101")
    assert sosnovka.full_name == "МКОУ «Сосновская ООШ»"
    assert sosnovka.municipality == world.home
    assert sosnovka.kind == "oosh"
    passport = sosnovka.passports.get(year=YEAR)
    assert (passport.pupils, passport.teachers) == (48, 9)
    assert passport.share_special_needs == Decimal("0.125")
    assert passport.is_rural is True
    assert School.objects.get(code="700102").number == 2
    home = SchoolPassport.objects.get(school=world.home_school, year=YEAR)
    assert (home.pupils, home.share_special_needs, home.is_rural) == (84, Decimal("0.05"), True)


def test_an_xlsx_saved_by_excel_is_read_with_numbers_as_numbers(world, region):
    rows = [REGISTRY[0]] + [
        ["700101", "МКОУ «Сосновская ООШ»", "Каргасокский район", "ООШ", 48, 9, 0.125, "да"],
        [700102, "МБОУ «Каргасокская СОШ № 2»", "Каргасокский р-н", "СОШ", 610.0, 44, 0.031, 0],
    ]
    plan = plan_school_import(xlsx_bytes(rows), YEAR, "реестр.xlsx")
    assert plan.rejected == []
    assert plan.created == 2
    apply_school_import(region, plan)

    p = SchoolPassport.objects.get(school__code="700102", year=YEAR)
    assert (p.pupils, p.teachers, p.share_special_needs, p.is_rural) == (
        610, 44, Decimal("0.031"), False,
    )  # fmt: skip
    assert SchoolPassport.objects.get(school__code="700101").share_special_needs == Decimal("0.125")


def test_an_xlsx_written_to_a_temporary_file_is_imported_by_the_command(world, tmp_path):
    path = _file(tmp_path, xlsx_bytes(REGISTRY), "реестр.xlsx")
    assert _run(path, "--year", str(YEAR)) == {
        "created": 2, "updated": 1, "rejected": [], "dry_run": False,
    }  # fmt: skip
    assert School.objects.filter(code__in=["700101", "700102"]).count() == 2


def test_headers_are_found_in_any_order_and_any_case(world):
    rows = [
        ["ДОЛЯ ОВЗ", "  вид оо ", "Удаленная", "муниципалитет", "КОД ОО", "наименование"],
        ["0,2", "лицей", "Да", "КАРГАСОКСКИЙ РАЙОН", "700103", "МАОУ «Лицей № 7»"],
    ]
    plan = plan_school_import(csv_bytes(rows), YEAR)
    assert plan.rejected == []
    (row,) = plan.rows
    assert row.school_fields["kind"] == "lyceum"
    assert row.school_fields["municipality"] == world.home
    assert row.passport_fields == {"share_special_needs": Decimal("0.2"), "is_remote": True}


SHARES = ["0.125", "0,125", "12,5 %", "12,5%", "12.5", " 0,1250 "]
YES_NO = [("да", True), ("Да", True), ("1", True), ("нет", False), ("НЕТ", False), ("0", False)]


def test_a_share_is_read_as_a_fraction_or_as_percent(world):
    rows = [["Код ОО", "Наименование", "Муниципалитет", "Доля малоимущих"]] + [
        [f"70030{i}", f"МКОУ «Школа {i}»", "Каргасокский район", written]
        for i, written in enumerate(SHARES)
    ]
    plan = plan_school_import(csv_bytes(rows), YEAR)
    assert plan.rejected == []
    assert [r.passport_fields["share_low_income"] for r in plan.rows] == [Decimal("0.125")] * 6


def test_yes_and_no_are_read_from_words_and_digits(world):
    rows = [["Код ОО", "Наименование", "Муниципалитет", "Сельская", "Малокомплектная", "Удалённая"]]
    rows += [
        [f"70040{i}", f"МКОУ «Школа {i}»", "Каргасокский район", *[written] * 3]
        for i, (written, _) in enumerate(YES_NO)
    ]
    plan = plan_school_import(csv_bytes(rows), YEAR)
    assert plan.rejected == []
    assert [r.passport_fields for r in plan.rows] == [
        {"is_rural": value, "is_small": value, "is_remote": value} for _, value in YES_NO
    ]


# --- municipalities as people write them ------------------------------------------------------


def test_a_municipality_written_with_latin_letters_is_matched_through_its_alias(world, client):
    bakchar = Municipality.objects.create(
        region=world.home.region, name="Бакчарский район", kind=MunicipalityKind.DISTRICT,
        aliases=["Бакcharский район"],
    )  # fmt: skip
    rows = [["Код ОО", "Наименование", "Муниципалитет"], ["700201", "МБОУ «Бакчарская СОШ»",
                                                          "Бакcharский район"]]  # fmt: skip
    plan = plan_school_import(csv_bytes(rows), YEAR)
    (row,) = plan.rows
    assert row.school_fields["municipality"] == bakchar
    assert (row.municipality_written, row.municipality_matched) == (
        "Бакcharский район", "Бакчарский район",
    )  # fmt: skip

    client.force_login(world.users.region)
    page = _upload(client, csv_bytes(rows)).content.decode()
    assert "Бакcharский район → <strong>Бакчарский район</strong>" in page


def test_a_misspelt_municipality_is_matched_to_the_registry_and_the_similarity_shown(world, client):
    rows = [["Код ОО", "Наименование", "Муниципалитет"],
            ["700104", "МКОУ «Павловская ООШ»", "Карагасокский район"]]  # fmt: skip
    (row,) = plan_school_import(csv_bytes(rows), YEAR).rows
    assert row.school_fields["municipality"] == world.home
    assert 80 <= row.municipality_score < 100

    client.force_login(world.users.region)
    page = _upload(client, csv_bytes(rows)).content.decode()
    assert "Карагасокский район → <strong>Каргасокский район</strong>" in page
    assert "(сходство 96 %)" in page


def test_a_municipality_that_is_not_in_the_registry_is_not_guessed(world):
    """«Марсианский район» looks like «Чужой район» only because both end in «район»."""
    written = ["Марсианский район", "Новосибирский район", "район", "Томская область"]
    rows = [["Код ОО", "Наименование", "Муниципалитет"]] + [
        [f"70050{i}", "МКОУ «Школа»", name] for i, name in enumerate(written)
    ]
    plan = plan_school_import(csv_bytes(rows), YEAR)
    assert plan.rows == []
    assert [r.reason for r in plan.rejected] == [
        f"муниципалитет «{name}» не найден в реестре" for name in written
    ]


# --- all or nothing ---------------------------------------------------------------------------


def test_a_file_with_one_bad_row_is_refused_whole_and_nothing_is_written(world, region):
    rows = REGISTRY + [["700106", "МКОУ «Усть-Тымская ООШ»", "Каргасокский район", "ООШ",
                        "30", "7", "много", "да"]]  # fmt: skip
    before = written()

    plan = plan_school_import(csv_bytes(rows), YEAR)
    assert [(r.line, r.code) for r in plan.rejected] == [(5, "700106")]
    assert "«много» — не доля" in plan.rejected[0].reason
    with pytest.raises(UploadError, match="ничего не записано"):
        apply_school_import(region, plan)

    assert written() == before
    assert SchoolPassport.objects.get(school=world.home_school, year=YEAR).pupils == 120


def test_the_refusal_lists_every_bad_row_with_its_reason(world):
    rows = [
        ["Код ОО", "Наименование", "Муниципалитет", "Вид ОО", "Обучающихся", "Доля ОВЗ",
         "Сельская"],
        ["", "МКОУ «Без кода»", "Каргасокский район", "СОШ", "10", "", ""],
        ["700107", "МКОУ «Школа»", "Каргасокский район", "СОШ", "-5", "", ""],
        ["700107", "МКОУ «Школа»", "Каргасокский район", "СОШ", "10", "", ""],
        ["700108", "", "Каргасокский район", "СОШ", "10", "", ""],
        ["700109", "МКОУ «Школа»", "Каргасокский район", "колледж", "10", "", ""],
        ["700110", "МКОУ «Школа»", "Каргасокский район", "СОШ", "10", "150 %", ""],
        ["700111", "МКОУ «Школа»", "Каргасокский район", "СОШ", "10", "", "может быть"],
    ]  # fmt: skip
    plan = plan_school_import(csv_bytes(rows), YEAR)
    assert plan.rows == []
    assert not plan.ok
    assert {r.line: r.reason for r in plan.rejected} == {
        2: "не указан код ОО",
        3: "столбец «Обучающихся»: «-5» — ожидается целое число (цифрами 0–9)",
        4: "код ОО повторяет строку 3",
        5: "новая школа: не указано наименование",
        6: "вид ОО «колледж» не распознан (НОШ, ООШ, СОШ, гимназия, лицей …)",
        7: "столбец «Доля ОВЗ»: «150 %» — доля должна быть от 0 до 100 %",
        8: "столбец «Сельская»: «может быть» — ожидается «да» или «нет»",
    }


def test_a_code_repeated_in_the_file_rejects_the_second_row(world):
    rows = [["Код ОО", "Обучающихся"], ["700901", "10"], ["700901", "11"]]
    plan = plan_school_import(csv_bytes(rows), YEAR)
    assert [(r.line, r.reason) for r in plan.rejected] == [(3, "код ОО повторяет строку 2")]


def test_a_dry_run_writes_nothing(world, tmp_path):
    before = written()
    result = _run(_file(tmp_path, csv_bytes(REGISTRY)), "--year", str(YEAR), "--dry-run")
    assert result == {"created": 2, "updated": 1, "rejected": [], "dry_run": True}
    assert written() == before


def test_importing_the_same_file_again_changes_nothing(world, region, tmp_path):
    path = _file(tmp_path, csv_bytes(REGISTRY, encoding="cp1251"))
    assert _run(path, "--year", str(YEAR))["created"] == 2
    after_first = written()

    plan = plan_school_import(Path(path).read_bytes(), YEAR)
    assert [r.action for r in plan.rows] == ["unchanged"] * 3
    assert _run(path, "--year", str(YEAR)) == {
        "created": 0, "updated": 0, "rejected": [], "dry_run": False,
    }  # fmt: skip
    assert written() == after_first


# --- the command line -------------------------------------------------------------------------


def test_the_command_records_the_regional_user_in_the_history(world, tmp_path):
    _run(_file(tmp_path, csv_bytes(REGISTRY)), "--year", str(YEAR))
    record = School.history.get(code="700101")
    assert record.history_type == "+"
    assert record.history_user == world.users.region
    passport = SchoolPassport.history.filter(school_id=world.home_school.pk).latest()
    assert passport.history_user == world.users.region


def test_the_command_refuses_a_file_with_a_bad_row_with_exit_code_1(world, tmp_path):
    rows = REGISTRY + [["700106", "МКОУ «Школа»", "Нигдейский район", "ООШ", "3", "1", "", ""]]
    before = written()
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "import-schools", _file(tmp_path, csv_bytes(rows)), "--year", "2026", "--json",
            stdout=out,
        )  # fmt: skip
    assert exit_.value.code == 1
    assert json.loads(out.getvalue())["rejected"] == [
        {
            "line": 5,
            "code": "700106",
            "reason": "муниципалитет «Нигдейский район» не найден в реестре",
        }
    ]
    assert written() == before


def test_the_command_answers_a_directory_with_a_message_not_a_traceback(world, tmp_path):
    with pytest.raises(CommandError, match="Файл не прочитан"):
        call_command("import-schools", str(tmp_path), "--year", "2026", "--json")


def test_the_installed_command_exits_1_with_a_russian_message_and_no_traceback(tmp_path):
    """The installed ``opora``, from another folder; it never reaches the database here."""
    garbage = tmp_path / "реестр.csv"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    cases = {
        tmp_path / "нет-такого.csv": "Файл не найден",
        garbage: "Это не текстовый файл CSV",
    }
    env = {**os.environ, "OPORA_DATA_DIR": str(tmp_path / "data")}
    running = {
        path: subprocess.Popen(
            [OPORA, "import-schools", str(path), "--year", "2026", "--json"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for path in cases
    }
    for path, process in running.items():
        stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == 1, (path, stderr)
        assert cases[path] in stderr
        assert "Traceback" not in stderr
        assert stdout == ""


# --- the web pages ----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Previews in a temp folder; a confirmed import runs at once (on commit)."""
    settings.DATA_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def apply(client, django_capture_on_commit_callbacks):
    """Press «Применить изменения»; the queued import runs as the worker would run it."""

    def press(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("registry:import_apply"), **kwargs)

    return press


def _upload(client, data: bytes, name: str = "реестр.csv"):
    return client.post(
        reverse("registry:import"), {"file": SimpleUploadedFile(name, data), "year": YEAR}
    )


def test_region_uploads_a_file_sees_the_preview_and_then_applies_it(world, client, apply):
    client.force_login(world.users.region)
    before = written()

    preview = _upload(client, xlsx_bytes(REGISTRY), "реестр.xlsx")
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Будет добавлено: 2, обновлено: 1" in page
    assert "обучающихся: 120 → 84" in page
    assert written() == before, "the preview writes nothing"

    done = apply()
    assert done.status_code == 302
    job = RegistryImport.objects.get()
    assert done["Location"] == reverse("registry:import_job", args=[job.pk])
    assert School.objects.filter(code__in=["700101", "700102"]).count() == 2
    assert SchoolPassport.objects.get(school=world.home_school, year=YEAR).pupils == 84
    assert (
        "Выполнен</strong>: добавлено 2, обновлено 1"
        in client.get(done["Location"]).content.decode()
    )


def test_a_file_with_a_bad_row_lists_it_and_offers_nothing_to_apply(world, client):
    client.force_login(world.users.region)
    rows = REGISTRY + [["700106", "МКОУ «Школа»", "Каргасокский район", "ООШ", "3", "1", "abc", ""]]
    before = written()

    page = _upload(client, csv_bytes(rows)).content.decode()
    assert 'data-testid="import-rejected"' in page
    assert "В файле ошибки — ничего не записано." in page
    assert "«abc» — не доля" in page
    assert "Применить изменения" not in page
    client.post(reverse("registry:import_apply"))
    assert written() == before


def test_a_refused_upload_cancels_the_preview_shown_before_it(world, client):
    """Applying after a refused file must not write the file previewed earlier."""
    client.force_login(world.users.region)
    before = written()
    _upload(client, csv_bytes(REGISTRY))
    refused = _upload(client, b"\x00garbage")
    assert 'data-testid="import-error"' in refused.content.decode()

    response = client.post(reverse("registry:import_apply"), follow=True)
    assert "загрузите его ещё раз" in response.content.decode()
    assert written() == before


def test_a_plan_is_applied_once_however_often_the_button_is_pressed(world, client, apply):
    client.force_login(world.users.region)
    _upload(client, csv_bytes(REGISTRY))
    apply()
    after = written()
    again = apply(follow=True)
    assert "Файл для применения не найден" in again.content.decode()
    assert written() == after


def test_only_the_region_may_import(world, client):
    before = written()
    for role in ["municipal", "school", "curator", "expert", "observer"]:
        client.force_login(world.users[role])
        assert client.get(reverse("registry:import")).status_code == 403, role
        assert _upload(client, csv_bytes(REGISTRY)).status_code == 403, role
        assert client.post(reverse("registry:import_apply")).status_code == 403, role
    assert written() == before


def test_a_name_typed_with_latin_letters_is_read_by_sound(world):
    from opora.registry.matching import municipality_matcher
    from opora.registry.models import Municipality

    bakchar = Municipality.objects.create(
        region=world.home.region, name="Бакчарский район", kind="district"
    )
    match = municipality_matcher(list(Municipality.objects.all())).match("Бакcharский район")
    assert match.target == bakchar
    assert municipality_matcher([bakchar]).match("Марсианский район").target is None
