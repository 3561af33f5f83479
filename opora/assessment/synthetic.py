"""A synthetic region of assessment results, for the demo, the tests and the benchmarks.

Everything written here is invented: the files are named ``synthetic_results_<year>.csv``
(a CSV cannot carry a comment line without breaking its header) and the returned summary says
«синтетические данные». The data are shaped so that the default methodology has something to
find: about one school in eight is built persistently weak (the default methodology lists
about 9 % of schools, nearly all of them weak ones), schools in harder social conditions do a
little worse, about 3 % of schools inflate their ВПР marks (against their journal marks too)
— a third of them in every year, the others from a later year on —, and about one school in
ten is small (2–11 pupils per grade). The inflating schools are recorded (the summary and
``synthetic_truth.json``) as the ground truth of the bias benchmark.

Generation is vectorised with numpy and written with ``pyarrow.csv`` in chunks of schools, so
a country (40 000 schools, three years, ≈ 42 million pupil rows) takes seconds per year.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

NOTE = "синтетические данные, сгенерированные для демонстрации и проверки; не реальные результаты"

PUPIL_HEADER = [
    "Год",
    "Процедура",
    "Код ОО",
    "Класс",
    "Предмет",
    "Код участника",
    "Первичный балл",
    "Отметка",
    "Отметка по журналу",
]
PASSPORT_HEADER = [
    "Код ОО",
    "Год",
    "share_special_needs",
    "share_non_native",
    "share_low_income",
    "share_single_parent",
    "is_rural",
    "is_small",
]
PASSPORTS_CSV_HEADER = ";".join(PASSPORT_HEADER)
DEFAULT_GRADES = (4, 5, 6, 7, 8)
DEFAULT_SUBJECTS = ("Русский язык", "Математика")
# Primary-score cut points of marks 3, 4 and 5 (a ВПР-like 0–25 scale).
SCORE_CUTS = np.array([4, 9, 14])
MAX_SCORE = 25
TERM_SHIFT_CUTS = np.array([0.08, 0.68], dtype=np.float32)
CHUNK_SCHOOLS = 4000


def default_codes(n_schools: int) -> list[str]:
    """Six-digit codes 900001, 900002, … — outside any real region's numbering."""
    return [str(900001 + i) for i in range(n_schools)]


def generate(
    n_schools: int,
    years: range,
    out_dir: Path,
    seed: int = 1,
    codes: list[str] | None = None,
    fmt: str = "csv",
    grades: tuple[int, ...] = DEFAULT_GRADES,
    subjects: tuple[str, ...] = DEFAULT_SUBJECTS,
) -> dict:
    """Write one pupil-level ВПР file per year and a passports file into ``out_dir``.

    Returns ``{"note", "files", "passports_file", "rows", "rows_by_year", "schools",
    "codes", "passports", "low_schools", "inflating_schools"}`` where ``passports`` maps a
    school code to its six context indicators (the same every year) and the last two list the
    codes built to be weak and to inflate marks (ground truth for tests, not a methodology).
    ``fmt`` is ``"csv"`` (``;``-separated UTF-8) or ``"xlsx"`` (small regions only).
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}")
    codes = list(codes) if codes is not None else default_codes(n_schools)
    if len(codes) != n_schools or len(set(codes)) != n_schools:
        raise ValueError("codes must be n_schools distinct strings")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    years = list(years)
    rng = np.random.default_rng(seed)
    region = _Region.draw(rng, n_schools, years)

    files, rows_by_year = [], {}
    for y_index, year in enumerate(years):
        path = out_dir / f"synthetic_results_{year}.{fmt}"
        rows_by_year[year] = _write_year(
            path, fmt, rng, region, codes, year, y_index, grades, subjects
        )
        files.append(path)

    passports = region.passports(codes)
    passports_file = out_dir / "synthetic_passports.csv"
    _write_passports(passports_file, passports, years)
    inflating = np.flatnonzero(region.inflate_from < len(years))
    truth = {
        "note": NOTE,
        "inflating_persistent": [codes[i] for i in inflating if region.inflate_from[i] == 0],
        "inflating_new": {
            codes[i]: years[int(region.inflate_from[i])]
            for i in inflating
            if region.inflate_from[i] > 0
        },
        "low_schools": [codes[i] for i in np.flatnonzero(region.weak)],
    }
    truth_file = out_dir / "synthetic_truth.json"
    truth_file.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return {
        "note": NOTE,
        "files": files,
        "passports_file": passports_file,
        "rows": sum(rows_by_year.values()),
        "rows_by_year": rows_by_year,
        "schools": n_schools,
        "codes": codes,
        "passports": passports,
        "low_schools": [codes[i] for i in np.flatnonzero(region.weak)],
        "inflating_schools": [codes[i] for i in inflating],
        "inflating_persistent": truth["inflating_persistent"],
        "inflating_new": truth["inflating_new"],
        "truth_file": truth_file,
    }


class _Region:
    """Per-school latent traits, drawn once so that years are consistent with each other."""

    def __init__(self, **arrays):
        self.__dict__.update(arrays)

    @classmethod
    def draw(cls, rng: np.random.Generator, n: int, years: list[int]) -> _Region:
        context = rng.standard_normal(n)  # higher = harder social conditions
        weak = rng.random(n) < 0.12
        small = rng.random(n) < 0.10
        quality = -0.3 * context + rng.normal(0.0, 0.3, n) - np.where(weak, 1.5, 0.0)
        size = np.where(small, rng.integers(2, 12, n), rng.normal(38.5, 8.0, n).clip(12, 80))
        inflating = (rng.random(n) < 0.03) & ~weak
        inflate_from = np.where(
            inflating, rng.integers(1, max(len(years), 2), n), np.iinfo(np.int32).max
        )
        # Every third inflating school inflates from the first year: persistent inflation,
        # which a year-over-year rule cannot see. Chosen by position, not by a draw, so the
        # random stream — and every other number of a region — stays as it was.
        inflate_from = np.where(inflating & (np.arange(n) % 3 == 0), 0, inflate_from)
        return cls(
            n=n,
            context=context,
            weak=weak,
            small=small,
            quality=quality,
            size=size,
            inflate_from=inflate_from,
            rng=rng,
        )

    def passports(self, codes: list[str]) -> dict[str, dict[str, float]]:
        rng, c = self.rng, self.context

        def share(base: float, slope: float, noise: float) -> np.ndarray:
            return np.round(np.clip(base + slope * c + rng.normal(0, noise, self.n), 0, 1), 4)

        columns = {
            "share_special_needs": share(0.06, 0.03, 0.02),
            "share_non_native": share(0.03, 0.025, 0.02),
            "share_low_income": share(0.15, 0.07, 0.04),
            "share_single_parent": share(0.22, 0.05, 0.05),
            "is_rural": (c + rng.normal(0, 1, self.n) > 0.6).astype(float),
            "is_small": self.small.astype(float),
        }
        lists = {k: v.tolist() for k, v in columns.items()}
        return {
            code: {k: lists[k][i] for k in columns}  # noqa: B023 - evaluated immediately
            for i, code in enumerate(codes)
        }


def _write_year(path, fmt, rng, region, codes, year, y_index, grades, subjects) -> int:
    grades = np.asarray(grades, dtype=np.int8)
    text = _Texts(codes, subjects, year)
    year_quality = region.quality + rng.normal(0, 0.12, region.n)
    blocks = [
        np.arange(start, min(start + CHUNK_SCHOOLS, region.n))
        for start in range(0, region.n, CHUNK_SCHOOLS)
    ]
    # One child generator per block: the result does not depend on thread scheduling.
    seeds = rng.bit_generator.seed_seq.spawn(len(blocks)) if blocks else []

    def build(k: int) -> pa.Table:
        block_rng = np.random.default_rng(seeds[k])
        rows = _chunk(block_rng, region, blocks[k], year_quality, grades, len(subjects), y_index)
        return text.table(rows)

    if fmt == "xlsx":
        tables = [build(k) for k in range(len(blocks))]
        table = pa.concat_tables(tables) if tables else text.table(None)
        _write_xlsx(path, table)
        return table.num_rows

    options = pa_csv.WriteOptions(include_header=False, delimiter=";", quoting_style="none")

    def serialise(k: int) -> tuple[int, pa.Buffer]:
        table = build(k)
        sink = pa.BufferOutputStream()
        pa_csv.write_csv(table, sink, options)
        return table.num_rows, sink.getvalue()

    total = 0
    with pa.OSFile(str(path), "wb") as out, ThreadPoolExecutor(2) as pool:
        out.write((";".join(PUPIL_HEADER) + "\n").encode())
        # Generation and formatting release the GIL; keep a few blocks in flight, in order.
        pending = [pool.submit(serialise, k) for k in range(min(3, len(blocks)))]
        for k in range(len(blocks)):
            rows, buffer = pending[k].result()
            if k + 3 < len(blocks):
                pending.append(pool.submit(serialise, k + 3))
            out.write(buffer)
            total += rows
    return total


class _Texts:
    """Pupil rows → a table of strings, formatting each distinct small value once."""

    def __init__(self, codes, subjects, year):
        self.codes = pa.array(codes, pa.string())
        self.subjects = pa.array(list(subjects), pa.string())
        self.numbers = pa.array([str(i) for i in range(100)], pa.string())
        self.year = str(year)

    def table(self, rows: dict | None) -> pa.Table:
        if rows is None:
            return pa.table({name: pa.array([], pa.string()) for name in PUPIL_HEADER})
        n = rows["pupil"].shape[0]
        zeros = pa.array(np.zeros(n, dtype=np.int8))

        def small(values: np.ndarray) -> pa.Array:
            # pa.array first: take() converts a bare numpy index array slowly.
            return self.numbers.take(pa.array(values))

        columns = [
            pa.array([self.year], pa.string()).take(zeros),
            pa.array(["ВПР"], pa.string()).take(zeros),
            self.codes.take(pa.array(rows["school"])),
            small(rows["grade"]),
            self.subjects.take(pa.array(rows["subject"])),
            pa.array(rows["pupil"]).cast(pa.string()),
            small(rows["score"]),
            small(rows["mark"]),
            small(rows["term"]),
        ]
        return pa.table(columns, names=PUPIL_HEADER)


def _chunk(rng, region, schools, year_quality, grades, n_subjects, y_index) -> dict:
    """Pupil rows of a block of schools: every pupil of a grade writes every subject."""
    n_grades = len(grades)
    # Pupils per (school, grade) this year: the school's size ± 15 %.
    jitter = rng.uniform(0.85, 1.15, (len(schools), n_grades))
    per_grade = np.maximum(1, np.rint(region.size[schools][:, None] * jitter)).astype(np.int64)
    sg_school = np.repeat(schools, n_grades)
    sg_grade = np.tile(np.arange(n_grades), len(schools))
    sg_size = per_grade.ravel()
    # Cells: (school, grade, subject), subject varying fastest.
    cell_school = np.repeat(sg_school, n_subjects)
    cell_grade = np.repeat(sg_grade, n_subjects)
    cell_subject = np.tile(np.arange(n_subjects, dtype=np.int8), len(sg_school))
    cell_size = np.repeat(sg_size, n_subjects)
    cell_effect = year_quality[cell_school] + rng.normal(0, 0.2, cell_school.shape[0])
    rows = int(cell_size.sum())
    cell_of_row = np.repeat(np.arange(cell_school.shape[0]), cell_size)
    # A pupil's number within its grade, identical across subjects; codes unique in the region.
    cell_start = np.cumsum(cell_size) - cell_size
    within = np.arange(rows) - np.repeat(cell_start, cell_size)
    school = cell_school[cell_of_row]
    grade_index = cell_grade[cell_of_row]
    pupil = (school.astype(np.int64) * 16 + grade_index) * 1000 + within + 10_000_000

    ability = cell_effect[cell_of_row] + rng.standard_normal(rows, dtype=np.float32)
    score = np.clip(np.rint(9.5 + 3.6 * ability), 0, MAX_SCORE).astype(np.int8)
    mark = (2 + np.searchsorted(SCORE_CUTS, score, side="right")).astype(np.int8)
    # Journal marks: usually equal, often one higher (teachers are kinder than the ВПР).
    shift = np.searchsorted(TERM_SHIFT_CUTS, rng.random(rows, dtype=np.float32)) - 1
    term = np.clip(mark + shift, 2, 5).astype(np.int8)
    inflating = region.inflate_from[school] <= y_index
    if inflating.any():
        lifted = inflating & (rng.random(rows, dtype=np.float32) < 0.85)
        mark = np.where(lifted, np.minimum(mark + 1, 5), mark).astype(np.int8)
        floor = np.concatenate([[0, 0, 0], SCORE_CUTS])[mark]
        score = np.maximum(score, floor).astype(np.int8)
    return {
        "school": school.astype(np.int32),
        "grade": grades[grade_index],
        "subject": cell_subject[cell_of_row],
        "pupil": pupil,
        "score": score,
        "mark": mark,
        "term": term,
    }


def _write_xlsx(path: Path, table: pa.Table) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Результаты")
    sheet.append(table.column_names)
    columns = [c.to_pylist() for c in table.columns]
    for row in zip(*columns, strict=True):
        sheet.append(list(row))
    book.save(path)


def _write_passports(path: Path, passports: dict[str, dict[str, float]], years) -> None:
    codes = list(passports)
    columns = {"Код ОО": [], "Год": []}
    for key in PASSPORT_HEADER[2:]:
        columns[key] = []
    for year in years:
        columns["Код ОО"].extend(codes)
        columns["Год"].extend([year] * len(codes))
        for key in PASSPORT_HEADER[2:]:
            columns[key].extend(passports[c][key] for c in codes)
    table = pa.table(columns)
    with pa.OSFile(str(path), "wb") as sink:
        sink.write((PASSPORTS_CSV_HEADER + "\n").encode())
        pa_csv.write_csv(
            table,
            sink,
            pa_csv.WriteOptions(include_header=False, delimiter=";", quoting_style="none"),
        )
