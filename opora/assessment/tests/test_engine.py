"""The methodology on a region small enough to check by hand.

Grade 5, subjects М (Математика) and Р (Русский язык), 10 participants per cell unless said.
Shares of «2» per cell, and the thresholds max(P90 linear, 0.10) they give:

    2024 М: S1 1.0, S2 .1, S3 0, S4 .1, S5 .2, S6 .3, S7 1.0 (S7's only cell),
            S8 4 participants (dropped: fewer than 5)
            sorted 0 .1 .1 .2 .3 1 1, position 6·0.9 = 5.4 → 1 + .4·0 = 1.0     → S1, S7 low
    2024 Р: S1 0, S2 .1, S3..S6 0, S8 0
            sorted 0 0 0 0 0 0 .1, position 5.4 → .04 → floor 0.10           → S2 low (= threshold)
    2023 М: S1 1.0, S2 0, S3 1.0, S4 .1, S5 .2, S6 .3 → position 4.5 → 1.0   → S1, S3 low
    2023 Р: S6 .2, others 0 → 0 + .5·.2 = 0.10                               → S6 low
    2022 М: S1 0, S2 1.0, S3 0, S4 .1, S5 .2, S6 .3 → .3 + .5·.7 = 0.65      → S2 low
    2022 Р: S4 .5, others 0 → .25                                            → S4 low

Low years (≥ 2 cells, ≥ half low): S1 2023, 2024; S2 2022, 2024; S3 2023; S4 2022; S6 2023;
S7 never (one cell). ШНОР 2024 (low in 2024 and in ≥ 2 of 2022–2024): S1, S2.
"""

import math

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.assessment import engine, store
from opora.assessment.engine import Params, compare, identify, quantile
from opora.assessment.reference import reference_sql

M, R = "Математика", "Русский язык"
TWOS = {  # (year, subject) → {school: number of «2» out of 10}
    (2024, M): {"S1": 10, "S2": 1, "S3": 0, "S4": 1, "S5": 2, "S6": 3, "S7": 10},
    (2024, R): {"S1": 0, "S2": 1, "S3": 0, "S4": 0, "S5": 0, "S6": 0, "S8": 0},
    (2023, M): {"S1": 10, "S2": 0, "S3": 10, "S4": 1, "S5": 2, "S6": 3},
    (2023, R): {"S1": 0, "S2": 0, "S3": 0, "S4": 0, "S5": 0, "S6": 2},
    (2022, M): {"S1": 0, "S2": 10, "S3": 0, "S4": 1, "S5": 2, "S6": 3},
    (2022, R): {"S1": 0, "S2": 0, "S3": 0, "S4": 5, "S5": 0, "S6": 0},
}
# Marks other than «2»: all «3», except two schools that lifted their marks in 2024.
HIGH = {(2024, M, "S5"): (0, 3, 5), (2024, R, "S2"): (0, 0, 9)}  # (n3, n4, n5)


def region_rows() -> list[tuple]:
    rows = []
    for (year, subject), twos in TWOS.items():
        for school, n2 in twos.items():
            n3, n4, n5 = HIGH.get((year, subject, school), (10 - n2, 0, 0))
            rows.append((school, year, 5, subject, n2 + n3 + n4 + n5, n2, n3, n4, n5))
    rows.append(("S8", 2024, 5, M, 4, 4, 0, 0, 0))
    return rows


def cells_table(rows) -> pa.Table:
    names = ["school_code", "year", "grade", "subject", "participants", "n2", "n3", "n4", "n5"]
    return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})


PASSPORTS = {f"S{i}": {"is_rural": 1.0 if i <= 2 else 0.0} for i in range(1, 8)}
RURAL = Params(context_indicators=["is_rural"])


@pytest.fixture(scope="module")
def result():
    return identify(cells_table(region_rows()), PASSPORTS, RURAL, 2024)


def test_thresholds_are_the_interpolated_percentile_or_the_floor(result):
    thresholds = {(t.year, t.subject): t for t in result.thresholds}
    assert thresholds[(2024, M)].threshold == 1.0
    assert thresholds[(2024, M)].cells == 7  # S8's four participants do not make a cell
    assert thresholds[(2024, R)].percentile_value == pytest.approx(0.04)
    assert thresholds[(2024, R)].threshold == 0.10
    assert thresholds[(2023, M)].threshold == 1.0
    assert thresholds[(2023, R)].threshold == pytest.approx(0.10)
    assert thresholds[(2022, M)].threshold == pytest.approx(0.65)
    assert thresholds[(2022, R)].threshold == pytest.approx(0.25)


def test_the_list_of_low_results(result):
    assert result.low_results == ["S1", "S2"]
    assert result.explain("S1").low_years == [2023, 2024]
    assert result.explain("S2").low_years == [2022, 2024]
    assert result.explain("S3").low_years == [2023]
    # One cell is not enough, however bad it is.
    assert result.explain("S7").low_years == []
    assert result.explain("S7").cells_total == {2024: 1}


def test_the_explanation_says_which_cells_were_low_with_share_and_threshold(result):
    s2 = result.explain("S2")
    text = s2.text_ru()
    assert "ШНОР в 2024 году: низкие результаты в годы 2022, 2024" in text
    assert "Русский язык, 5 класс: доля «2» — 10 % при пороге 10 %" in text
    assert "Математика, 5 класс: доля «2» — 100 % при пороге 65 %" in text
    assert "2024: низких ячеек 1 из 2" in text
    assert s2.low_cells[0] == engine.LowCell(2024, R, 5, 0.1, 0.1, 10)
    not_listed = result.explain("S3").text_ru()
    assert not_listed.startswith("Не ШНОР в 2024 году: годы с низкими результатами — 2023")


def test_context_index_uses_population_z_scores_and_the_75th_percentile(result):
    # is_rural over S1–S7: mean 2/7, population sd √(2/7·5/7).
    sd = math.sqrt(2 / 7 * 5 / 7)
    assert result.explain("S1").context_index == pytest.approx((1 - 2 / 7) / sd)
    assert result.explain("S3").context_index == pytest.approx((0 - 2 / 7) / sd)
    assert result.unfavourable == ["S1", "S2"]
    # S8 has no passport: no index, never ШНСУ.
    assert result.explain("S8").context_index is None
    assert "нет паспорта" in result.explain("S8").text_ru()


def test_missing_indicators_are_left_out_of_a_schools_index():
    passports = {
        "A": {"share_low_income": 0.1, "is_rural": 1.0},
        "B": {"share_low_income": 0.3, "is_rural": 0.0},
        "C": {"share_low_income": None, "is_rural": 0.0},
    }
    params = Params(context_indicators=["share_low_income", "is_rural"])
    result = identify(cells_table([]), passports, params, 2024)
    z_income = {"A": -1.0, "B": 1.0}  # mean 0.2, sd 0.1
    z_rural = {k: (v - 1 / 3) / math.sqrt(2 / 9) for k, v in {"A": 1, "B": 0, "C": 0}.items()}
    assert result.explain("A").context_index == pytest.approx((z_income["A"] + z_rural["A"]) / 2)
    assert result.explain("C").context_index == pytest.approx(z_rural["C"])


def test_residual_is_negative_when_a_school_does_worse_than_similar_schools(result):
    # S7: 100 % «2» among non-rural schools expecting (0 + .05 + .1 + .15 + 1) / 5 = 26 %.
    s7 = result.explain("S7")
    assert s7.actual_share == 1.0
    assert s7.expected_share == pytest.approx(0.26)
    assert s7.residual < -1 and s7.worse_than_expected
    # S3 (no «2» at all) did better than expected: a positive residual.
    assert result.explain("S3").residual > 0
    assert result.worse_than_expected == ["S7"]
    assert result.fair_table() == {
        "low": {"worse": 0, "not_worse": 2},
        "not_low": {"worse": 1, "not_worse": 4},
    }


def test_small_schools_carry_their_uncertainty(result):
    s1 = result.explain("S1")
    assert s1.small and s1.participants == 20
    low, high = s1.interval
    assert low < s1.actual_share < high
    assert "95-процентным интервалом" in s1.text_ru()


# Journal marks, grade 5 Математика (pupils with a journal mark, of them ВПР mark higher):
#   S1, S3–S6: 100 pupils, 5 higher, every year; S2: 100/5 in 2022–2023, 100/60 in 2024
#   (starts inflating); S7: 12/6 every year (a small school that always inflates);
#   S8: 8/8 in 2024 (a cell under 10 pupils: never evidence).
# Region 2024: (25 + 60 + 6) / 612 = 14.9 %, line + 15 points = 29.9 %.
#   S2: 60/100, Wilson low 50.2 % > 29.9 % → high in 2024 → flagged.
#   S7: 6/12, Wilson low 25.4 % < 29.9 % → not high in 2024; in 2022 and 2023 the region is
#   36/612 = 5.9 % (line 20.9 %) → high. Pooled 18/36, Wilson low 34.5 % > 8.9 % + 15 % and
#   its 2024 share 50 % > 29.9 % → flagged: persistent.
TERMS = pa.table(
    {
        "school_code": ["S1", "S3", "S4", "S5", "S6"] * 3 + ["S2"] * 3 + ["S7"] * 3 + ["S8"],
        "year": [y for y in (2022, 2023, 2024) for _ in range(5)] + [2022, 2023, 2024] * 2 + [2024],
        "grade": [5] * 22,
        "subject": [M] * 22,
        "pupils": [100] * 15 + [100] * 3 + [12] * 3 + [8],
        "above": [5] * 15 + [5, 5, 60] + [6] * 3 + [8],
    }
)


def test_bias_flag_reads_the_journal_marks_and_persistence():
    result = identify(cells_table(region_rows()), PASSPORTS, RURAL, 2024, term_cells=TERMS)
    assert result.biased == ["S2", "S7"]
    s2 = result.explain("S2")
    now = s2.bias_years[-1]
    assert (now.year, now.pupils, now.above, now.high_year) == (2024, 100, 60, True)
    assert now.region_share == pytest.approx(91 / 612)
    assert now.low == pytest.approx(0.502, abs=0.001)
    s7 = result.explain("S7")
    assert [b.high_year for b in s7.bias_years] == [True, True, False]
    text = s7.text_ru()
    assert "2024 — 50 % (6 из 12 результатов" in text
    assert "в 2 из 3 лет" in text
    # 8 pupils are never evidence, however they are marked.
    assert not result.explain("S8").biased and result.explain("S8").bias_years == []
    # Shown, not applied — unless the methodology says so.
    assert "S2" in result.low_results
    strict = identify(
        cells_table(region_rows()), PASSPORTS, Params(exclude_biased=True), 2024, term_cells=TERMS
    )
    assert strict.low_results == ["S1"]


def test_no_journal_marks_no_flag():
    assert identify(cells_table(region_rows()), PASSPORTS, RURAL, 2024).biased == []


def test_previous_year_cells_can_come_separately():
    table = cells_table(region_rows())
    now = table.filter(pa.compute.equal(table["year"], 2024))
    before = table.filter(pa.compute.equal(table["year"], 2023))
    params = Params(years_back=0, low_years_required=1, context_indicators=["is_rural"])
    joined = identify(now, PASSPORTS, params, 2024, previous_year_cells=before)
    assert joined.low_results == identify(table, PASSPORTS, params, 2024).low_results


def test_compare_runs():
    a = identify(cells_table(region_rows()), PASSPORTS, RURAL, 2024, term_cells=TERMS)
    b = identify(
        cells_table(region_rows()), PASSPORTS, Params(exclude_biased=True), 2024, term_cells=TERMS
    )
    assert compare(a, b) == {"entered": [], "left": ["S2"], "stayed": ["S1"]}
    assert compare(b, a)["entered"] == ["S2"]


# A small school T: every cell under 5 participants, 1 «2» of 4 every year (grade 5, М).
# Region over 2022–2024, all cells: twos 10+1+1+1+2+3+10+0+… — computed in the test from
# the rows, 3 of 12 for T; Wilson 95 % of 3/12: 8.9 % – 53.2 %.
SMALL = [("T", y, 5, M, 4, 1, 3, 0, 0) for y in (2022, 2023, 2024)]


def test_a_school_with_only_small_cells_is_explained_not_hidden():
    rows = region_rows() + SMALL
    result = identify(cells_table(rows), PASSPORTS, RURAL, 2024)
    assert "T" in result.not_assessed and "T" not in result.low_results
    t = result.explain("T")
    assert (t.window_twos, t.window_results) == (3, 12)
    assert t.window_interval == pytest.approx((0.0889, 0.5323), abs=0.0001)
    window = [r for r in rows if 2022 <= r[1] <= 2024]
    region = sum(r[5] for r in window) / sum(r[4] for r in window)
    assert t.region_share == pytest.approx(region)
    text = t.text_ru()
    assert "Результаты не оцениваются по методике: во всех ячейках меньше 5 участников." in text
    assert "доля «2» — 25 % (3 из 12 результатов), 95-процентный интервал 9 % – 53 %" in text
    assert "годы с низкими результатами — нет" not in text


def test_a_schools_share_is_over_all_its_results_and_names_the_cells_left_out():
    rows = region_rows() + [("S3", 2024, 6, M, 4, 4, 0, 0, 0)]
    s3 = identify(cells_table(rows), PASSPORTS, RURAL, 2024).explain("S3")
    # 2024: М 0 of 10, Р 0 of 10, and the left-out grade 6: 4 of 4 → 4 of 24.
    assert (s3.twos, s3.participants) == (4, 24)
    assert s3.actual_share == pytest.approx(4 / 24)
    assert "Доля «2» в 2024 году — 17 % (4 из 24 результатов, все ячейки)" in s3.text_ru()
    assert "Не учтены методикой (меньше 5 участников): 2024, Математика, 6 класс — 4 уч." in (
        s3.text_ru()
    )


def pooled(how: str) -> Params:
    return Params(**{**RURAL.to_dict(), "pool_small": how})


def test_pooling_small_cells_over_years_lets_a_small_school_be_judged():
    # U: grade 5, 2 pupils a year in each subject, all «2». Pooled over 2022–2024, М: 6 of 6
    # against (2·0.65 + 2·1.0 + 2·1.0) / 6 = 0.883 → low; Р: 6 of 6 against
    # (2·0.25 + 2·0.10 + 2·0.10) / 6 = 0.15 → low. Each counts in each of its years: 2 low
    # cells of 2 every year → ШНОР. The regular cells and their thresholds are untouched.
    rows = region_rows() + [
        ("U", y, 5, s, 2, 2, 0, 0, 0) for y in (2022, 2023, 2024) for s in (M, R)
    ]
    plain = identify(cells_table(rows), PASSPORTS, RURAL, 2024)
    assert plain.low_results == ["S1", "S2"] and "U" in plain.not_assessed
    result = identify(cells_table(rows), PASSPORTS, pooled("years"), 2024)
    assert result.low_results == ["S1", "S2", "U"] and "U" not in result.not_assessed
    cells = {(c.year, c.subject): c for c in result.explain("U").low_cells}
    assert cells[(2024, M)].threshold == pytest.approx((0.65 + 1 + 1) / 3)
    assert cells[(2024, R)].threshold == pytest.approx(0.15)
    assert cells[(2024, M)].participants == 6


def test_pooling_small_cells_over_grades_weights_the_thresholds():
    # Grade 6 М 2024: S3–S6 with 1 «2» of 10 → threshold 0.10. V: 3 pupils in grade 5 and 3
    # in grade 6, all «2» → one cell «все классы» of 6 against (3·1.0 + 3·0.10) / 6 = 0.55.
    rows = (
        region_rows()
        + [(s, 2024, 6, M, 10, 1, 9, 0, 0) for s in ("S3", "S4", "S5", "S6")]
        + [("V", 2024, g, M, 3, 3, 0, 0, 0) for g in (5, 6)]
    )
    result = identify(cells_table(rows), PASSPORTS, pooled("grades"), 2024)
    (cell,) = result.explain("V").low_cells
    assert (cell.grade, cell.participants, cell.share) == (0, 6, 1.0)
    assert cell.threshold == pytest.approx(0.55)
    assert "Математика, все классы: доля «2» — 100 % при пороге 55 % (6 уч.)" in (
        result.explain("V").text_ru()
    )
    assert Params(pool_small="weeks").errors() == [
        "Объединение малых ячеек — «grades», «years» или пусто."
    ]


def test_comparison_schools_are_the_nearest_by_context():
    result = identify(cells_table(region_rows()), PASSPORTS, RURAL, 2024)
    s1 = result.explain("S1")
    # S1 is rural; the other rural school S2 has the same index, then the town schools.
    assert s1.comparisons[0].code == "S2"
    assert len(s1.comparisons) == 6
    assert "Школы в похожих условиях (6" in s1.text_ru()


def test_absolute_thresholds_define_the_unfavourable_list_and_say_so():
    passports = {f"S{i}": {"share_low_income": 0.1 * i} for i in range(1, 8)}
    params = Params(
        context_indicators=["share_low_income"], context_absolute={"share_low_income": 0.3}
    )
    result = identify(cells_table(region_rows()), passports, params, 2024)
    # 0.1·i ≥ 0.3 from S3 on (0.30000000000000004 included), whatever the spread of the region.
    assert result.unfavourable == ["S3", "S4", "S5", "S6", "S7"]
    assert "ШНСУ по абсолютным порогам (доля малоимущих семей ≥ 30 %): ШНСУ." in (
        result.explain("S4").text_ru()
    )
    relative = identify(
        cells_table(region_rows()), passports, Params(context_indicators=["share_low_income"]), 2024
    )
    assert relative.unfavourable == ["S6", "S7"]


def test_a_school_without_a_passport_is_said_to_have_none():
    text = identify(cells_table(region_rows()), PASSPORTS, RURAL, 2024).explain("S8").text_ru()
    assert "нет паспорта (не старше 1 г. до года списка) — в ШНСУ не входит" in text


def test_percent_rounds_half_up():
    from opora.core.formatting import percent

    assert percent(0.325) == "33 %"
    assert percent(0.125) == "13 %"
    assert percent(0.0125, 1) == "1,3 %"
    assert percent(0.324) == "32 %"


def test_params_round_trip_and_validation():
    params = Params(grades=None, percentile=80, exclude_biased=True)
    assert Params.from_dict(params.to_dict()) == params
    assert Params().to_dict()["grades"] == [4, 5, 6, 7, 8]
    assert Params().errors() == []
    assert "Процентиль — от 0 до 100." in Params(percentile=120).errors()
    with pytest.raises(ValueError, match="Неизвестные параметры методики: percentil"):
        Params.from_dict({"percentil": 90})


def pupil_table(rows) -> pa.Table:
    """Pupil rows with exactly the counts of each cell."""
    columns = {
        k: [] for k in ("year", "procedure", "school_code", "grade", "subject", "pupil_code")
    }
    columns.update(primary_score=[], mark=[], term_mark=[])
    for school, year, grade, subject, _, *counts in rows:
        marks = [m for m, n in zip((2, 3, 4, 5), counts, strict=True) for _ in range(n)]
        for i, mark in enumerate(marks):
            columns["year"].append(year)
            columns["procedure"].append("ВПР")
            columns["school_code"].append(school)
            columns["grade"].append(grade)
            columns["subject"].append(subject)
            columns["pupil_code"].append(f"{school}-{i}")
            columns["primary_score"].append(float(mark * 3))
            columns["mark"].append(mark)
            columns["term_mark"].append(3)
    return pa.table(columns)


@pytest.fixture
def stored(tmp_path):
    table = pupil_table(region_rows())
    for batch, year in enumerate((2022, 2023, 2024), start=1):
        store.write_batch(tmp_path, batch, table.filter(pa.compute.equal(table["year"], year)))
    return tmp_path


def test_the_store_gives_back_the_cells(stored):
    counted = store.cells(stored, years=[2022, 2023, 2024], min_participants=0)
    expected = {(r[0], r[1], r[3]): r[4:] for r in region_rows()}
    got = {
        (r["school_code"], r["year"], r["subject"]): (
            r["participants"],
            r["n2"],
            r["n3"],
            r["n4"],
            r["n5"],
        )
        for r in counted.to_pylist()
    }
    assert got == expected
    assert store.delete_batch(stored, 3) == 1
    assert set(store.cells(stored, years=None)["year"].to_pylist()) == {2022, 2023}


def test_one_reading_counts_the_cells_and_the_journal_marks_as_the_sql_does(tmp_path):
    table = pupil_table(region_rows())
    n = table.num_rows
    # Journal marks of every kind: none, below, equal to and above the assessment mark.
    term = [None if k % 7 == 0 else 2 + k % 4 for k in range(n)]
    table = table.set_column(table.column_names.index("term_mark"), "term_mark", pa.array(term))
    for batch, year in enumerate((2022, 2023, 2024), start=1):
        store.write_batch(tmp_path, batch, table.filter(pa.compute.equal(table["year"], year)))

    def rows(t: pa.Table) -> list[tuple]:
        return sorted(tuple(r.values()) for r in t.to_pylist())

    for scope in ({"years": [2022, 2023, 2024]}, {"years": [2023, 2024], "subjects": [M]}):
        counted, terms = store.cells_and_terms(tmp_path, **scope)
        assert counted.equals(store.cells(tmp_path, min_participants=0, **scope))
        assert rows(terms) == rows(store.term_cells(tmp_path, **scope))
        assert sum(terms["pupils"].to_pylist()) > sum(terms["above"].to_pylist()) > 0


def test_an_identification_reads_the_cells_each_import_counted(tmp_path):
    """The cells files with their journal-mark counts give the cells and terms the pupil
    rows give; a batch in scope without such a file sends the count back to the rows."""
    table = pupil_table(region_rows())
    term = [None if k % 5 == 0 else 2 + k % 4 for k in range(table.num_rows)]
    table = table.set_column(table.column_names.index("term_mark"), "term_mark", pa.array(term))
    for batch, year in enumerate((2022, 2023, 2024), start=1):
        part = table.filter(pa.compute.equal(table["year"], year))
        store.write_batch(tmp_path, batch, part)
        store.write_cells(tmp_path, batch, store.table_cells(part), publish=True)

    def rows(t: pa.Table) -> list[tuple]:
        return sorted(tuple(r.values()) for r in t.cast(plain_schema(t)).to_pylist())

    def plain_schema(t: pa.Table) -> pa.Schema:
        return pa.schema(
            (f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type) for f in t.schema
        )

    for scope in (
        {"years": [2022, 2023, 2024]},
        {"years": [2023, 2024], "subjects": [M], "grades": [5]},
        {"years": [2024], "batch_ids": [3]},
    ):
        cells, terms = store.cells_and_terms(tmp_path, **scope, dictionary=True)
        counter = store._count(
            tmp_path,
            "ВПР",
            scope["years"],
            scope.get("batch_ids"),
            scope.get("grades"),
            scope.get("subjects"),
            terms=True,
        )
        assert rows(cells) == rows(counter.table(0))
        assert rows(terms) == rows(counter.terms())
        assert sum(terms["above"].to_pylist()) > 0
    assert store._counted_at_import(tmp_path, "ВПР", [2024], None, None, None) is not None
    # Cells put without the journal-mark counts (as before they were kept): the rows count.
    store.write_cells(tmp_path, 3, store.table_cells(table).drop_columns(["pupils", "above"]))
    store.publish_batch(tmp_path, 3)
    assert store._counted_at_import(tmp_path, "ВПР", [2024], None, None, None) is None
    assert store._counted_at_import(tmp_path, "ВПР", [2022, 2023], None, None, None) is not None


@pytest.mark.parametrize("params", [RURAL, Params(exclude_biased=True), Params(min_threshold=0.3)])
def test_reference_sql_gives_the_same_list(stored, params):
    assert engine.run(stored, PASSPORTS, params, 2024).low_results == reference_sql(
        stored, 2024, params
    )


def test_passports_read_by_a_function_are_read_in_the_callers_thread(stored):
    """A database query answers only in the thread of its connection: the engine counts the
    store on other threads meanwhile, and the lists are those of the passports given."""
    import threading

    asked_in = []

    def passports():
        asked_in.append(threading.current_thread())
        return PASSPORTS

    result = engine.run(stored, passports, RURAL, 2024)

    assert asked_in == [threading.current_thread()]
    assert result.low_results == engine.run(stored, PASSPORTS, RURAL, 2024).low_results
    assert result.unfavourable == engine.run(stored, PASSPORTS, RURAL, 2024).unfavourable


def test_school_level_rows_join_the_pupil_rows(stored):
    school_level = pa.table(
        {
            "year": [2024, 2024, 2023, 2023],
            "procedure": ["ВПР"] * 4,
            "school_code": ["S9"] * 4,
            "grade": [5] * 4,
            "subject": [M, R, M, R],
            "participants": [12, 12, 12, 12],
            "n2": [12, 6, 12, 6],
            "n3": [0, 6, 0, 6],
            "n4": [0, 0, 0, 0],
            "n5": [0, 0, 0, 0],
        }
    )
    store.write_batch(stored, 9, school_level)
    counted = store.school_aggregates(stored, [9])
    assert counted.num_rows == 4 and set(counted["school_code"].to_pylist()) == {"S9"}
    result = engine.run(stored, PASSPORTS, RURAL, 2024)
    assert "S9" in result.low_results
    assert result.low_results == reference_sql(stored, 2024, RURAL)
    assert store.delete_batch(stored, 9) == 2
    assert not (stored / "school_level").exists()


def test_procedures_never_share_a_threshold(stored):
    monitoring = pupil_table(
        [("S1", 2024, 5, M, 10, 0, 10, 0, 0), ("S3", 2024, 5, M, 10, 9, 1, 0, 0)]
    )
    monitoring = monitoring.set_column(1, "procedure", pa.array(["РМ"] * monitoring.num_rows))
    store.write_batch(stored, 7, monitoring)
    params = Params(procedures=["ВПР", "РМ"], context_indicators=["is_rural"])
    result = engine.run(stored, PASSPORTS, params, 2024)
    subjects = {t.subject for t in result.thresholds if t.year == 2024}
    assert subjects == {"ВПР: Математика", "ВПР: Русский язык", "РМ: Математика"}
    assert result.low_results == reference_sql(stored, 2024, params)


def test_term_comparison_counts_marks_against_the_journal(stored):
    table = store.term_comparison(stored, 2024).to_pylist()
    s5 = next(r for r in table if r["school_code"] == "S5" and r["subject"] == M)
    # S5 in 2024: two «2» below the journal «3», three «4» and five «5» above.
    assert (s5["pupils"], s5["below"], s5["equal"], s5["above"]) == (10, 2, 0, 8)


shares = st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(shares, st.floats(0, 1))
def test_quantile_is_numpys_linear_interpolation(values, q):
    assert quantile(np.array(values), q) == pytest.approx(np.quantile(values, q), abs=1e-12)


cell_rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C", "D", "E", "F"]),
        st.sampled_from([2023, 2024]),
        st.sampled_from([4, 5, 6]),
        st.sampled_from([M, R]),
        st.integers(1, 30),
        st.integers(0, 30),
    ),
    max_size=40,
    unique_by=lambda r: r[:4],
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell_rows, st.floats(0.0, 0.5), st.integers(1, 3))
def test_thresholds_respect_the_floor_and_few_cells_are_never_low(raw, floor, min_cells):
    rows = [(s, y, g, subj, p, min(n2, p), p - min(n2, p), 0, 0) for s, y, g, subj, p, n2 in raw]
    params = Params(min_threshold=floor, min_cells=min_cells, years_back=1, low_years_required=1)
    result = identify(cells_table(rows), {}, params, 2024)

    assert all(t.threshold >= floor for t in result.thresholds)
    for code in result.low_results:
        explanation = result.explain(code)
        assert explanation.cells_total.get(2024, 0) >= min_cells
        assert 2024 in explanation.low_years


def test_comparison_schools_can_also_share_the_settlement_type_and_the_size():
    # S1, S3, S5 are small; S1, S2 rural. Nearest by index alone, S1 is compared with S2 first.
    passports = {
        code: {**values, "is_small": 1.0 if code in ("S1", "S3", "S5") else 0.0}
        for code, values in PASSPORTS.items()
    }
    same_size = Params(**{**RURAL.to_dict(), "comparison_filters": ["is_small"]})
    s1 = identify(cells_table(region_rows()), passports, same_size, 2024).explain("S1")
    assert sorted(c.code for c in s1.comparisons) == ["S3", "S5"]
    assert "того же размера (малокомплектная или нет)" in s1.text_ru()

    both = Params(**{**RURAL.to_dict(), "comparison_filters": ["is_small", "is_rural"]})
    assert (
        identify(cells_table(region_rows()), passports, both, 2024).explain("S1").comparisons == []
    )
    assert Params(comparison_filters=["size"]).errors() == [
        "Отбор школ для сравнения — по «is_rural» и (или) «is_small»."
    ]
