"""The bias signal on a region worked out on paper: the share of results whose ВПР mark is
above the journal mark, against the region and against the schools of similar ВПР results,
persistence over the window, and cells too small to be evidence.

Sixty schools, grade 5, Математика and Русский язык, 50 pupils per cell, every year
2022–2024. In every cell 10 pupils get «2» (share 20 % everywhere: the threshold is 20 %, every
cell is low, every school is ШНОР — so the list with the flag applied is exactly the list
without the flagged schools). The other 40 pupils get «3» in the 30 «weak» schools (W1–W29,
Y: mean mark 2,8) and «5» in the 30 «strong» ones (H1–H28, X, Z: mean mark 4,4). Per school
and year 100 results have a journal mark; above it (ВПР mark higher) are:

    W1–W29: 2 every year          H1–H28: 30 every year
    Y: 2, 2, then 50 in 2024      X: 30, 30, then 45 in 2024      Z: 52 every year

Similar results: 60 schools read a year → 60 // 30 = 2 groups; the edge is the median mean
mark, (2,8 + 4,4) / 2 = 3,6: the weak and the strong schools. Medians of the shares: weak
2 %, strong 30 % (the 28 schools at 30 % outweigh X and Z).

2024: region (29·2 + 50 + 28·30 + 45 + 52) / 6000 = 1045 / 6000 = 17,4 %, its line 32,4 %.
  Y 50/100: Wilson low 40,4 % > max(17,4; 2) + 15 = 32,4 %          → high → flagged.
  X 45/100: Wilson low 35,6 % > 32,4 % (the region alone would flag it) but the strong
            schools' line is 30 + 15 = 45 %                              → not high.
  Z 52/100: Wilson low 42,3 % < 45 % in each year; pooled 156/300: low 46,4 % > 45 %, and
            52 % > 45 % in 2024                                        → flagged: persistent.
"""

import pyarrow as pa
import pytest

from opora.assessment import engine, store
from opora.assessment.engine import Params
from opora.assessment.reference import reference_sql

M, R = "Математика", "Русский язык"
YEARS = (2022, 2023, 2024)
WEAK = [f"W{i}" for i in range(1, 30)] + ["Y"]
STRONG = [f"H{i}" for i in range(1, 29)] + ["X", "Z"]
ABOVE = {"Y": (2, 2, 50), "X": (30, 30, 45), "Z": (52, 52, 52)}


def above(school: str, k: int) -> int:
    if school in ABOVE:
        return ABOVE[school][k]
    return 2 if school in WEAK else 30


def region_table(extra=()) -> pa.Table:
    """Pupil rows: per cell 10 «2» and 40 «3» (weak) or «5» (strong); of the 40, the first
    ``above`` of the school-year (split between the two subjects) have a journal mark one
    lower, the others the same mark."""
    columns = {
        k: []
        for k in ("year", "procedure", "school_code", "grade", "subject", "pupil_code")
        + ("primary_score", "mark", "term_mark")
    }

    def add(school, year, subject, mark, term, i):
        for key, value in (
            ("year", year),
            ("procedure", "ВПР"),
            ("school_code", school),
            ("grade", 5),
            ("subject", subject),
            ("pupil_code", f"{school}-{subject[0]}-{i}"),
            ("primary_score", float(mark * 3)),
            ("mark", mark),
            ("term_mark", term),
        ):
            columns[key].append(value)

    for k, year in enumerate(YEARS):
        for school in WEAK + STRONG:
            good = 3 if school in WEAK else 5
            lifted = above(school, k)
            for subject, count in ((M, lifted // 2), (R, lifted - lifted // 2)):
                for i in range(50):
                    mark = 2 if i < 10 else good
                    add(school, year, subject, mark, mark - 1 if 10 <= i < 10 + count else mark, i)
    for school, year, subject, marks in extra:
        for i, (mark, term) in enumerate(marks):
            add(school, year, subject, mark, term, i)
    return pa.table(columns)


def write(root, table: pa.Table):
    for batch, year in enumerate(YEARS, start=1):
        store.write_batch(root, batch, table.filter(pa.compute.equal(table["year"], year)))
    return root


PASSPORTS = {s: {"is_rural": 0.0} for s in WEAK + STRONG}


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    return write(tmp_path_factory.mktemp("bias"), region_table())


@pytest.fixture(scope="module")
def result(stored):
    return engine.run(stored, PASSPORTS, Params(), 2024)


def test_a_school_above_the_region_but_like_its_similar_schools_is_not_flagged(result):
    assert result.biased == ["Y", "Z"]
    x = result.explain("X")
    now = x.bias_years[-1]
    assert (now.pupils, now.above, now.high_year) == (100, 45, False)
    assert now.region_share == pytest.approx(1045 / 6000)
    assert now.low == pytest.approx(0.356, abs=0.001)
    assert now.low > now.region_share + 0.15  # the region alone would have flagged X
    assert now.similar_share == pytest.approx(0.30)
    assert (now.similar_lowest, now.similar_highest, now.similar_schools) == (4.4, 4.4, 30)


def test_a_newly_inflating_school_is_flagged_with_its_numbers(result):
    y = result.explain("Y")
    now = y.bias_years[-1]
    assert now.high_year and now.low == pytest.approx(0.404, abs=0.001)
    assert now.similar_share == pytest.approx(0.02)
    assert [b.high_year for b in y.bias_years] == [False, False, True]
    text = y.text_ru()
    assert "Признак необъективности (по ячейкам от 10 учеников)" in text
    assert "2024 — 50 % (50 из 100 результатов учеников, 95-процентный интервал 40 % – 60 %" in (
        text
    )
    assert "по региону 17 %, у похожих по результатам ВПР школ 2 % (медиана 30 школ" in text
    assert "со средней отметкой 2,8)" in text
    assert "более чем на 15 п. п. в 1 из 3 лет." in text


def test_a_school_inflating_every_year_is_found_by_its_years_pooled(result):
    z = result.explain("Z")
    assert [b.high_year for b in z.bias_years] == [False, False, False]
    assert all(b.low == pytest.approx(0.423, abs=0.001) for b in z.bias_years)
    assert z.biased
    assert "Ни один год отдельно не выше порога, но за годы вместе" in z.text_ru()


def test_the_flag_is_shown_not_applied_unless_asked_and_the_sql_agrees(stored, result):
    everyone = sorted(WEAK + STRONG)
    assert result.low_results == everyone
    strict = Params(exclude_biased=True)
    listed = engine.run(stored, PASSPORTS, strict, 2024).low_results
    assert listed == [s for s in everyone if s not in ("Y", "Z")]
    assert listed == reference_sql(stored, 2024, strict)


def test_small_cells_are_never_evidence(tmp_path):
    # S: 9 pupils in 2024 (one cell, all «5» over a journal «3»), every year; 9 < 10 pupils:
    # never read, however high its share. With a cell of 12 (12 of 12 above) it is.
    nine = [("S", y, M, [(5, 3)] * 9) for y in YEARS]
    result = engine.run(write(tmp_path / "a", region_table(nine)), PASSPORTS, Params(), 2024)
    assert "S" not in result.biased and result.explain("S").bias_years == []
    twelve = [("S", y, M, [(5, 3)] * 12) for y in YEARS]
    result = engine.run(write(tmp_path / "b", region_table(twelve)), PASSPORTS, Params(), 2024)
    assert "S" in result.biased
    (now,) = [b for b in result.explain("S").bias_years if b.year == 2024]
    assert (now.pupils, now.above) == (12, 12)
