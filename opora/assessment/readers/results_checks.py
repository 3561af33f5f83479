"""The checks of a results file's rows, vectorised: each distinct value judged once, ranges
compared as arrays, duplicates found by a sorted hash, sums of marks against participants.

Example: a row «2024;ВПР;700901;5;Математика;10023;9;7;» is refused with
«отметка вне диапазона 2–5»."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opora.assessment.readers.results_columns import (
    _NAME_LIKE,
    _PARSERS,
    BAD,
    BROKEN_KIND,
    DUPLICATE_CELL_KIND,
    DUPLICATE_KIND,
    MAX_LISTED_REJECTIONS,
    MAX_YEAR,
    MIN_YEAR,
    MISSING,
    OK,
    PROCEDURES,
    RANGE,
    SUBJECTS,
    SUM_KIND,
    ReadResult,
    Rejection,
    _reason,
    _reason_kind,
)
from opora.core.intake.encodings import strip_invisible

# ---------------------------------------------------------------- validation


class FileLines:
    """File line of each row: ``first + row`` unless rows were skipped (then an array)."""

    def __init__(self, first: int = 0, explicit: np.ndarray | None = None):
        self.first, self.explicit = first, explicit

    def __getitem__(self, row: int) -> int:
        return int(self.explicit[row]) if self.explicit is not None else self.first + int(row)


@dataclass
class RawTable:
    """Columns as read (strings or dictionary strings) with the file line of each row."""

    kind: str
    table: pa.Table
    lines: FileLines
    broken: list[tuple[int, str]]
    encoding: str = ""
    delimiter: str = ""


def _map_dictionary(column: pa.ChunkedArray, parse, dtype, n: int):
    """Parse each distinct text once and spread the verdicts over the rows.

    Returns the values and the per-row status, or ``None`` for the status when every row is
    fine (the common case costs one gather per chunk and nothing more).
    """
    values = np.empty(n, dtype=dtype)
    status = None
    cache: dict[str, tuple] = {}
    position = 0
    for chunk in column.chunks:
        if not pa.types.is_dictionary(chunk.type):
            chunk = chunk.dictionary_encode()
        texts = chunk.dictionary.to_pylist()
        chunk_values = np.zeros(len(texts) + 1, dtype=dtype)
        chunk_status = np.full(len(texts) + 1, MISSING, dtype=np.uint8)
        for j, text in enumerate(texts):
            verdict = cache.get(text)
            if verdict is None:
                stripped = text.strip()
                verdict = parse(stripped) if stripped else (0, MISSING)
                cache[text] = verdict
            chunk_values[j], chunk_status[j] = verdict
        indices = chunk.indices
        if chunk.null_count:
            indices = pc.fill_null(indices, len(texts))
        indices = indices.to_numpy()
        end = position + len(indices)
        np.take(chunk_values, indices, out=values[position:end])
        if chunk.null_count or chunk_status[:-1].any():
            if status is None:
                status = np.zeros(n, dtype=np.uint8)
            np.take(chunk_status, indices, out=status[position:end])
        position = end
    return values, status


_BOUNDS = {
    "year": (MIN_YEAR, MAX_YEAR),
    "grade": (1, 11),
    "mark": (2, 5),
    "term_mark": (2, 5),
}


def _check_numbers(column: pa.ChunkedArray, key: str):
    """Values and status of a column pyarrow already parsed as numbers."""
    values = (pc.fill_null(column, 0) if column.null_count else column).to_numpy()
    dtype = _DTYPES[key]
    values = values.astype(dtype, copy=False)
    low, high = _BOUNDS.get(key, (0, None))
    bad = values < low
    if high is not None:
        bad |= values > high
    if column.null_count:
        missing = column.is_null().to_numpy(zero_copy_only=False)
        bad &= ~missing
    else:
        missing = None
    not_finite = None
    if values.dtype.kind == "f":
        not_finite = ~np.isfinite(values)
    if not bad.any() and missing is None and (not_finite is None or not not_finite.any()):
        return values, None
    status = np.where(bad, RANGE, OK).astype(np.uint8)
    if not_finite is not None:
        status[not_finite] = BAD
    if missing is not None:
        status[missing] = MISSING
        if values.dtype.kind == "f":
            values = values.copy()  # arrow's buffer is read-only
            values[missing] = 0
    return values, status


def _parse_school(known: set[str] | None, code_ids: dict[str, int], codes: list[str]):
    def parse(code: str) -> tuple[int, int]:
        code = strip_invisible(code)  # «700901\u200b» pasted from a web page is 700901
        if code not in code_ids:
            code_ids[code] = len(codes)
            codes.append(code)
        return code_ids[code], OK if known is None or code in known else BAD

    return parse


def _check_pupil_codes(column: pa.ChunkedArray):
    """Trimmed codes, status per row (missing, or a person's name instead of a code) and a
    64-bit number per code for the duplicate search."""
    status = None
    if column.null_count:
        status = np.zeros(len(column), dtype=np.uint8)
        status[column.is_null().to_numpy(zero_copy_only=False)] = MISSING
    try:
        # All digits (the usual ВПР code): nothing can look like a name, skip the screens.
        numeric = pc.cast(column, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numeric = None
    if numeric is None:
        # Cheap vectorised screen: plain ASCII codes without spaces need no further look.
        suspicious = pc.or_(pc.invert(pc.string_is_ascii(column)), pc.match_substring(column, " "))
        if pc.any(suspicious).as_py():
            rows = np.flatnonzero(pc.fill_null(suspicious, False).to_numpy(zero_copy_only=False))
            values = column.take(pa.array(rows))
            trimmed = pc.utf8_trim_whitespace(values)
            if status is None:
                status = np.zeros(len(column), dtype=np.uint8)
            if not pc.all(pc.equal(values, trimmed)).as_py():
                column = pc.utf8_trim_whitespace(column)
                emptied = pc.fill_null(pc.equal(trimmed, ""), False)
                status[rows[emptied.to_numpy(zero_copy_only=False)]] = MISSING
            named = pc.fill_null(pc.match_substring_regex(trimmed, _NAME_LIKE), False)
            status[rows[named.to_numpy(zero_copy_only=False)]] = BAD
        import duckdb

        frame = pa.table({"p": column})  # noqa: F841 - read by DuckDB by name
        with duckdb.connect() as con:
            numeric = con.sql("SELECT hash(p) AS h FROM frame").to_arrow_table()["h"]
    if numeric.null_count:
        numeric = pc.fill_null(numeric, 0)
    return column, status, numeric.to_numpy().view(np.uint64)


_DTYPES = {
    "year": np.int16,
    "procedure": np.int8,
    "grade": np.int8,
    "subject": np.int8,
    "primary_score": np.float32,
    "mark": np.int8,
    "term_mark": np.int8,
    "participants": np.int32,
    "n2": np.int32,
    "n3": np.int32,
    "n4": np.int32,
    "n5": np.int32,
}
_OPTIONAL = {"term_mark"}


@dataclass
class _Columns:
    """Parsed values and per-row status of each column (``None``: every row is fine)."""

    values: dict[str, np.ndarray]
    statuses: dict[str, np.ndarray | None]
    codes: list[str]
    pupil_codes: pa.ChunkedArray | None = None
    pupil_hash: np.ndarray | None = None


@dataclass
class _Verdicts:
    """Row-level findings beyond the per-field statuses: row → reason, row → reason kind."""

    reasons: dict[int, str] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)

    def add(self, row: int, reason: str, kind: str) -> None:
        self.reasons[row] = reason
        self.kinds[row] = kind


def validate(raw: RawTable, known_codes: set[str] | None) -> ReadResult:
    table, n = raw.table, raw.table.num_rows
    parsed = _parse_columns(table, known_codes)
    statuses = parsed.statuses
    blank = _blank_rows(statuses)
    _allow_optional(statuses)
    keep = ~blank if blank is not None else None
    order = list(statuses)
    code = _status_code(statuses, order, n, blank)
    verdicts = _check_rows(raw.kind, parsed, keep, raw.lines)
    valid, rejected_rows = _valid_rows(code, verdicts, keep, n)
    counts = _count_reasons(statuses, order, code, verdicts, raw.broken)
    listed = _rejections(
        table, rejected_rows[:MAX_LISTED_REJECTIONS], code, order, raw.lines, verdicts.reasons
    )
    listed.extend(Rejection(line, f"{BROKEN_KIND}: {text}") for line, text in raw.broken)
    listed.sort(key=lambda r: r.line)
    del listed[MAX_LISTED_REJECTIONS:]
    values, codes = parsed.values, parsed.codes
    return ReadResult(
        kind=raw.kind,
        table=_normalised(raw.kind, values, codes, parsed.pupil_codes, valid),
        rejected=listed,
        rows_total=(n if keep is None else int(np.count_nonzero(keep))) + len(raw.broken),
        years=_present(values["year"], valid, MIN_YEAR),
        procedures=[PROCEDURES[p] for p in _present(values["procedure"], valid, 0)],
        schools=len(codes) if valid is None else len(_present(values["school_code"], valid, 0)),
        rejected_total=len(rejected_rows) + len(raw.broken),
        rejected_counts=counts,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
    )


def _parse_columns(table: pa.Table, known_codes: set[str] | None) -> _Columns:
    """Each column's values and status: numbers checked in place, texts parsed once per
    distinct value, pupil codes screened — the columns side by side (Arrow's kernels and
    numpy let go of the GIL: a national file's checks take the cores, not one)."""
    n = table.num_rows
    parsed = _Columns(values={}, statuses={}, codes=[])
    school_parse = _parse_school(known_codes, {}, parsed.codes)

    def check(key: str):
        column = table[key]
        if key == "pupil_code":
            return _check_pupil_codes(column)
        if not pa.types.is_dictionary(column.type) and not pa.types.is_string(column.type):
            return _check_numbers(column, key)
        if key == "school_code":
            return _map_dictionary(column, school_parse, np.int32, n)
        return _map_dictionary(column, _PARSERS[key], _DTYPES[key], n)

    keys = table.column_names
    if n < PARALLEL_ROWS:
        checked = [check(key) for key in keys]
    else:
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            checked = list(pool.map(check, keys))
    for key, outcome in zip(keys, checked, strict=True):  # in the columns' order
        if key == "pupil_code":
            parsed.pupil_codes, parsed.statuses[key], parsed.pupil_hash = outcome
        else:
            parsed.values[key], parsed.statuses[key] = outcome
    return parsed


# Below this many rows the columns are checked one after another (threads cost more).
PARALLEL_ROWS = 200_000


def _blank_rows(statuses: dict[str, np.ndarray | None]) -> np.ndarray | None:
    """Rows with nothing at all (trailing «;;;;» lines, blank lines) are not data; a column
    without a single gap proves there are none."""
    if any(s is None for s in statuses.values()):
        return None
    return np.logical_and.reduce([s == MISSING for s in statuses.values()])


def _allow_optional(statuses: dict[str, np.ndarray | None]) -> None:
    """An empty journal mark is allowed."""
    for key in _OPTIONAL & set(statuses):
        status = statuses[key]
        if status is not None:
            status[status == MISSING] = OK
            if not status.any():
                statuses[key] = None


def _status_code(statuses, order: list[str], n: int, blank) -> np.ndarray | None:
    """Every field's status of a row packed in one number (two bits a field), 0 = fine."""
    code = None
    for k, key in enumerate(order):
        status = statuses[key]
        if status is None:
            continue
        if code is None:
            code = np.zeros(n, dtype=np.uint32)
        code |= status.astype(np.uint32) << np.uint32(2 * k)
    if code is not None and blank is not None:
        code[blank] = 0
    return code


def _all_ok(statuses, keys, start: np.ndarray | None) -> np.ndarray | None:
    """``start`` narrowed to the rows whose given fields are fine (``None``: every row)."""
    mask = start
    for key in keys:
        if statuses[key] is not None:
            ok = statuses[key] == OK
            mask = ok if mask is None else mask & ok
    return mask


def _check_rows(kind: str, parsed: _Columns, keep, lines) -> _Verdicts:
    """Repeated pupils (pupil rows), or sums and repeated cells (school rows)."""
    verdicts = _Verdicts()
    key_fields = ["year", "procedure", "school_code", "grade", "subject"]
    if kind == "pupil":
        eligible = _all_ok(parsed.statuses, [*key_fields, "pupil_code"], keep)
        _find_duplicate_pupils(
            parsed.values,
            pupil_codes=parsed.pupil_codes,
            pupil=parsed.pupil_hash,
            eligible=eligible,
            lines=lines,
            verdicts=verdicts,
        )
        return verdicts
    _check_sums(parsed, keep, verdicts)
    eligible = _all_ok(parsed.statuses, key_fields, keep)
    cell = _cell_key(parsed.values, parsed.values["school_code"])
    _find_duplicate_cells(cell, eligible, lines, verdicts)
    return verdicts


def _check_sums(parsed: _Columns, keep, verdicts: _Verdicts) -> None:
    values = parsed.values
    sums = values["n2"] + values["n3"] + values["n4"] + values["n5"]
    counted = keep if keep is not None else np.ones(len(sums), dtype=bool)
    counted = _all_ok(parsed.statuses, ("participants", "n2", "n3", "n4", "n5"), counted)
    for row in np.flatnonzero(counted & (sums != values["participants"])).tolist():
        verdicts.add(
            row,
            f"участников {values['participants'][row]}, а сумма отметок «2»–«5» равна {sums[row]}",
            SUM_KIND,
        )


def _valid_rows(code, verdicts: _Verdicts, keep, n: int):
    """The mask of valid rows (``None``: all of them, no copies at all) and the rejected rows."""
    rejected_mask = code != 0 if code is not None else None
    if verdicts.reasons:
        if rejected_mask is None:
            rejected_mask = np.zeros(n, dtype=bool)
        rejected_mask[list(verdicts.reasons)] = True
    if rejected_mask is None and keep is None:
        return None, np.empty(0, dtype=np.int64)
    if rejected_mask is None:
        rejected_mask = np.zeros(n, bool)
    valid = ~rejected_mask if keep is None else keep & ~rejected_mask
    return valid, np.flatnonzero(rejected_mask)


def _count_reasons(statuses, order, code, verdicts: _Verdicts, broken) -> dict[str, int]:
    """Rows rejected, by kind of reason (a row may count under several)."""
    counts: dict[str, int] = {}
    for k, key in enumerate(order):
        if statuses[key] is None:
            continue
        field_status = (code >> np.uint32(2 * k)) & np.uint32(3)
        for status_value, hits in enumerate(np.bincount(field_status, minlength=4).tolist()):
            if status_value and hits:
                name = _reason_kind(key, status_value)
                counts[name] = counts.get(name, 0) + hits
    for name in verdicts.kinds.values():
        counts[name] = counts.get(name, 0) + 1
    if broken:
        counts[BROKEN_KIND] = len(broken)
    return counts


def _present(array: np.ndarray, valid: np.ndarray | None, offset: int) -> list[int]:
    """Distinct small non-negative values (after ``offset``) among the valid rows."""
    array = array if valid is None else array[valid]
    if not len(array):
        return []
    low = int(array.min())
    if low == int(array.max()):
        return [low]
    counts = np.bincount(array.astype(np.int64) - offset)
    return [int(v) + offset for v in np.flatnonzero(counts)]


def _cell_key(values: dict, school_ids: np.ndarray) -> np.ndarray:
    """One uint64 per (year, procedure, school, grade, subject), computed in place."""
    key = school_ids.astype(np.uint64)
    # Unsigned views keep numpy in the uint64 loop (uint64 + int8 would go through float64).
    key *= np.uint64(16)
    key += values["grade"].view(np.uint8)
    key *= np.uint64(len(SUBJECTS))
    key += values["subject"].view(np.uint8)
    # Year and procedure are nearly always constant within a file: skip them then.
    year, procedure = values["year"], values["procedure"]
    if year.min() != year.max():
        key *= np.uint64(MAX_YEAR - MIN_YEAR + 1)
        key += (year - np.int16(MIN_YEAR)).view(np.uint16)
    if procedure.min() != procedure.max():
        key *= np.uint64(len(PROCEDURES))
        key += procedure.view(np.uint8)
    return key


_MIX_A = np.uint64(0x9E3779B97F4A7C15)
_MIX_B = np.uint64(0xC2B2AE3D27D4EB4F)
_LOW = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)


def _mixed(cell: np.ndarray, pupil: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        cell *= _MIX_B
        cell ^= pupil
        cell *= _MIX_A
        cell ^= cell >> np.uint64(31)
    return cell


def _probe(cell: np.ndarray, pupil: np.ndarray) -> tuple[np.ndarray, bool]:
    """One uint64 per row, equal for rows of one cell and pupil (and, rarely, for others):
    computed in ``cell``'s place. Where the cells fit in 32 bits (always, but for files of
    many years or procedures at once) the key keeps the cell in its high half and the pupil's
    number in the low one, so a file written cell after cell (as assessment systems export
    them) is nearly sorted already; ``True`` then says a sort that profits from it is due."""
    if len(cell) and int(cell.max()) <= 0xFFFFFFFF:
        # Few descents of the cell key: the rows come grouped by cell.
        grouped = np.count_nonzero(cell[1:] < cell[:-1]) * 64 < len(cell)
        cell <<= _SHIFT
        cell |= pupil & _LOW
        return cell, grouped
    return _mixed(cell, pupil), False


def _find_duplicate_pupils(values, *, pupil_codes, pupil, eligible, lines, verdicts) -> None:
    """Rows repeating a pupil in one (year, procedure, school, grade, subject)."""
    if len(pupil_codes) < 2:
        return
    school_ids = values["school_code"]
    probe, grouped = _probe(_cell_key(values, school_ids), pupil)
    if eligible is not None:
        probe = probe[eligible]
    # Timsort takes the runs of a grouped file as they are: a quarter of a quicksort's time.
    probe.sort(kind="stable" if grouped else "quicksort")
    if not (probe[1:] == probe[:-1]).any():
        return
    repeated = np.unique(probe[1:][probe[1:] == probe[:-1]])
    # Recompute unsorted (rare path) and check the colliding rows exactly.
    cell = _cell_key(values, school_ids)
    every_probe, _ = _probe(cell.copy(), pupil)
    hit = np.isin(every_probe, repeated)
    if eligible is not None:
        hit &= eligible
    candidates = np.flatnonzero(hit)
    texts = pupil_codes.take(pa.array(candidates)).to_pylist()
    groups: dict[tuple[int, str], list[int]] = {}
    for row, text in zip(candidates.tolist(), texts, strict=True):
        groups.setdefault((int(cell[row]), text), []).append(row)
    for (_, text), members in groups.items():
        if len(members) < 2:
            continue
        shown = ", ".join(str(lines[m]) for m in members[:5])
        more = f" и ещё {len(members) - 5}" if len(members) > 5 else ""
        reason = (
            f"участник «{text}» повторяется в строках {shown}{more} "
            "(тот же год, процедура, ОО, класс и предмет)"
        )
        for m in members:
            verdicts.add(m, reason, DUPLICATE_KIND)


def _find_duplicate_cells(cell, eligible, lines, verdicts: _Verdicts) -> None:
    rows = np.flatnonzero(eligible) if eligible is not None else np.arange(len(cell))
    _, inverse, counts = np.unique(cell[rows], return_inverse=True, return_counts=True)
    for group in np.flatnonzero(counts > 1):
        members = rows[inverse == group].tolist()
        shown = ", ".join(str(lines[m]) for m in members[:5])
        reason = f"строки {shown} повторяют одну и ту же ОО, класс, предмет и процедуру"
        for m in members:
            verdicts.add(m, reason, DUPLICATE_CELL_KIND)


def _rejections(table, rows, code, order, lines, extra) -> list[Rejection]:
    if not len(rows):
        return []
    picked = table.take(pa.array(rows))
    raw = {key: picked[key].to_pylist() for key in picked.column_names}
    result = []
    for position, row in enumerate(rows.tolist()):
        reasons = []
        row_code = int(code[row]) if code is not None else 0
        for k, key in enumerate(order):
            status = (row_code >> (2 * k)) & 3
            if status:
                text = raw[key][position]
                reasons.append(_reason(key, status, "" if text is None else str(text).strip()))
        if row in extra:
            reasons.append(extra[row])
        school = raw["school_code"][position]
        result.append(Rejection(lines[row], "; ".join(reasons), (school or "").strip()))
    return result


def _normalised(kind, values, codes, pupil_codes, valid) -> pa.Table:
    def pick(array: np.ndarray) -> np.ndarray:
        return array if valid is None else array[valid]

    columns = {
        "year": pa.array(pick(values["year"])),
        "procedure": _used_only(pick(values["procedure"]), PROCEDURES),
        "school_code": _used_only(pick(values["school_code"]), codes, every=valid is None),
        "grade": pa.array(pick(values["grade"])),
        "subject": _used_only(pick(values["subject"]), SUBJECTS),
    }
    if kind == "pupil":
        columns["pupil_code"] = pupil_codes if valid is None else pupil_codes.filter(valid)
        columns["primary_score"] = pa.array(pick(values["primary_score"]))
        columns["mark"] = pa.array(pick(values["mark"]))
        if "term_mark" in values:
            term = pick(values["term_mark"])
            missing = term == 0
            columns["term_mark"] = pa.array(term, mask=missing if missing.any() else None)
        else:
            rows = len(columns["mark"])
            columns["term_mark"] = pa.nulls(rows, pa.int8())
    else:
        for key in ("participants", "n2", "n3", "n4", "n5"):
            columns[key] = pa.array(pick(values[key]))
    return pa.table(columns)


def _used_only(indices: np.ndarray, texts, *, every: bool = False) -> pa.DictionaryArray:
    """A dictionary column of the texts its rows use only (``every``: all of them are), so
    that the store writes and counts it as it is (two of twenty subjects, one procedure)."""
    if every or not len(indices):
        return pa.DictionaryArray.from_arrays(pa.array(indices), pa.array(texts, pa.string()))
    low, high = int(indices.min()), int(indices.max())
    if low == high:  # one procedure in a file, as nearly always
        return pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(len(indices), dtype=indices.dtype)),
            pa.array([texts[low]], pa.string()),
        )
    used = np.flatnonzero(np.bincount(indices, minlength=len(texts)))
    if len(used) == len(texts):
        return pa.DictionaryArray.from_arrays(pa.array(indices), pa.array(texts, pa.string()))
    remap = np.zeros(len(texts), dtype=indices.dtype)
    remap[used] = np.arange(len(used), dtype=indices.dtype)
    return pa.DictionaryArray.from_arrays(
        pa.array(remap[indices]), pa.array([texts[k] for k in used.tolist()], pa.string())
    )
