"""The diagnostics import: read, checked, previewed, written all-or-nothing."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from opora.core.intake.files import UploadError
from opora.development.importing import apply_diagnostics_import, plan_diagnostics_import
from opora.development.models import CompetenceArea, Diagnostic, DiagnosticResult
from opora.development.readers.diagnostics import parse_score
from opora.people.models import Person
from opora.testing.development import diagnostics_csv, home_results


@pytest.mark.parametrize(
    ("written", "score"),
    [
        ("72", "72"),
        ("72,5 %", "72.5"),
        ("14 из 20", "70"),
        ("14/20", "70"),
        ("ниже базового", "40"),
        ("Высокий", "100"),
    ],
)
def test_a_score_is_read_as_written_by_people(written, score):
    assert parse_score(written) == Decimal(score)


@pytest.mark.parametrize("written", ["120", "21 из 20", "отлично", "-5"])
def test_a_score_that_is_not_one_is_refused_in_russian(written):
    with pytest.raises(ValueError, match="«"):
        parse_score(written)


def test_a_good_file_is_planned_without_writing_and_applied_whole(world):
    data = diagnostics_csv(
        [
            ("Иванова Мария Петровна", "700901", "учитель", "математика", "Оценивание", "14 из 20"),
            ("Иванова Мария Петровна", "700901", "учитель", "математика", "Предметные", "низкий"),
            ("Сидоров Пётр Ильич", "700902", "директор", "", "Управление", "80"),
        ]
    )
    plan = plan_diagnostics_import(data, "d.csv", title="Диагностика 2026", year=2026)
    assert plan.ok and len(plan.rows) == 3
    assert plan.teachers == 2 and plan.new_teachers == 2
    assert plan.new_areas == ["Оценивание", "Предметные", "Управление"]
    assert not Diagnostic.objects.filter(title="Диагностика 2026").exists()
    assert not Person.objects.filter(last_name="Иванова").exists()

    diagnostic = apply_diagnostics_import(world.users.operator, plan)
    results = DiagnosticResult.objects.filter(diagnostic=diagnostic)
    assert results.count() == 3
    ivanova = Person.objects.get(last_name="Иванова")
    assert (ivanova.first_name, ivanova.patronymic, ivanova.school) == (
        "Мария",
        "Петровна",
        world.home_school,
    )
    assert results.get(person=ivanova, area__title="Оценивание").written == "14 из 20"
    assert results.get(person__last_name="Сидоров").team == "management"


def test_a_file_with_a_bad_row_is_refused_whole_naming_the_line(world):
    data = diagnostics_csv(
        [
            ("Иванова Мария Петровна", "700901", "учитель", "математика", "Оценивание", "70"),
            ("Петрова Анна", "999999", "учитель", "физика", "Оценивание", "70"),
            ("Петрова Анна", "700901", "учитель", "физика", "Оценивание", "сто"),
        ]
    )
    plan = plan_diagnostics_import(data, "d.csv", title="Д", year=2026)
    assert not plan.ok
    assert [(r.line, r.code) for r in plan.rejected] == [(3, "999999"), (4, "700901")]
    assert "нет в реестре" in plan.rejected[0].reason
    assert "ожидается балл" in plan.rejected[1].reason
    with pytest.raises(UploadError):
        apply_diagnostics_import(world.users.operator, plan)
    assert not home_results(world).exists()
    assert not CompetenceArea.objects.filter(title="Оценивание").exists()


def test_the_wide_layout_has_a_column_per_area(world):
    data = "ФИО;Код ОО;Должность;Оценивание;Предметные компетенции\nИванова Мария;700901;учитель;45;80 %\n"
    plan = plan_diagnostics_import(data.encode(), "d.csv", title="Д", year=2026)
    assert plan.ok
    assert sorted((r.area_title, r.score) for r in plan.rows) == [
        ("Оценивание", Decimal("45.00")),
        ("Предметные компетенции", Decimal("80.00")),
    ]


def test_a_file_without_the_teacher_column_is_refused(world):
    with pytest.raises(UploadError, match="ФИО"):
        plan_diagnostics_import("Код ОО;Балл\n700901;5\n".encode(), "d.csv", title="Д", year=2026)


def test_a_new_diagnostic_replaces_the_latest_result_of_the_same_area(world):
    operator = world.users.operator
    row = ("Иванова Мария Петровна", "700901", "учитель", "", "Оценивание")
    for score in ("40", "75"):
        plan = plan_diagnostics_import(
            diagnostics_csv([(*row, score)]), "d.csv", title="Д", year=2026
        )
        apply_diagnostics_import(operator, plan)
    latest = home_results(world).filter(is_latest=True)
    assert [r.score for r in latest] == [Decimal("75.00")]
    assert Person.objects.filter(last_name="Иванова").count() == 1


def test_only_the_operator_imports(world):
    plan = plan_diagnostics_import(
        diagnostics_csv([("Иванова Мария", "700901", "учитель", "", "Оценивание", "40")]),
        "d.csv",
        title="Д",
        year=2026,
    )
    from django.core.exceptions import PermissionDenied

    for role in ("region", "municipal", "school", "curator", "teacher"):
        with pytest.raises(PermissionDenied):
            apply_diagnostics_import(world.users[role], plan)


def test_the_preview_page_then_apply_writes_the_previewed_file(client, world):
    client.force_login(world.users.operator)
    data = diagnostics_csv([("Иванова Мария", "700901", "учитель", "", "Оценивание", "40")])
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(
        reverse("development:diagnostics_import"),
        {"title": "Диагностика", "year": 2026, "file": SimpleUploadedFile("d.csv", data)},
    )
    assert "Будет записано 1 результат" in page.content.decode()
    assert not home_results(world).exists()
    client.post(reverse("development:diagnostics_import_apply"))
    assert home_results(world).count() == 1


def test_the_template_is_a_file_the_import_reads(client, world):
    client.force_login(world.users.operator)
    response = client.get(reverse("development:diagnostics_template"))
    plan = plan_diagnostics_import(response.content, "шаблон.xlsx", title="Д", year=2026)
    # The example's school code is not in this registry: the only refusal is about it.
    assert {r.reason for r in plan.rejected} == {"школы с кодом «700101» нет в реестре"}


def test_the_command_imports_and_answers_in_json(world, tmp_path, capsys):
    path = tmp_path / "d.csv"
    path.write_bytes(
        diagnostics_csv([("Иванова Мария", "700901", "учитель", "", "Оценивание", "40")])
    )
    call_command("import-diagnostics", str(path), "--year", "2026", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["results"] == 1 and out["rejected"] == []
    assert home_results(world).count() == 1


def test_the_command_refuses_a_bad_file_with_exit_1(world, tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(diagnostics_csv([("Иванова Мария", "000", "учитель", "", "О", "40")]))
    with pytest.raises(SystemExit) as exit_:
        call_command("import-diagnostics", str(path), "--year", "2026")
    assert exit_.value.code == 1
    assert not home_results(world).exists()


def test_a_school_removed_while_the_preview_waited_refuses_the_whole_file(world):
    from opora.testing.factories import SchoolFactory

    closed = SchoolFactory(code="700999", municipality=world.home)
    data = diagnostics_csv(
        [
            ("Иванова Мария Петровна", "700901", "учитель", "", "Оценивание", 50),
            ("Петрова Анна Ивановна", "700999", "учитель", "", "Оценивание", 70),
        ]
    )
    plan = plan_diagnostics_import(data, "d.csv", title="Д", year=2026)
    assert plan.ok
    closed.delete()
    before = (Diagnostic.objects.count(), DiagnosticResult.objects.count(), Person.objects.count())
    with pytest.raises(UploadError, match="удалили из реестра"):
        apply_diagnostics_import(world.users.operator, plan)
    after = (Diagnostic.objects.count(), DiagnosticResult.objects.count(), Person.objects.count())
    assert after == before
