"""Deficits, the team summary, the region's aggregate and the personal-data rules: a named
teacher's data for the teacher, their head, their curator and the operator only; aggregates
elsewhere with groups under five hidden; every view of a named teacher recorded."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from opora.accounts.models import AccessRecord
from opora.development import selectors, services
from opora.development.importing import apply_diagnostics_import, plan_diagnostics_import
from opora.development.models import CompetenceArea
from opora.testing.development import school_file

NAMED = ["teacher", "school", "curator", "operator"]
AGGREGATE_ONLY = ["region", "municipal", "expert", "observer"]


def _import(world, data):
    plan = plan_diagnostics_import(data, "d.csv", title="Д", year=2026)
    assert plan.ok, plan.rejected
    return apply_diagnostics_import(world.users.operator, plan)


@pytest.fixture
def team(world):
    """Six teachers of the home school: «Оценивание» 40 (a deficit), «Предметные» 80; and the
    home teacher of the world with a deficit of their own."""
    _import(world, school_file("700901", 6, {"Оценивание": 40, "Предметные": 80}))
    teacher = world.home_teacher
    _import(
        world,
        f"ФИО;Код ОО;Должность;Область компетенций;Балл\n{teacher.full_name};700901;учитель;Оценивание;30\n".encode(),
    )
    return world


def test_an_area_below_its_threshold_is_a_deficit_and_the_threshold_is_the_regions(team):
    summary = selectors.team_summary(team.users.school, team.home_school)
    lines = {line.area.title: line for line in summary.lines}
    assert (lines["Оценивание"].assessed, lines["Оценивание"].in_deficit) == (7, 7)
    assert lines["Предметные"].in_deficit == 0

    area = CompetenceArea.objects.get(title="Предметные")
    services.set_threshold(team.users.region, area, Decimal("85"))
    summary = selectors.team_summary(team.users.school, team.home_school)
    assert {line.area.title: line.in_deficit for line in summary.lines}["Предметные"] == 6


def test_the_region_and_the_municipality_see_aggregates_with_small_groups_hidden(team):
    for role in ("region", "municipal"):
        summary = selectors.team_summary(team.users[role], team.home_school)
        assert not summary.named and summary.deficits_by_person == []
        lines = {line.area.title: line for line in summary.lines}
        assert lines["Оценивание"].in_deficit == 7
        # «Предметные»: six teachers, shown; the management team (nobody) shows nothing.
        assert lines["Предметные"].in_deficit == 0
    _import(team, school_file("700902", 3, {"Оценивание": 40}))
    small = selectors.team_summary(team.users.municipal, team.other_home_school)
    assert [line.in_deficit for line in small.lines] == [None]
    assert all(line.hidden for line in small.lines)
    aggregate = selectors.region_aggregate(team.users.municipal, team.home)
    cells = {owner.pk: cells for owner, cells in aggregate.rows}
    assert all(c is None or c.in_deficit is None for c in cells[team.other_home_school.pk])
    assert any(c and c.in_deficit == 7 for c in cells[team.home_school.pk])


def test_the_head_the_curator_and_the_operator_see_the_team_by_name(team):
    for role in ("school", "curator", "operator"):
        summary = selectors.team_summary(team.users[role], team.home_school)
        assert summary.named, role
        assert len(summary.deficits_by_person) == 7


@pytest.mark.parametrize("role", NAMED)
def test_a_named_teachers_page_is_open_to_them_their_head_curator_and_operator(client, team, role):
    client.force_login(team.users[role])
    teacher = team.home_teacher
    before = AccessRecord.objects.count()
    page = client.get(reverse("development:teacher", args=[teacher.pk]))
    assert page.status_code == 200
    assert teacher.full_name in page.content.decode()
    record = AccessRecord.objects.order_by("-pk").first()
    assert AccessRecord.objects.count() == before + 1
    assert (record.username, record.object_id) == (team.users[role].username, str(teacher.pk))


@pytest.mark.parametrize("role", AGGREGATE_ONLY)
def test_a_named_teachers_page_is_closed_to_everyone_else(client, team, role):
    client.force_login(team.users[role])
    page = client.get(reverse("development:teacher", args=[team.home_teacher.pk]))
    assert page.status_code == 404


def test_a_teacher_sees_only_their_own_page(client, team):
    from opora.people.models import Person

    client.force_login(team.users.teacher)
    colleague = Person.objects.filter(school=team.home_school).exclude(pk=team.home_teacher.pk)[0]
    assert client.get(reverse("development:teacher", args=[colleague.pk])).status_code == 404
    assert (
        client.get(reverse("development:school_team", args=[team.home_school.pk])).status_code
        == 404
    )
    own = client.get(reverse("development:me"))
    assert own.status_code == 200
    assert "Оценивание" in own.content.decode() and "дефицит" in own.content.decode()
    assert AccessRecord.objects.filter(username="teacher", what__startswith="Мой маршрут").exists()


def test_the_export_names_teachers_only_for_those_entitled(client, team):
    import io

    import openpyxl

    def names(role):
        client.force_login(team.users[role])
        response = client.get(reverse("development:results_export"))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}

    teacher = team.home_teacher.full_name
    assert teacher in names("operator")
    assert teacher in names("school")
    pseudonymised = names("municipal")
    assert teacher not in pseudonymised and len(pseudonymised) == 7
    assert all(n.startswith("Педагог ") for n in pseudonymised)
    assert AccessRecord.objects.filter(what__contains="(псевдонимы)", username="municipal").exists()


def test_the_named_team_page_is_recorded_and_the_aggregate_is_not(client, team):
    client.force_login(team.users.school)
    client.get(reverse("development:school_team", args=[team.home_school.pk]))
    assert AccessRecord.objects.filter(username="school", what="Дефициты педагогов школы").exists()
    client.force_login(team.users.municipal)
    page = client.get(reverse("development:school_team", args=[team.home_school.pk]))
    assert team.home_teacher.full_name not in page.content.decode()
    assert not AccessRecord.objects.filter(username="municipal").exists()


def test_pupils_results_are_never_read_to_evaluate_a_teacher():
    """No module of professional development imports the pupils' results (assessment)."""
    root = Path(__file__).resolve().parent.parent
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            assert not any(n.startswith("opora.assessment") for n in names), path
