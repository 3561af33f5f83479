"""The Parquet store of assessment results, queried with DuckDB.

Layout under ``root`` (one file per imported batch and partition, so deleting a batch is
deleting its files, and a query reads only the years and procedures it needs)::

    root/year=2024/procedure=ВПР/batch-17.parquet                 pupil rows
    root/year=2024/procedure=ВПР/batch-17.1.parquet               (more of a large batch)
    root/school_level/year=2024/procedure=ВПР/batch-18.parquet    school-level rows
    root/cells/batch-17.parquet                                   per-school aggregates

Pupil files hold ``year, procedure, school_code, grade, subject, pupil_code, primary_score,
mark, term_mark``; school-level files hold ``year, procedure, school_code, grade, subject,
participants, n2, n3, n4, n5`` (the number of marks 2…5). Both are zstd-compressed with
dictionary-encoded codes and names. A batch's files are written under a staged name
(``.batch-17.parquet.staged``, invisible to every reader) and published by renaming them
(:func:`publish_batch`) when the batch is committed, so a reader never sees half a file nor
the files of a batch whose import was interrupted; :func:`delete_batch` removes both kinds.

Per-cell aggregates (a cell is school × year × procedure × grade × subject) combine both
kinds: pupil rows are counted with a DuckDB ``GROUP BY``, school-level rows are added as they
are. Pupil-level and school-level data for the same cell are summed — importing the same
results both ways would count them twice, which the importer must prevent.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

SCHOOL_LEVEL_DIR = "school_level"
_DICT = pa.dictionary(pa.int32(), pa.string())
PUPIL_SCHEMA = pa.schema(
    [
        ("year", pa.int16()),
        ("procedure", _DICT),
        ("school_code", _DICT),
        ("grade", pa.int8()),
        ("subject", _DICT),
        ("pupil_code", pa.string()),
        ("primary_score", pa.float32()),
        ("mark", pa.int8()),
        ("term_mark", pa.int8()),
    ]
)
SCHOOL_SCHEMA = pa.schema(
    [
        ("year", pa.int16()),
        ("procedure", _DICT),
        ("school_code", _DICT),
        ("grade", pa.int8()),
        ("subject", _DICT),
        ("participants", pa.int32()),
        ("n2", pa.int32()),
        ("n3", pa.int32()),
        ("n4", pa.int32()),
        ("n5", pa.int32()),
    ]
)
CELL_COLUMNS = (
    "school_code",
    "year",
    "procedure",
    "grade",
    "subject",
    "participants",
    "n2",
    "n3",
    "n4",
    "n5",
    "mean_mark",
)
# NumPy asks the kernel for transparent huge pages for every large array: each fresh array is
# then cleared 2 MB at a time as it is first touched, and a run's short-lived arrays cost as
# much system time as their arithmetic (1.4 s of CPU in a national identification; 0.7 without).
_set_huge_pages = getattr(getattr(np, "_core", None), "multiarray", None)
if hasattr(_set_huge_pages, "_set_madvise_hugepage"):
    _set_huge_pages._set_madvise_hugepage(False)
# Arrow's default allocator (mimalloc) asks for huge pages too: reading a national file, the
# kernel spent a second of system time per 850 MB zeroing them (0.9 s of 5.4 s of CPU);
# jemalloc, Arrow's allocator of choice where it is built in, does not.
with contextlib.suppress(NotImplementedError):  # a build without it keeps its default
    pa.set_memory_pool(pa.jemalloc_memory_pool())
_BATCH_FILE = re.compile(r"^batch-(\d+)(?:\.\d+)?\.parquet$")
_STAGED_FILE = re.compile(r"^\.(batch-(\d+)(?:\.\d+)?\.parquet)\.staged$")


def write_batch(
    root: Path,
    batch_id: int,
    table: pa.Table,
    *,
    publish: bool = True,
    on_written: Callable[[float], None] | None = None,
) -> int:
    """Store a batch's valid rows (a :class:`ReadResult` table) and return how many.

    The kind is told by the columns: ``pupil_code`` → pupil rows, ``participants`` →
    school-level rows. Writing the same batch id again replaces its files for the partitions
    written. A large partition is written as several files side by side
    (``batch-<id>.parquet``, ``batch-<id>.1.parquet`` …), one per core, because the Parquet
    writer encodes a file on one thread. With ``publish=False`` the files stay staged
    (unseen by readers) until :func:`publish_batch`. ``on_written`` is told the share of
    rows written after each file.
    """
    root = Path(root)
    if "pupil_code" in table.column_names:
        schema, base = PUPIL_SCHEMA, root
    elif "participants" in table.column_names:
        schema, base = SCHOOL_SCHEMA, root / SCHOOL_LEVEL_DIR
    else:
        raise ValueError("table has neither pupil_code nor participants")
    table = table.select(schema.names).cast(schema)
    if table.num_rows == 0:
        return 0
    batch_id = int(batch_id)
    jobs = []
    for (year, procedure), part in _partitions(table):
        folder = base / f"year={year}" / f"procedure={procedure}"
        folder.mkdir(parents=True, exist_ok=True)
        for old in _staged_of_batch(folder, batch_id):
            old.unlink()
        pieces = max(1, min(os.cpu_count() or 1, -(-part.num_rows // ROWS_PER_FILE)))
        size = -(-part.num_rows // pieces)
        for k in range(pieces):
            name = f"batch-{batch_id}.parquet" if k == 0 else f"batch-{batch_id}.{k}.parquet"
            jobs.append((part.slice(k * size, size), folder / name))
    written = 0
    lock = threading.Lock()

    def write(job) -> None:
        nonlocal written
        _write_file(*job)
        if on_written is not None:
            with lock:
                written += job[0].num_rows
                on_written(written / table.num_rows)

    if len(jobs) == 1:
        write(jobs[0])
    else:
        with ThreadPoolExecutor(min(len(jobs), os.cpu_count() or 1)) as pool:
            list(pool.map(write, jobs))
    if publish:
        publish_batch(root, batch_id)
    return table.num_rows


def publish_batch(root: Path, batch_id: int) -> int:
    """Make a batch's staged files visible (each an atomic rename), replacing the files the
    batch had in those partitions; return how many were published."""
    staged = _staged_files(Path(root), batch_id)
    for folder in {path.parent for path in staged}:
        for old in _files_of_batch(folder, batch_id):
            old.unlink()
    for path in staged:
        os.replace(path, path.with_name(_STAGED_FILE.match(path.name).group(1)))
    return len(staged)


def _staged_files(root: Path, batch_id: int) -> list[Path]:
    if not root.exists():
        return []
    return [
        p
        for p in root.rglob(f".batch-{int(batch_id)}*.staged")
        if (m := _STAGED_FILE.match(p.name)) and int(m.group(2)) == int(batch_id)
    ]


def _staged_of_batch(folder: Path, batch_id: int) -> list[Path]:
    return [
        f
        for f in folder.iterdir()
        if (m := _STAGED_FILE.match(f.name)) and int(m.group(2)) == batch_id
    ]


ROWS_PER_FILE = 4_000_000
# Dictionary pages only where values repeat; pupil codes are nearly all distinct.
_DICTIONARY_COLUMNS = [
    "year",
    "procedure",
    "school_code",
    "grade",
    "subject",
    "primary_score",
    "mark",
    "term_mark",
    "participants",
    "n2",
    "n3",
    "n4",
    "n5",
]


def _compact(part: pa.Table) -> pa.Table:
    """Each dictionary column with only the values its rows use (a reader sizes its arrays
    by the dictionary: 40 000 school codes in a file of 3 000 schools would waste memory)."""
    part = part.unify_dictionaries()
    for position, name in enumerate(part.column_names):
        column = part[name]
        if not pa.types.is_dictionary(column.type) or column.num_chunks == 0:
            continue
        dictionary = column.chunk(0).dictionary
        indices = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in column.chunks])
        if column.null_count:
            continue  # codes and names are never null in the store; leave such a column be
        used = np.flatnonzero(np.bincount(indices, minlength=len(dictionary)))
        if len(used) == len(dictionary):
            continue
        remap = np.zeros(len(dictionary), dtype=np.int32)
        remap[used] = np.arange(len(used), dtype=np.int32)
        compacted = pa.DictionaryArray.from_arrays(
            pa.array(remap[indices]), dictionary.take(pa.array(used))
        )
        part = part.set_column(position, name, compacted)
    return part


def _write_file(part: pa.Table, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.staged")
    pq.write_table(
        _compact(part),
        temporary,
        compression="zstd",
        row_group_size=1 << 20,
        use_dictionary=[c for c in _DICTIONARY_COLUMNS if c in part.column_names],
        # No min/max of the pupil codes: nothing filters by them, and comparing every code
        # as text is a third of the writer's time.
        write_statistics=[c for c in part.column_names if c != "pupil_code"],
        write_page_index=False,
    )


def _files_of_batch(folder: Path, batch_id: int) -> list[Path]:
    return [
        f
        for f in folder.iterdir()
        if (m := _BATCH_FILE.match(f.name)) and int(m.group(1)) == batch_id
    ]


def _partitions(table: pa.Table):
    years = table["year"]
    if len(pc.unique(years)) == 1 and len(_used_values(table["procedure"])) == 1:
        # A file is nearly always one year of one procedure: no grouping of its rows.
        yield (years[0].as_py(), _used_values(table["procedure"])[0]), table
        return
    procedures = pc.cast(table["procedure"], pa.string())
    pairs = pa.table({"y": years, "p": procedures}).group_by(["y", "p"]).aggregate([])
    if pairs.num_rows == 1:
        yield (pairs["y"][0].as_py(), pairs["p"][0].as_py()), table
        return
    for year, procedure in zip(pairs["y"].to_pylist(), pairs["p"].to_pylist(), strict=True):
        mask = pc.and_(pc.equal(years, year), pc.equal(procedures, procedure))
        yield (year, procedure), table.filter(mask)


def _used_values(column: pa.ChunkedArray) -> list[str]:
    """The distinct texts of a (dictionary) column, judged on its small dictionary."""
    if pa.types.is_dictionary(column.type):
        return sorted(
            {
                text
                for chunk in column.chunks
                for text in chunk.dictionary.take(pc.unique(chunk.indices)).to_pylist()
            }
        )
    return sorted(pc.unique(column).to_pylist())


def delete_batch(root: Path, batch_id: int) -> int:
    """Remove every file of a batch (both layouts) and empty folders; return files removed."""
    root = Path(root)
    if not root.exists():
        return 0
    removed = 0
    paths = [
        p
        for p in root.rglob(f"batch-{int(batch_id)}*.parquet")
        if (m := _BATCH_FILE.match(p.name)) and int(m.group(1)) == int(batch_id)
    ] + _staged_files(root, batch_id)
    for path in paths:
        path.unlink()
        removed += 1
        for folder in (path.parent, path.parent.parent):
            if folder != root and folder.exists() and not any(folder.iterdir()):
                folder.rmdir()
    school_level = root / SCHOOL_LEVEL_DIR
    if school_level.exists() and not any(school_level.iterdir()):
        school_level.rmdir()
    return removed


def batch_files(
    root: Path,
    *,
    school_level: bool = False,
    years: Iterable[int] | None = None,
    procedures: Iterable[str] | None = None,
    batch_ids: Iterable[int] | None = None,
) -> list[str]:
    """Paths of the stored files matching the filters, sorted."""
    base = Path(root) / SCHOOL_LEVEL_DIR if school_level else Path(root)
    if not base.exists():
        return []
    wanted_years = None if years is None else {int(y) for y in years}
    wanted_procedures = None if procedures is None else set(procedures)
    wanted_batches = None if batch_ids is None else {int(b) for b in batch_ids}
    found = []
    for year_dir in base.iterdir():
        if not year_dir.name.startswith("year="):
            continue
        try:
            year = int(year_dir.name[5:])
        except ValueError:
            continue
        if wanted_years is not None and year not in wanted_years:
            continue
        for procedure_dir in year_dir.iterdir():
            procedure = procedure_dir.name.removeprefix("procedure=")
            if not procedure_dir.name.startswith("procedure="):
                continue
            if wanted_procedures is not None and procedure not in wanted_procedures:
                continue
            for file in procedure_dir.iterdir():
                match = _BATCH_FILE.match(file.name)
                if not match:
                    continue
                if wanted_batches is not None and int(match.group(1)) not in wanted_batches:
                    continue
                found.append(str(file))
    return sorted(found)


def _sql_list(values: Iterable) -> str:
    return "[" + ", ".join(_sql_literal(v) for v in values) + "]"


def _sql_literal(value) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


def _procedures(procedure: str | Sequence[str] | None) -> list[str] | None:
    if procedure is None:
        return None
    return [procedure] if isinstance(procedure, str) else list(procedure)


def cells_sql(
    root: Path,
    *,
    procedure: str | Sequence[str] | None = "ВПР",
    years: Iterable[int] | None = None,
    min_participants: int = 0,
    batch_ids: Iterable[int] | None = None,
    grades: Iterable[int] | None = None,
    subjects: Iterable[str] | None = None,
    mean_mark: bool = True,
) -> str | None:
    """The DuckDB query of per-cell aggregates, or ``None`` when nothing is stored."""
    procedures = _procedures(procedure)
    years = None if years is None else sorted({int(y) for y in years})
    batch_ids = None if batch_ids is None else list(batch_ids)
    pupil_files = batch_files(root, years=years, procedures=procedures, batch_ids=batch_ids)
    school_files = batch_files(
        root, school_level=True, years=years, procedures=procedures, batch_ids=batch_ids
    )
    if not pupil_files and not school_files:
        return None
    conditions = []
    if grades is not None:
        conditions.append(f"grade IN ({', '.join(str(int(g)) for g in grades)})")
    if subjects is not None:
        conditions.append(f"subject IN ({', '.join(_sql_literal(s) for s in subjects)})")
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    keys = "school_code, year, procedure, grade, subject"
    parts = []
    if pupil_files:
        parts.append(
            f"""SELECT {keys}, count(*) AS participants,
                   count_if(mark = 2) AS n2, count_if(mark = 3) AS n3,
                   count_if(mark = 4) AS n4, count_if(mark = 5) AS n5
            FROM read_parquet({_sql_list(pupil_files)}) {where}
            GROUP BY {keys}"""
        )
    if school_files:
        parts.append(
            f"""SELECT {keys}, participants, n2, n3, n4, n5
            FROM read_parquet({_sql_list(school_files)}) {where}"""
        )
    if len(parts) == 1:
        combined = parts[0]
    else:
        combined = f"""SELECT {keys}, sum(participants) AS participants, sum(n2) AS n2,
                   sum(n3) AS n3, sum(n4) AS n4, sum(n5) AS n5
            FROM ({" UNION ALL ".join(parts)}) GROUP BY {keys}"""
    mean = ", (2 * n2 + 3 * n3 + 4 * n4 + 5 * n5) / participants AS mean_mark"
    return f"""SELECT school_code, year::SMALLINT AS year, procedure, grade::TINYINT AS grade,
               subject, participants::INTEGER AS participants, n2::INTEGER AS n2,
               n3::INTEGER AS n3, n4::INTEGER AS n4, n5::INTEGER AS n5
               {mean if mean_mark else ""}
        FROM ({combined})
        WHERE participants >= {int(min_participants)} AND participants > 0"""


def _empty_cells() -> pa.Table:
    return pa.table(
        {
            "school_code": pa.array([], pa.string()),
            "year": pa.array([], pa.int16()),
            "procedure": pa.array([], pa.string()),
            "grade": pa.array([], pa.int8()),
            "subject": pa.array([], pa.string()),
            "participants": pa.array([], pa.int32()),
            "n2": pa.array([], pa.int32()),
            "n3": pa.array([], pa.int32()),
            "n4": pa.array([], pa.int32()),
            "n5": pa.array([], pa.int32()),
            "mean_mark": pa.array([], pa.float64()),
        }
    )


def _empty_terms() -> pa.Table:
    return pa.table(
        {
            "school_code": pa.array([], pa.string()),
            "year": pa.array([], pa.int64()),
            "procedure": pa.array([], pa.string()),
            "grade": pa.array([], pa.int64()),
            "subject": pa.array([], pa.string()),
            "pupils": pa.array([], pa.int64()),
            "above": pa.array([], pa.int64()),
        }
    )


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection for analytic queries on the store."""
    return duckdb.connect(config={"preserve_insertion_order": False})


def cells(
    root: Path,
    *,
    procedure: str | Sequence[str] | None = "ВПР",
    years: Iterable[int] | None = None,
    min_participants: int = 0,
    batch_ids: Iterable[int] | None = None,
    grades: Iterable[int] | None = None,
    subjects: Iterable[str] | None = None,
) -> pa.Table:
    """Per-cell aggregates: ``school_code, year, procedure, grade, subject, participants,
    n2, n3, n4, n5, mean_mark`` for cells with at least ``min_participants`` results.

    ``procedure`` may be one name, several or ``None`` (all); ``years``/``batch_ids``
    ``None`` mean all; ``grades``/``subjects`` narrow the scan when given.

    The pupil rows are counted with numpy rather than a DuckDB ``GROUP BY``: the codes are
    dictionary-encoded in the files, so each row is a few small integers and one
    ``bincount`` over a dense (school, grade, subject, mark) index does what a hash
    aggregate over a million groups does, at a fraction of the cost (see :func:`cells_sql`
    for the same in SQL, used as the reference).
    """
    counter = _count(root, procedure, years, batch_ids, grades, subjects, terms=False)
    return counter.table(min_participants)


def cells_and_terms(
    root: Path,
    *,
    procedure: str | Sequence[str] | None = "ВПР",
    years: Iterable[int] | None = None,
    batch_ids: Iterable[int] | None = None,
    grades: Iterable[int] | None = None,
    subjects: Iterable[str] | None = None,
    dictionary: bool = False,
) -> tuple[pa.Table, pa.Table]:
    """:func:`cells` (every cell size) and :func:`term_cells` of the same scope, counted in
    one reading of the files — what an identification run reads. With ``dictionary``,
    ``school_code``, ``procedure`` and ``subject`` are dictionary arrays (over every value
    read, used or not)."""
    counter = _counted_at_import(root, procedure, years, batch_ids, grades, subjects)
    if counter is None:
        counter = _count(root, procedure, years, batch_ids, grades, subjects, terms=True)
    return counter.table(0, dictionary=dictionary), counter.terms(dictionary=dictionary)


def _counted_at_import(root, procedure, years, batch_ids, grades, subjects) -> _CellCounter | None:
    """The cells of the scope summed from the cells files the imports wrote (each with its
    journal-mark counts: a country's year is 400 000 cells, not 14 million pupil rows), or
    ``None`` when a batch in scope has no such file (written before the journal-mark counts
    were kept, or cells put without them) — then the pupil rows are counted."""
    from opora.assessment.store_cells import TERM_COLUMNS, cell_files, cells_schema

    procedures = _procedures(procedure)
    years = None if years is None else sorted({int(y) for y in years})
    batch_ids = None if batch_ids is None else list(batch_ids)
    scope = {"years": years, "procedures": procedures, "batch_ids": batch_ids}
    paths = batch_files(root, **scope) + batch_files(root, school_level=True, **scope)
    wanted = {int(_BATCH_FILE.match(Path(p).name).group(1)) for p in paths}
    files = cell_files(root, wanted)
    if len(files) != len(wanted) or not all(
        set(TERM_COLUMNS) <= set(cells_schema(f).names) for f in files
    ):
        return None
    counter = _CellCounter(
        None if grades is None else sorted({int(g) for g in grades}),
        None if subjects is None else set(subjects),
        terms=True,
    )
    columns = ["year", "procedure", "school_code", "grade", "subject", "n2", "n3", "n4", "n5"]
    for path in files:
        table = pq.ParquetFile(path).read(columns=[*columns, *TERM_COLUMNS])
        for (year, name), part in _partitions(table):
            if (years is None or int(year) in years) and (procedures is None or name in procedures):
                counter.add_school_table(part, int(year), name)
    return counter


def _count(root, procedure, years, batch_ids, grades, subjects, *, terms: bool) -> _CellCounter:
    procedures = _procedures(procedure)
    years = None if years is None else sorted({int(y) for y in years})
    batch_ids = None if batch_ids is None else list(batch_ids)
    grades = None if grades is None else sorted({int(g) for g in grades})
    subjects = None if subjects is None else set(subjects)
    counter = _CellCounter(grades, subjects, terms=terms)
    pupil_files = batch_files(root, years=years, procedures=procedures, batch_ids=batch_ids)
    # Files are counted side by side: Parquet decoding and numpy arithmetic release the GIL.
    workers = min(len(pupil_files), os.cpu_count() or 1)
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(partial(counter.add_pupil_file, threads=False), pupil_files))
    else:
        for path in pupil_files:
            counter.add_pupil_file(path)
    school_files = batch_files(
        root, school_level=True, years=years, procedures=procedures, batch_ids=batch_ids
    )
    for path in school_files:
        counter.add_school_file(path)
    return counter


_PUPIL_COLUMNS = ["school_code", "grade", "subject", "mark"]


class _Ids:
    """Texts (school codes, subjects, procedures) numbered in the order first seen; looked
    up a whole dictionary at a time by Arrow's hash kernels, not one text at a time."""

    def __init__(self):
        self.values = pa.array([], pa.string())

    def __len__(self) -> int:
        return len(self.values)

    def of(self, texts) -> np.ndarray:
        if not isinstance(texts, (pa.Array, pa.ChunkedArray)):
            texts = pa.array(texts, pa.string())
        texts = pc.cast(texts, pa.string())
        if isinstance(texts, pa.ChunkedArray):
            texts = texts.combine_chunks()
        found = pc.index_in(texts, value_set=self.values)
        if found.null_count:
            new = pc.unique(texts.filter(pc.is_null(found)))
            self.values = pa.concat_arrays([self.values, new])
            found = pc.index_in(texts, value_set=self.values)
        return found.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


class _CellCounter:
    """Accumulates mark counts per (school, year, procedure, grade, subject); with
    ``terms``, also the pupils with a journal mark and those whose mark is above it."""

    def __init__(self, grades: list[int] | None, subjects: set[str] | None, *, terms=False):
        self.grades, self.subjects, self.terms_wanted = grades, subjects, terms
        self.school_ids, self.subject_ids, self.procedure_ids = _Ids(), _Ids(), _Ids()
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.lock = threading.Lock()
        self._merged = None

    def _ids(self, ids: _Ids, texts) -> np.ndarray:
        with self.lock:
            return ids.of(texts)

    def add_pupil_file(self, path: str, *, threads: bool = True) -> None:
        """Count one pupil file; ``threads=False`` when files are already counted side by
        side (a thread pool inside each reader only adds switching)."""
        year, procedure = _partition_of(path)
        source = pq.ParquetFile(path)
        columns = _PUPIL_COLUMNS + (["term_mark"] if self.terms_wanted else [])
        chunks = (
            chunk
            for group in range(source.metadata.num_row_groups)
            for chunk in source.read_row_group(
                group, columns=columns, use_threads=threads
            ).to_batches()
        )
        self.add_pupil_chunks(chunks, year, procedure)

    def add_pupil_chunks(self, chunks, year: int, procedure: str) -> None:
        """Count record batches of ``school_code, grade, subject, mark`` (and ``term_mark``
        when terms are counted) of one partition."""
        procedure_id = self._ids(self.procedure_ids, [procedure])[0]
        run = None  # chunks sharing the same dictionaries are counted into one array
        for chunk in chunks:
            schools, subjects = chunk.column(0), chunk.column(2)
            if not pa.types.is_dictionary(schools.type):
                schools = schools.dictionary_encode()
            if not pa.types.is_dictionary(subjects.type):
                subjects = subjects.dictionary_encode()
            if run is None or not run.accepts(schools, subjects):
                if run is not None:
                    self._flush(run, year, procedure_id)
                run = _Run(self, schools.dictionary, subjects.dictionary)
            term = None
            if self.terms_wanted:
                # 0 for «no journal mark»: a real mark is 2…5.
                term = chunk.column(4)
                term = pc.fill_null(term, 0) if term.null_count else term
                term = term.to_numpy()
            run.add(
                schools.indices.to_numpy(),
                chunk.column(1).to_numpy(),
                subjects.indices.to_numpy(),
                chunk.column(3).to_numpy(),
                term,
            )
        if run is not None:
            self._flush(run, year, procedure_id)

    def _flush(self, run: _Run, year: int, procedure_id: int) -> None:
        cells = run.cells()
        if cells is None:
            return
        school, grade, subject, counts = cells
        n = len(school)
        self.parts.append(
            (
                school,
                np.full(n, year, dtype=np.int64),
                np.full(n, procedure_id, dtype=np.int64),
                grade,
                subject,
                counts,
            )
        )

    def add_school_file(self, path: str) -> None:
        year, procedure = _partition_of(path)
        self.add_school_table(pq.read_table(path), year, procedure)

    def add_school_table(self, table: pa.Table, year: int, procedure: str) -> None:
        """Add counted cells: a school-level file's rows, or a batch's stored cells (with
        ``pupils, above`` — its journal-mark counts — when it has them)."""
        procedure_id = self._ids(self.procedure_ids, [procedure])[0]
        grade = table["grade"].to_numpy().astype(np.int64)
        subjects = _one_dictionary(table["subject"])
        subject_rows = subjects.indices.to_numpy(zero_copy_only=False)
        keep = np.ones(len(grade), dtype=bool)
        if self.grades is not None:
            keep &= np.isin(grade, self.grades)
        if self.subjects is not None:
            names = subjects.dictionary.to_pylist()
            keep &= np.array([s in self.subjects for s in names], dtype=bool)[subject_rows]
        schools = _one_dictionary(table["school_code"])
        school = self._ids(self.school_ids, schools.dictionary)[
            schools.indices.to_numpy(zero_copy_only=False)
        ]
        subject = self._ids(self.subject_ids, subjects.dictionary)[subject_rows]
        counted = ("n2", "n3", "n4", "n5")
        if self.terms_wanted:  # a school-level file has no journal marks
            counted += ("pupils", "above")
        counts = np.stack(
            [
                table[k].to_numpy().astype(np.int64)
                if k in table.column_names
                else np.zeros(len(grade), dtype=np.int64)
                for k in counted
            ],
            1,
        )
        n = int(keep.sum())
        self.parts.append(
            (
                school[keep],
                np.full(n, year, dtype=np.int64),
                np.full(n, procedure_id, dtype=np.int64),
                grade[keep],
                subject[keep],
                counts[keep],
            )
        )

    def _merge(self):
        """The parts as one set of cells in key order, cells split over several runs or
        files summed: ``school, year, procedure, grade, subject`` and the counts
        (``n2…n5``, then ``pupils, above`` with terms)."""
        if self._merged is not None:
            return self._merged
        school, year, procedure, grade, subject, counts = (
            np.concatenate([p[i] for p in self.parts]) for i in range(6)
        )
        first_year, first_grade = int(year.min()), int(grade.min())
        widths = (
            int(year.max()) - first_year + 1,
            max(len(self.procedure_ids), 1),
            int(grade.max()) - first_grade + 1,
            max(len(self.subject_ids), 1),
        )
        key = school.astype(np.int64)
        for column, width in zip(
            (year - first_year, procedure, grade - first_grade, subject), widths, strict=True
        ):
            key = key * width + column
        size = (int(school.max()) + 1) * int(np.prod(widths))
        if size <= max(4 * len(key), DENSE_CELLS):
            keys, counts = _dense_sum(key, counts, size)
            rest = keys
            columns = []
            for width in reversed(widths):
                columns.append(rest % width)
                rest = rest // width
            subject, grade, procedure, year = columns
            school, year, grade = rest, year + first_year, grade + first_grade
        else:
            order = np.argsort(key)
            key = key[order]
            counts = counts[order]
            # A cell split over two files of a batch (or two batches) is summed: the sorted
            # keys repeat, and each run of equal keys is added up.
            starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
            if len(starts) < len(key):
                counts = np.add.reduceat(counts, starts, axis=0)
                order = order[starts]
            school, year, procedure, grade, subject = (
                a[order] for a in (school, year, procedure, grade, subject)
            )
        self._merged = school, year, procedure, grade, subject, counts
        return self._merged

    def _keys(self, keep: np.ndarray, *, dictionary: bool = False) -> dict[str, pa.Array]:
        """The key columns of the kept cells; with ``dictionary``, codes, subjects and
        procedures as dictionary arrays over every value seen (what the engine reads: no
        text per cell is made, nor hashed again)."""
        school, year, procedure, grade, subject, _ = self._merged

        def texts(ids: _Ids, rows: np.ndarray) -> pa.Array:
            if dictionary:
                return pa.DictionaryArray.from_arrays(pa.array(rows.astype(np.int32)), ids.values)
            return ids.values.take(pa.array(rows))

        return {
            "school_code": texts(self.school_ids, school[keep]),
            "year": pa.array(year[keep].astype(np.int16)),
            "procedure": texts(self.procedure_ids, procedure[keep]),
            "grade": pa.array(grade[keep].astype(np.int8)),
            "subject": texts(self.subject_ids, subject[keep]),
        }

    def table(
        self, min_participants: int, *, dictionary: bool = False, terms: bool = False
    ) -> pa.Table:
        """The cells; with ``terms`` (a counter of journal marks), each cell's ``pupils``
        with a journal mark and those ``above`` it as well."""
        if not self.parts:
            return _empty_cells()
        every = self._merge()[5]
        counts = every[:, :4]
        participants = counts.sum(axis=1)
        keep = (participants >= min_participants) & (participants > 0)
        counts = counts[keep]
        participants = participants[keep]
        marks = counts @ np.array([2, 3, 4, 5])
        journal = {}
        if terms:
            journal = {
                "pupils": pa.array(every[keep, 4].astype(np.int32)),
                "above": pa.array(every[keep, 5].astype(np.int32)),
            }
        return pa.table(
            {
                **self._keys(keep, dictionary=dictionary),
                "participants": pa.array(participants.astype(np.int32)),
                "n2": pa.array(counts[:, 0].astype(np.int32)),
                "n3": pa.array(counts[:, 1].astype(np.int32)),
                "n4": pa.array(counts[:, 2].astype(np.int32)),
                "n5": pa.array(counts[:, 3].astype(np.int32)),
                "mean_mark": pa.array(marks / participants),
                **journal,
            }
        )

    def terms(self, *, dictionary: bool = False) -> pa.Table:
        """As :func:`term_cells`: the cells with pupils who have a journal mark."""
        if not self.parts:
            return _empty_terms()
        counts = self._merge()[5]
        keep = counts[:, 4] > 0
        return pa.table(
            {
                **self._keys(keep, dictionary=dictionary),
                "pupils": pa.array(counts[keep, 4]),
                "above": pa.array(counts[keep, 5]),
            }
        )


# Up to this many possible cells, parts are summed into a dense array of every possible key
# (a bincount per column, no sort); a wider key space is sorted instead.
DENSE_CELLS = 1 << 23


def _dense_sum(key: np.ndarray, counts: np.ndarray, size: int):
    """The distinct keys in order and the counts of each summed, by counting into an array of
    every possible key (``size``) instead of sorting."""
    present = np.flatnonzero(np.bincount(key, minlength=size))
    rank = np.zeros(size, dtype=np.int64)
    rank[present] = np.arange(len(present), dtype=np.int64)
    rows = rank[key]
    summed = np.zeros((len(present), counts.shape[1]), dtype=np.int64)
    if len(present) == len(key):  # no cell is split: each row is put in its place
        summed[rows] = counts
    else:
        for k in range(counts.shape[1]):
            # Counts are far below 2**53: the float sums of bincount are exact.
            summed[:, k] = np.bincount(rows, weights=counts[:, k], minlength=len(present))
    return present, summed


def _mark_and_term() -> np.ndarray:
    """(mark − 2) · 3 + state for ``journal mark << 3 | mark``; state 0: no journal mark,
    1: the mark is not above it, 2: above it."""
    table = np.zeros(64, dtype=np.int32)
    for term in (0, 2, 3, 4, 5):
        for mark in (2, 3, 4, 5):
            state = 0 if term == 0 else 1 + (mark > term)
            table[term << 3 | mark] = (mark - 2) * 3 + state
    return table


_MARK_AND_TERM = _mark_and_term()


class _Run:
    """Dense counts over (local school, grade, local subject, mark[, journal mark state])
    for chunks that share their dictionaries — in practice a whole file, since a batch is
    written with one."""

    def __init__(self, counter: _CellCounter, schools: pa.Array, subjects: pa.Array):
        self.counter = counter
        self.schools, self.subjects = schools, subjects
        self.school_map = counter._ids(counter.school_ids, schools)
        self.subject_map = counter._ids(counter.subject_ids, subjects)
        names = subjects.to_pylist()
        wanted = counter.subjects
        self.subject_ok = (
            None if wanted is None else np.array([n in wanted for n in names], dtype=bool)
        )
        grades = counter.grades
        self.grade_low, self.grade_high = (1, 11) if grades is None else (grades[0], grades[-1])
        self.grade_ok = None
        if grades is not None and len(grades) != grades[-1] - grades[0] + 1:
            self.grade_ok = np.zeros(128, dtype=bool)
            self.grade_ok[grades] = True
        # With terms each mark is split by the journal mark: none, not above it, above it.
        self.states = 3 if counter.terms_wanted else 1
        self.width = (self.grade_high - self.grade_low + 1) * len(names) * 4 * self.states
        # int32: a cell's count is far below 2**31, and half the memory is half to clear.
        # int32: a cell's count is far below 2**31, and half the memory is half to clear.
        self.counts = np.zeros(len(self.school_map) * self.width, dtype=np.int32)

    def accepts(self, schools: pa.Array, subjects: pa.Array) -> bool:
        return (schools.dictionary is self.schools or schools.dictionary.equals(self.schools)) and (
            subjects.dictionary is self.subjects or subjects.dictionary.equals(self.subjects)
        )

    def add(self, school, grade, subject, mark, term=None):
        keep = None
        low, high = int(grade.min(initial=127)), int(grade.max(initial=-128))
        if low < self.grade_low or high > self.grade_high or self.grade_ok is not None:
            keep = (grade >= self.grade_low) & (grade <= self.grade_high)
            if self.grade_ok is not None:
                keep &= self.grade_ok[grade.astype(np.intp) & 127]
        if self.subject_ok is not None:
            ok = self.subject_ok[subject]
            keep = ok if keep is None else keep & ok
        if int(mark.min(initial=2)) < 2 or int(mark.max(initial=5)) > 5:
            ok = (mark >= 2) & (mark <= 5)
            keep = ok if keep is None else keep & ok
        if keep is not None:
            school, grade, subject, mark = school[keep], grade[keep], subject[keep], mark[keep]
            term = None if term is None else term[keep]
        n_subjects = len(self.subject_map)
        # key = ((school · grades + grade) · subjects + subject) · 4 + mark − 2 [· 3 + state]
        small = grade.astype(np.int32)
        small -= self.grade_low
        small *= n_subjects
        small += subject
        small *= 4 * self.states
        if term is None:
            small += mark
            small -= 2
        else:  # (mark − 2) · 3 + state, looked up by journal mark and mark at once
            pair = term.view(np.uint8) << np.uint8(3)
            pair |= mark.view(np.uint8)
            small += _MARK_AND_TERM[pair]
        key = school.astype(np.int64)
        key *= self.width
        key += small
        if not len(key):
            return
        # Rows come grouped by school (files are written in the order read): a chunk's keys
        # span a narrow range, counted there instead of over every school's counters.
        low = int(key.min())
        key -= low
        counted = np.bincount(key)
        self.counts[low : low + len(counted)] += counted

    def cells(self):
        # Sums over the short inner axes written as adds of strided views: numpy's reduction
        # over an axis of length 3 or 4 is several times slower for millions of counters.
        width = 4 * self.states
        flat = self.counts.reshape(-1, width)
        total = flat[:, 0].copy()
        for k in range(1, width):
            total += flat[:, k]
        present = np.flatnonzero(total)
        if not len(present):
            return None
        kept = flat[present].astype(np.int64)  # the cells only: few, summed later
        if self.states > 1:
            by_state = kept.reshape(-1, 4, 3)
            marks = by_state[:, :, 0] + by_state[:, :, 1] + by_state[:, :, 2]
            above = by_state[:, 0, 2] + by_state[:, 1, 2] + by_state[:, 2, 2] + by_state[:, 3, 2]
            pupils = total[present] - (
                by_state[:, 0, 0] + by_state[:, 1, 0] + by_state[:, 2, 0] + by_state[:, 3, 0]
            )
            counts = np.column_stack([marks, pupils, above])
        else:
            counts = kept
        n_subjects = len(self.subject_map)
        subject = present % n_subjects
        rest = present // n_subjects
        n_grades = self.grade_high - self.grade_low + 1
        grade = rest % n_grades + self.grade_low
        school = rest // n_grades
        return self.school_map[school], grade, self.subject_map[subject], counts


def _partition_of(path: str) -> tuple[int, str]:
    procedure_dir = Path(path).parent
    return int(procedure_dir.parent.name[5:]), procedure_dir.name.removeprefix("procedure=")


def _one_dictionary(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """A text column as one dictionary array (as it is, when it already is one)."""
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(pc.cast(column, pa.string()))
    if column.num_chunks == 1:
        return column.chunk(0)
    return column.unify_dictionaries().combine_chunks()


# The journal-mark counts and the stored cells live beside the store (module size); callers
# read them from here.
from opora.assessment.store_cells import cell_files as cell_files  # noqa: E402
from opora.assessment.store_cells import cell_sums as cell_sums  # noqa: E402
from opora.assessment.store_cells import school_aggregates as school_aggregates  # noqa: E402
from opora.assessment.store_cells import slice_digests as slice_digests  # noqa: E402
from opora.assessment.store_cells import stored_cells as stored_cells  # noqa: E402
from opora.assessment.store_cells import table_cells as table_cells  # noqa: E402
from opora.assessment.store_cells import write_cells as write_cells  # noqa: E402
from opora.assessment.store_terms import term_cells as term_cells  # noqa: E402
from opora.assessment.store_terms import term_comparison as term_comparison  # noqa: E402
