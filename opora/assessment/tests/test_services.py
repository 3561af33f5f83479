"""Services of the assessment app, as the issue states them: imports, methodologies, runs.

The region of ``conftest.py`` is small enough to decide on paper which schools are ШНОР; the
tests compare the services with those decisions and with marks counted here in Python.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opora.assessment import services, store
from opora.assessment.models import (
    BatchStatus,
    IdentificationRun,
    Methodology,
    ResultBatch,
    RunStatus,
)
from opora.registry.models import SchoolStatus, StatusKind, StatusSource
from opora.testing.assessment import (
    CODES,
    EXPECTED_BIASED,
    EXPECTED_LOW,
    EXPECTED_UNFAVOURABLE,
    csv_bytes,
    hand_counts,
    import_bytes,
    put_cells,
    region_rows,
    stored_cells,
)


def _cells() -> dict[tuple, tuple]:
    return {
        (c["school_code"], c["year"], c["grade"], c["subject"]): (
            c["participants"],
            c["n2"],
            c["n3"],
            c["n4"],
            c["n5"],
        )
        for c in stored_cells().to_pylist()
    }


def _expected(rows) -> dict[tuple, tuple]:
    return {
        key: (sum(marks.values()), marks[2], marks[3], marks[4], marks[5])
        for key, marks in hand_counts(rows).items()
    }


def _stored_files(batch_id=None) -> list[str]:
    ids = None if batch_id is None else [batch_id]
    root = services.results_root()
    return store.batch_files(root, batch_ids=ids) + store.batch_files(
        root, school_level=True, batch_ids=ids
    )


# ---------------------------------------------------------------- imports


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8", ";"), ("cp1251", ";"), ("utf-8-sig", ",")]
)
def test_a_pupil_file_is_imported_with_aggregates_equal_to_hand_counts(region, encoding, delimiter):
    rows = region_rows()
    batch = import_bytes(region.user, csv_bytes(rows, encoding=encoding, delimiter=delimiter))

    assert batch.status == BatchStatus.DONE, batch.message
    assert (batch.kind, batch.rows, batch.rows_total, batch.schools) == (
        "pupil",
        len(rows),
        len(rows),
        len(CODES),
    )
    assert batch.years == [2024, 2025, 2026]
    assert batch.procedures == ["ВПР"]
    assert batch.progress == 100
    assert batch.rejected == []
    assert _cells() == _expected(rows)
    # 800001 in 2026, grade 5, mathematics: «2» ×6, then 3, 4, 5, 3.
    assert _cells()[("800001", 2026, 5, "Математика")] == (10, 6, 2, 1, 1)
    # Too few pupils for the methodology, yet shown on the pages.
    assert _cells()[("800008", 2026, 6, "Русский язык")] == (3, 3, 0, 0, 0)
    files = _stored_files(batch.pk)
    assert {f.split("/year=")[1].split("/")[0] for f in files} == {"2024", "2025", "2026"}
    assert all("procedure=ВПР" in f for f in files)
    assert not (services.results_root() / "uploads" / f"batch-{batch.pk}.bin").exists()


def test_the_queued_import_runs_as_a_task_on_commit(region, django_capture_on_commit_callbacks):
    rows = region_rows(years=(2026,))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = services.start_import(region.user, csv_bytes(rows), "ВПР-2026.csv")
        assert batch.status == BatchStatus.QUEUED
        assert not stored_cells().num_rows
    assert len(callbacks) == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert stored_cells([batch.pk]).num_rows == len(CODES) * 4


def _with_bad_rows():
    rows = region_rows(years=(2026,))
    bad = [
        [2026, "ВПР", "999999", 5, "Математика", "99000001", 5, 3, ""],  # unknown school
        [2026, "ВПР", "800009", 5, "Математика", "99000002", 5, 7, ""],  # mark 7
        list(rows[0]),  # the same pupil again
        [2026, "ВПР", "800009", 5, "", "99000003", 5, 3, ""],  # no subject
    ]
    return rows, rows + bad


def test_a_file_with_bad_rows_is_refused_whole_with_russian_reasons(region):
    good, rows = _with_bad_rows()
    batch = import_bytes(region.user, csv_bytes(rows))

    assert batch.status == BatchStatus.REFUSED
    assert "файл не загружен" in batch.message
    assert "загрузить только корректные строки" in batch.message
    assert batch.rows == 0
    assert batch.rows_total == len(rows)
    first_bad = len(good) + 2  # the header is line 1
    duplicate = (
        f"участник «{good[0][5]}» повторяется в строках 2, {first_bad + 2} "
        "(тот же год, процедура, ОО, класс и предмет)"
    )
    assert batch.rejected == [
        {"line": 2, "reason": duplicate, "school_code": "800001"},
        {"line": first_bad, "reason": "неизвестный код ОО «999999»", "school_code": "999999"},
        {
            "line": first_bad + 1,
            "reason": "значение «7» в поле «Отметка» вне диапазона: нужно от 2 до 5",
            "school_code": "800009",
        },
        {"line": first_bad + 2, "reason": duplicate, "school_code": "800001"},
        {"line": first_bad + 3, "reason": "не заполнено поле «Предмет»", "school_code": "800009"},
    ]
    assert batch.rejected_count == 5
    assert batch.message.startswith("В файле 5 ошибочных строк — файл не загружен.")
    assert list((services.results_root() / "uploads").iterdir()) == []
    assert not stored_cells().num_rows
    assert _stored_files() == []


def test_valid_only_imports_the_rest_and_lists_what_it_left_out(region):
    good, rows = _with_bad_rows()
    batch = import_bytes(region.user, csv_bytes(rows), valid_only=True)

    assert batch.status == BatchStatus.DONE
    assert batch.rejected_count == 5
    # Both rows of the duplicated pupil are left out: which one is right is not ours to guess.
    assert batch.rows == len(rows) - 5 == len(good) - 1
    expected = _expected(good)
    key = (good[0][2], 2026, good[0][3], good[0][4])
    participants, *marks = expected[key]
    marks[good[0][7] - 2] -= 1
    expected[key] = (participants - 1, *marks)
    assert _cells() == expected


def test_importing_the_same_bytes_again_changes_nothing(imported):
    data = csv_bytes(region_rows())
    cells, files = _cells(), _stored_files()
    batches = ResultBatch.objects.count()

    again = services.start_import(imported.user, data, "копия.csv")
    services.run_import(again.pk) if again.status != BatchStatus.DONE else None

    assert again.pk == imported.batch.pk
    assert ResultBatch.objects.count() == batches
    assert _cells() == cells
    assert _stored_files() == files


def test_deleting_a_batch_deletes_its_parquet_and_aggregates(imported):
    other = import_bytes(imported.user, csv_bytes(region_rows(years=(2023,))), "2023.csv")
    assert other.status == BatchStatus.DONE
    gone = imported.batch.pk
    assert _stored_files(gone)

    services.delete_batch(imported.user, imported.batch)

    assert _stored_files(gone) == []
    assert not stored_cells([gone]).num_rows
    assert not ResultBatch.objects.filter(pk=gone).exists()
    assert stored_cells([other.pk]).num_rows == len(CODES) * 4
    assert _stored_files(other.pk)
    assert set(stored_cells()["year"].to_pylist()) == {2023}


def test_a_failure_while_storing_marks_the_batch_failed_and_keeps_nothing(region, settings):
    blocker = services.results_root() / "year=2026"
    blocker.write_text("not a folder")  # the partition of 2026 cannot be created
    batch = services.start_import(region.user, csv_bytes(region_rows()), "x.csv", enqueue=False)
    with pytest.raises(OSError):
        services.run_import(batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert batch.message.startswith("Ошибка при записи результатов")
    assert not stored_cells().num_rows
    blocker.unlink()
    assert _stored_files() == []  # 2024 and 2025 had been written: removed again


def test_only_the_region_imports(world):
    with pytest.raises(PermissionDenied):
        services.start_import(world.users.municipal, b"x", "x.csv")


# ---------------------------------------------------------------- runs


def test_create_run_lists_the_schools_worked_out_by_hand(imported):
    run = services.create_run(imported.user, services.default_methodology(), 2026)

    assert run.low_results == EXPECTED_LOW
    assert run.unfavourable == EXPECTED_UNFAVOURABLE
    assert run.biased == EXPECTED_BIASED
    assert run.batch_ids == [imported.batch.pk]
    assert run.status == RunStatus.DRAFT
    assert run.params == services.default_methodology().params
    table = run.fair_table
    # 800008 has no cell of five pupils in 2026, yet its share of «2» is over all its results
    # (12 of 12), so it is regressed too: 12 schools counted.
    assert sum(table["low"].values()) + sum(table["not_low"].values()) == 12
    assert sum(table["low"].values()) == len(EXPECTED_LOW)


def test_explanations_say_in_russian_which_cells_were_low(imported):
    run = services.create_run(imported.user, services.default_methodology(), 2026)
    listed = set(run.low_results) | set(run.unfavourable) | set(run.biased)
    assert listed <= set(run.schools.values_list("code", flat=True))

    first = run.explanation_of("800001")["lines"]
    assert first[0].startswith("ШНОР в 2026 году: низкие результаты в годы 2024, 2025, 2026")
    assert "2026: низких ячеек 4 из 4" in "\n".join(first)
    assert "  Математика, 5 класс: доля «2» — 60 % при пороге 60 % (10 уч.)" in first
    # 2024, grade 6: only two weak schools, so the percentile falls between 30 % and 60 %.
    assert "  Математика, 6 класс: доля «2» — 60 % при пороге 57 % (10 уч.)" in first
    # The explanation names the passport it used (issue 13).
    assert any(
        line.startswith("Индекс социального контекста (паспорт 2026 года):") for line in first
    )

    half = "\n".join(run.explanation_of("800005")["lines"])
    assert "2026: низких ячеек 2 из 4" in half
    assert "Русский язык, 6 класс" not in half

    biased = "\n".join(run.explanation_of("800003")["lines"])
    assert biased.startswith("Не ШНОР в 2026 году: годы с низкими результатами — 2024, 2025")
    assert "Признак необъективности (по ячейкам от 10 учеников): доля результатов, где " in biased
    assert "2026 — 100 % (40 из 40 результатов учеников" in biased
    assert "у похожих по результатам ВПР школ" in biased

    hard = "\n".join(run.explanation_of("800010")["lines"])
    assert "— ШНСУ." in hard


def test_a_run_of_a_year_without_results_is_empty_not_an_error(imported):
    run = services.create_run(imported.user, services.default_methodology(), 2030)
    assert run.low_results == []
    assert run.biased == []


def test_approving_sets_the_statuses_and_replaces_the_regional_list_only(imported):
    schools = imported.schools
    SchoolStatus.objects.create(  # last regional list of 2026: gone after approval
        school=schools["800003"], year=2026, kind=StatusKind.LOW_RESULTS, source="regional"
    )
    SchoolStatus.objects.create(  # a federal status stays
        school=schools["800004"], year=2026, kind=StatusKind.LOW_RESULTS, source="federal"
    )
    SchoolStatus.objects.create(  # federal and computed: the federal record stays as it is
        school=schools["800001"],
        year=2026,
        kind=StatusKind.LOW_RESULTS,
        source="federal",
        basis_kind="письмо Минпросвещения",
        basis_number="ФЛ-1",
    )
    SchoolStatus.objects.create(  # another year is not touched
        school=schools["800006"], year=2025, kind=StatusKind.LOW_RESULTS, source="regional"
    )
    run = services.create_run(imported.user, services.default_methodology(), 2026)

    n = services.approve_run(
        imported.user, run, kind="распоряжение ДОО ТО", number="123-р", day=date(2026, 9, 1)
    )

    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    assert (run.basis_kind, run.basis_number, run.basis_date) == (
        "распоряжение ДОО ТО",
        "123-р",
        date(2026, 9, 1),
    )
    assert run.approved_by == imported.user
    statuses = {
        (s.school.code, s.kind): s
        for s in SchoolStatus.objects.filter(year=2026).select_related("school")
    }
    low = sorted(c for c, k in statuses if k == StatusKind.LOW_RESULTS)
    assert low == ["800001", "800002", "800004", "800005"]
    unfavourable = sorted(c for c, k in statuses if k == StatusKind.UNFAVOURABLE)
    assert unfavourable == EXPECTED_UNFAVOURABLE
    assert statuses[("800004", StatusKind.LOW_RESULTS)].source == StatusSource.FEDERAL
    federal = statuses[("800001", StatusKind.LOW_RESULTS)]
    assert (federal.source, federal.basis_number) == (StatusSource.FEDERAL, "ФЛ-1")
    regional = statuses[("800002", StatusKind.LOW_RESULTS)]
    assert regional.source == StatusSource.REGIONAL
    assert (regional.basis_kind, regional.basis_number, regional.basis_date) == (
        "распоряжение ДОО ТО",
        "123-р",
        date(2026, 9, 1),
    )
    assert f"Расчёт № {run.pk}" in regional.note
    assert regional.basis == "распоряжение ДОО ТО от 01.09.2026 № 123-р"
    assert n == 2 + 3  # 800002 and 800005 as ШНОР, three ШНСУ
    assert SchoolStatus.objects.filter(year=2025, school=schools["800006"]).exists()

    with pytest.raises(ValidationError, match="уже утверждён"):
        services.approve_run(imported.user, run, kind="распоряжение", number="1", day=date.today())


def test_a_second_approved_run_replaces_the_first_regional_list(imported):
    m = services.default_methodology()
    first = services.create_run(imported.user, m, 2026)
    services.approve_run(imported.user, first, kind="распоряжение", number="1", day=date.today())
    lower = services.save_methodology(
        imported.user, m, name=m.name, description="", params={**m.params, "percentile": 50}
    )
    second = services.create_run(imported.user, lower, 2026)
    services.approve_run(imported.user, second, kind="распоряжение", number="2", day=date.today())

    regional = SchoolStatus.objects.filter(year=2026, kind=StatusKind.LOW_RESULTS)
    assert sorted(regional.values_list("school__code", flat=True)) == sorted(
        EXPECTED_LOW + ["800007"]
    )
    assert set(regional.values_list("basis_number", flat=True)) == {"2"}


def test_approval_needs_the_document(imported):
    run = services.create_run(imported.user, services.default_methodology(), 2026)
    with pytest.raises(ValidationError, match="Укажите вид, номер и дату"):
        services.approve_run(imported.user, run, kind="распоряжение", number="", day=None)
    assert not SchoolStatus.objects.exists()


# ---------------------------------------------------------------- methodologies


def test_saving_a_methodology_makes_a_new_version(region):
    base = services.default_methodology()
    assert base.name == "Региональная методика (по умолчанию)"
    assert base.params["percentile"] == 90 and base.params["min_threshold"] == 0.1

    v2 = services.save_methodology(
        region.user,
        base,
        name=base.name,
        description="Порог — 80-й процентиль",
        params={**base.params, "percentile": 80},
    )

    assert (v2.name, v2.version, v2.params["percentile"]) == (base.name, 2, 80)
    assert v2.is_default
    base.refresh_from_db()
    assert base.params["percentile"] == 90 and not base.is_default
    assert services.default_methodology() == v2
    other = services.save_methodology(
        region.user, v2, name="Методика с ОГЭ", description="", params={"procedures": ["ОГЭ"]}
    )
    assert (other.version, other.is_default) == (1, False)
    assert other.params["percentile"] == 90  # missing parameters take the defaults


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"percentile": 150}, "Процентиль — от 0 до 100."),
        ({"min_threshold": 2}, "Минимальный порог — доля от 0 до 1."),
        ({"procedures": []}, "Нужна хотя бы одна процедура."),
        ({"years_back": 0, "low_years_required": 2}, "от 1 до числа лет окна"),
        ({"grades": [0, 12]}, "Классы — от 1 до 11"),
        ({"context_indicators": ["share_aliens"]}, "Неизвестные показатели контекста"),
        ({"no_such_parameter": 1}, "Неизвестные параметры методики: no_such_parameter"),
        ({"grades": ["пятый"]}, "Неверные параметры методики"),
        ({"percentile": "много"}, "Неверные параметры методики"),
    ],
)
def test_bad_parameters_are_refused_with_russian_messages(region, params, message):
    base = services.default_methodology()
    before = Methodology.objects.count()
    with pytest.raises(ValidationError) as error:
        services.save_methodology(
            region.user, base, name=base.name, description="", params={**base.params, **params}
        )
    assert any(message in m for m in error.value.messages), error.value.messages
    assert Methodology.objects.count() == before


def test_compare_lists():
    assert services.compare_lists(["1", "2", "3"], ["3", "4", "2", "5"]) == {
        "entered": ["4", "5"],
        "left": ["1"],
        "stayed": ["2", "3"],
    }
    assert services.compare_lists([], []) == {"entered": [], "left": [], "stayed": []}


def test_compute_saves_nothing(imported):
    from opora.assessment import engine

    params = engine.Params(percentile=50)
    result, batch_ids, seconds = services.compute(2026, params)
    assert result.low_results == sorted(EXPECTED_LOW + ["800007"])
    assert batch_ids == [imported.batch.pk]
    assert seconds >= 0
    assert not IdentificationRun.objects.exists()


def test_a_run_before_any_import_is_empty_not_an_error(region):
    run = services.create_run(region.user, services.default_methodology(), 2026)
    assert (run.low_results, run.biased, run.batch_ids) == ([], [], [])
    assert run.unfavourable == EXPECTED_UNFAVOURABLE  # the passports alone decide ШНСУ


def test_the_same_file_queued_twice_is_counted_once(region):
    data = csv_bytes(region_rows(years=(2026,)))
    first = services.start_import(region.user, data, "a.csv", enqueue=False)
    second = services.start_import(region.user, data, "a (копия).csv", enqueue=False)
    assert first.pk != second.pk  # neither was imported yet

    assert services.run_import(first.pk).status == BatchStatus.DONE
    twin = services.run_import(second.pk)

    assert twin.status == BatchStatus.REFUSED
    assert twin.message == f"Этот файл уже загружен (пакет № {first.pk}) — ничего не изменено."
    assert stored_cells().num_rows == len(CODES) * 4
    assert _stored_files(second.pk) == []


def test_a_schools_cells_read_from_its_row_groups_are_those_the_query_finds(region):
    """The school card reads only the row groups holding the school's code; the same cells
    as the query over the whole files finds (ten thousand codes: several row groups a file)."""
    batches = [
        ResultBatch.objects.create(file_name=f"{k}.csv", checksum=str(k) * 64, status="done")
        for k in (1, 2)
    ]
    for k, batch in enumerate(batches):
        rows = [
            {"school_code": f"{700000 + i}", "year": 2025 + k, "procedure": "ВПР", "grade": 5}
            | {"subject": "Математика", "participants": 10, "n2": i % 10, "n3": 10 - i % 10}
            | {"n4": 0, "n5": 0}
            for i in range(10_000)
        ]
        put_cells(batch, rows)
    root, ids = services.results_root(), [b.pk for b in batches]
    for code in ("700000", "704097", "709999", "800001"):
        fast = store.stored_cells(root, ids, school_codes=[code]).sort_by("year")
        scan = store.stored_cells(root, ids, school_codes=[code], procedure="ВПР")
        assert fast.to_pylist() == scan.sort_by("year").to_pylist()
        assert fast.num_rows == (2 if code.startswith("70") else 0)
        by = ("school_code", "year")
        fast = store.cell_sums(root, ids, by, school_codes=[code]).sort_by("year")
        scan = store.cell_sums(root, ids, by, school_codes=[code], procedure="ВПР")
        assert fast.to_pylist() == scan.sort_by("year").to_pylist()
