"""The schools' deficit summaries, from which the region's and a municipality's aggregates
read, always equal a recount of the latest results: after an import, after a later import
retires results, after a level changes, and not at all after an import refused whole."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, F, Q

from opora.core.intake.files import UploadError
from opora.development import selectors, services
from opora.development.importing import apply_diagnostics_import, plan_diagnostics_import
from opora.development.models import CompetenceArea, DeficitSummary, DiagnosticResult
from opora.testing.development import diagnostics_csv, school_file


def _import(world, data):
    plan = plan_diagnostics_import(data, "d.csv", title="Д", year=2026)
    assert plan.ok, plan.rejected
    return apply_diagnostics_import(world.users.operator, plan)


def _summary() -> dict[tuple[int, int], tuple[int, int]]:
    return {
        (s.school_id, s.area_id): (s.assessed, s.in_deficit) for s in DeficitSummary.objects.all()
    }


def _recount() -> dict[tuple[int, int], tuple[int, int]]:
    """The teachers assessed and in deficit per school and area, counted from the results."""
    rows = (
        DiagnosticResult.objects.filter(is_latest=True)
        .values("school_id", "area_id")
        .annotate(
            n=Count("person_id", distinct=True),
            d=Count("person_id", distinct=True, filter=Q(score__lt=F("area__threshold"))),
        )
    )
    return {(r["school_id"], r["area_id"]): (r["n"], r["d"]) for r in rows}


@pytest.fixture
def imported(world):
    _import(world, school_file("700901", 6, {"Оценивание": 40, "Предметные": 80}))
    _import(world, school_file("700902", 5, {"Оценивание": 70}))
    return world


def test_an_import_writes_the_summary_of_its_schools(imported):
    summary = _summary()
    assert summary == _recount()
    evaluation = CompetenceArea.objects.get(title="Оценивание").pk
    assert summary[(imported.home_school.pk, evaluation)] == (6, 6)
    assert summary[(imported.other_home_school.pk, evaluation)] == (5, 0)


def test_a_later_import_replaces_the_retired_results_in_the_summary(imported):
    # Two of the six teachers are assessed again in «Оценивание» and are no longer in deficit.
    rows = [
        (f"Педагогова{n} Анна Петровна", "700901", "учитель", "", "Оценивание", 90) for n in (0, 1)
    ]
    _import(imported, diagnostics_csv(rows))
    evaluation = CompetenceArea.objects.get(title="Оценивание").pk
    assert _summary()[(imported.home_school.pk, evaluation)] == (6, 4)
    assert _summary() == _recount()


def test_a_changed_level_recounts_the_deficits_of_every_school(imported):
    area = CompetenceArea.objects.get(title="Предметные")
    services.set_threshold(imported.users.region, area, Decimal("85"))
    assert _summary()[(imported.home_school.pk, area.pk)] == (6, 6)
    assert _summary() == _recount()


def test_a_refused_import_leaves_the_summary_as_it_was(imported):
    before = _summary()
    bad = diagnostics_csv(
        [
            ("Педагогова0 Анна Петровна", "700901", "учитель", "", "Оценивание", 95),
            ("Педагогова1 Анна Петровна", "999999", "учитель", "", "Оценивание", 95),
        ]
    )
    plan = plan_diagnostics_import(bad, "d.csv", title="Д", year=2026)
    with pytest.raises(UploadError):
        apply_diagnostics_import(imported.users.operator, plan)
    assert _summary() == before


def test_the_summary_is_written_in_the_imports_transaction(imported):
    before = _summary()
    plan = plan_diagnostics_import(
        school_file("700901", 6, {"Оценивание": 95}), "d.csv", title="Д", year=2026
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        apply_diagnostics_import(imported.users.operator, plan)
        assert _summary() != before
        raise RuntimeError("a later step of the same request fails")
    assert _summary() == before == _recount()


def test_the_region_and_the_municipality_read_the_summary_in_a_few_queries(
    imported, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        aggregate = selectors.region_aggregate(imported.users.region)
    cells = {owner.pk: cells for owner, cells in aggregate.rows}
    evaluation = [c for c in cells[imported.home.pk] if c and c.assessed == 11]
    assert [(c.assessed, c.in_deficit) for c in evaluation] == [(11, 6)]


def test_a_teacher_or_a_diagnostic_deleted_in_the_admin_leaves_the_summary_true(imported):
    teacher = DiagnosticResult.objects.filter(school=imported.home_school).first().person
    teacher.delete()
    evaluation = CompetenceArea.objects.get(title="Оценивание").pk
    assert _summary()[(imported.home_school.pk, evaluation)] == (5, 5)
    assert _summary() == _recount()
    DiagnosticResult.objects.filter(school=imported.other_home_school).first().diagnostic.delete()
    assert _summary() == _recount()
    assert (imported.other_home_school.pk, evaluation) not in _summary()
