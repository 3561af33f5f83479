"""A hand-made region whose lists can be worked out on paper, and the store in a temp folder.

Twelve schools (codes 800001…800012), ВПР of 2024–2026, grades 5 and 6, mathematics and
Russian: four cells per school and year, ten pupils per cell. A cell is written as one letter:

* ``w`` — weak: 6 marks «2» of 10 (60 %);
* ``m`` — middling: 3 marks «2» of 10 (30 %);
* ``.`` — no «2» at all;
* ``s`` — small: 3 pupils, all «2» (fewer than the 5 participants a cell needs).

The other marks of a cell go 3, 4, 5, 3, 4, 5 … and every journal mark is «4» — except
800003's in 2026, «2» (see :data:`EXPECTED_BIASED`). With the
default methodology (see :data:`EXPECTED_LOW`) the 90th percentile of a year, grade and
subject is 60 % wherever at least three schools are weak there, and 57 % (30 % + 0.9 × 30 %)
in 2024, grade 6, where only two are.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

YEARS = (2024, 2025, 2026)
CELLS = ((5, "Математика"), (5, "Русский язык"), (6, "Математика"), (6, "Русский язык"))
CODES = [str(800000 + i) for i in range(1, 13)]
PLAN = {
    "800001": {2024: "wwww", 2025: "wwww", 2026: "wwww"},  # low every year → ШНОР
    "800002": {2024: "....", 2025: "wwww", 2026: "wwww"},  # low 2025 and 2026 → ШНОР
    "800003": {2024: "wwww", 2025: "wwww", 2026: "...."},  # not low in 2026 → not ШНОР
    "800004": {2024: "....", 2025: "....", 2026: "wwww"},  # low in 2026 only → not ШНОР
    "800005": dict.fromkeys(YEARS, "ww.."),  # half its cells low every year → ШНОР
    "800006": dict.fromkeys(YEARS, "w..."),  # a quarter → never a low year
    "800007": dict.fromkeys(YEARS, "mmmm"),  # 30 % of «2», under the percentile → not
    "800008": {2024: "....", 2025: "....", 2026: "ssss"},  # 2026: too few pupils per cell
}
EXPECTED_LOW = ["800001", "800002", "800005"]
# 800003 went from weak in 2025 to all «3»–«5» in 2026 while its journal says «2»: 40 of 40
# ВПР marks above the journal (Wilson low 91 %) against the region's 2026 share plus 15 points;
# everywhere else a «5» is the only mark above the journal «4» (3 of 10 in a «....» cell).
EXPECTED_BIASED = ["800003"]
INFLATED = ("800003", 2026)
# Passports: three schools in hard conditions on every indicator.
HARD = ["800010", "800011", "800012"]
EXPECTED_UNFAVOURABLE = HARD
# With the 50th percentile the threshold drops to 10 % and 800007's 30 % cells become low.
WHATIF_ENTERED = ["800007"]

HEADER = [
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
SCORE = {2: 2, 3: 7, 4: 12, 5: 18}


def cell_marks(letter: str) -> list[int]:
    if letter == "s":
        return [2, 2, 2]
    twos = {"w": 6, "m": 3, ".": 0}[letter]
    return [2] * twos + [(3, 4, 5)[i % 3] for i in range(10 - twos)]


def region_rows(years=YEARS, codes=CODES) -> list[list]:
    """Pupil rows of the plan (schools not in :data:`PLAN` have no «2»)."""
    rows = []
    for code in codes:
        for year in years:
            letters = PLAN.get(code, {}).get(year, "....")
            for k, ((grade, subject), letter) in enumerate(zip(CELLS, letters, strict=True)):
                for i, mark in enumerate(cell_marks(letter)):
                    pupil = f"{year % 100}{code[-2:]}{grade}{k}{i:02d}"
                    term = 2 if (code, year) == INFLATED else 4
                    rows.append([year, "ВПР", code, grade, subject, pupil, SCORE[mark], mark, term])
    return rows


def hand_counts(rows) -> dict[tuple, Counter]:
    """(code, year, grade, subject) → Counter of marks, counted here in Python."""
    counts: dict[tuple, Counter] = {}
    for year, _, code, grade, subject, _, _, mark, _ in rows:
        counts.setdefault((code, year, grade, subject), Counter())[mark] += 1
    return counts


def csv_bytes(rows, *, encoding="utf-8", delimiter=";", header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@dataclass
class Region:
    user: object
    schools: dict
    municipality: object


def make_region(user=None, codes=CODES) -> Region:
    """The twelve schools (two districts), their 2026 passports and a regional user."""
    from opora.accounts.models import Role
    from opora.testing.factories import (
        MunicipalityFactory,
        PassportFactory,
        SchoolFactory,
        UserFactory,
    )

    north = MunicipalityFactory(name="Северный район")
    south = MunicipalityFactory(name="Южный район")
    schools = {}
    for i, code in enumerate(codes):
        school = SchoolFactory(
            code=code,
            full_name=f"МБОУ «СОШ № {i + 1}» (код {code})",
            short_name=f"СОШ № {i + 1}",
            municipality=north if i < len(codes) // 2 else south,
        )
        hard = code in HARD
        PassportFactory(
            school=school,
            year=2026,
            share_special_needs=0.4 if hard else 0.05,
            share_non_native=0.4 if hard else 0.05,
            share_low_income=0.4 if hard else 0.05,
            share_single_parent=0.4 if hard else 0.05,
            is_rural=hard,
            is_small=hard,
        )
        schools[code] = school
    if user is None:
        user = UserFactory(username="region-head", role=Role.REGION)
    return Region(user=user, schools=schools, municipality=north)


def import_bytes(user, data: bytes, name: str = "результаты.csv", *, valid_only=False):
    """What the worker does with a queued file, run here and now."""
    from opora.assessment import services

    batch = services.start_import(user, data, name, valid_only=valid_only, enqueue=False)
    return services.run_import(batch.pk)


def html_of(response) -> str:
    return response.content.decode()


def put_cells(batch, rows: list[dict]) -> None:
    """Store ``rows`` (``school_code, year, procedure, grade, subject, participants,
    n2…n5``) as the loaded batch's cells, with its slices, as an import would have written
    them: what the pages read without importing a file."""
    import pyarrow as pa

    from opora.assessment import store
    from opora.assessment.models import ResultSlice
    from opora.assessment.services import results_root

    table = pa.Table.from_pylist(rows)
    store.write_cells(results_root(), batch.pk, table, publish=True)
    ResultSlice.objects.bulk_create(
        ResultSlice(batch=batch, **s) for s in store.slice_digests(table)
    )


def stored_cells(batch_ids=None):
    """The cells the pages read (of the given batches; of every batch by default)."""
    from opora.assessment import store
    from opora.assessment.models import ResultBatch
    from opora.assessment.services import results_root

    if batch_ids is None:
        batch_ids = ResultBatch.objects.values_list("pk", flat=True)
    return store.stored_cells(results_root(), list(batch_ids))
