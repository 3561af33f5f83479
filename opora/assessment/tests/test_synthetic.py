"""The synthetic region: labelled, readable by the importer, shaped for the methodology."""

import pytest

from opora.assessment import engine, store
from opora.assessment.engine import Params
from opora.assessment.reference import reference_sql
from opora.assessment.results_file import read_results
from opora.assessment.synthetic import PASSPORTS_CSV_HEADER, generate


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    summary = generate(400, range(2022, 2025), folder / "data", seed=7)
    root = folder / "store"
    for batch, path in enumerate(summary["files"], start=1):
        result = read_results(path, path.name, set(summary["codes"]))
        assert result.rejected == []
        store.write_batch(root, batch, result.table)
    return summary, root


def test_files_are_labelled_synthetic(region):
    summary, _ = region
    assert [p.name for p in summary["files"]] == [
        "synthetic_results_2022.csv",
        "synthetic_results_2023.csv",
        "synthetic_results_2024.csv",
    ]
    assert "синтетические данные" in summary["note"]
    assert summary["passports_file"].read_text(encoding="utf-8").startswith(PASSPORTS_CSV_HEADER)


def test_every_school_has_a_passport_with_the_six_indicators(region):
    summary, _ = region
    assert set(summary["passports"]) == set(summary["codes"])
    assert set(summary["passports"]["900001"]) == set(engine.INDICATORS)


def test_cells_have_about_35_pupils_in_grades_4_to_8_and_two_subjects(region):
    summary, root = region
    cells = store.cells(root, years=[2024])
    assert set(cells["grade"].to_pylist()) == {4, 5, 6, 7, 8}
    assert set(cells["subject"].to_pylist()) == {"Русский язык", "Математика"}
    mean = sum(cells["participants"].to_pylist()) / cells.num_rows
    assert 30 <= mean <= 40
    assert summary["rows"] == sum(store.cells(root, years=None)["participants"].to_pylist())


def test_the_methodology_finds_about_one_school_in_ten_and_the_inflaters(region):
    summary, root = region
    result = engine.run(root, summary["passports"], Params(), 2024)
    assert 0.06 <= len(result.low_results) / summary["schools"] <= 0.14
    # Most listed schools were built weak; inflating schools are flagged.
    weak = set(summary["low_schools"])
    assert len(weak & set(result.low_results)) >= 0.8 * len(result.low_results)
    assert set(summary["inflating_schools"]) & set(result.biased)
    assert result.low_results == reference_sql(root, 2024, Params())


def test_journal_marks_are_written_and_compared(region):
    _, root = region
    table = store.term_comparison(root, 2024)
    assert table.num_rows == 400 * 2
    row = table.to_pylist()[0]
    assert row["below"] + row["equal"] + row["above"] == row["pupils"]


def test_the_same_seed_writes_the_same_files_and_codes_can_be_given(tmp_path):
    codes = ["700901", "700902", "700903"]
    first = generate(3, range(2024, 2025), tmp_path / "a", seed=3, codes=codes)
    second = generate(3, range(2024, 2025), tmp_path / "b", seed=3, codes=codes)
    assert first["files"][0].read_bytes() == second["files"][0].read_bytes()
    result = read_results(first["files"][0], "x.csv", set(codes))
    assert result.rejected == [] and result.schools == 3


def test_xlsx_format_for_small_regions(tmp_path):
    summary = generate(2, range(2024, 2025), tmp_path, fmt="xlsx")
    result = read_results(summary["files"][0], "x.xlsx", set(summary["codes"]))
    assert summary["files"][0].suffix == ".xlsx"
    assert result.rejected == [] and result.table.num_rows == summary["rows"]
