"""Foreign objects of the assessment part for the project-wide scope walk.

A run on the lists of 2026 whose explanation speaks about the foreign school, the batch of
results it was computed from and a result of the foreign school (its cells in the store), each
with pk 9001 and «Чуж…» in its text. Runs, batches and methodologies are region-wide pages (403 for a
municipality, a school or a curator); the results overview filters schools by scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opora.testing import FOREIGN_PK

if TYPE_CHECKING:
    from opora.testing.world import World


def create(world: World) -> None:
    from opora.assessment import services
    from opora.assessment.models import (
        BatchStatus,
        IdentificationRun,
        ResultBatch,
        RunSchool,
    )
    from opora.testing.assessment import put_cells

    code = world.foreign_school.code
    batch = ResultBatch.objects.create(
        pk=FOREIGN_PK,
        file_name="Чужие результаты ВПР.csv",
        checksum="0" * 64,
        kind="pupil",
        status=BatchStatus.DONE,
        progress=100,
        rows=10,
        rows_total=11,
        schools=1,
        years=[2026],
        procedures=["ВПР"],
        rejected=[{"line": 3, "reason": "Чужая ошибка в строке", "school_code": code}],
        rejected_count=1,
    )
    put_cells(
        batch,
        [
            {
                "school_code": code,
                "year": 2026,
                "procedure": "ВПР",
                "grade": 5,
                "subject": "Математика",
                "participants": 10,
                "n2": 6,
                "n3": 2,
                "n4": 1,
                "n5": 1,
            }
        ],
    )
    methodology = services.default_methodology()
    run = IdentificationRun.objects.create(
        pk=FOREIGN_PK,
        methodology=methodology,
        params=methodology.params,
        year=2026,
        batch_ids=[FOREIGN_PK],
        low_results=[code],
        fair_table={"low": {"worse": 1, "not_worse": 0}, "not_low": {"worse": 0, "not_worse": 0}},
    )
    RunSchool.objects.create(
        run=run,
        code=code,
        school=world.foreign_school,
        low_results=True,
        explanation={
            "lines": [
                "ШНОР в 2026 году: Чужая СОШ № 1 — низкие результаты в годы 2025, 2026.",
                "  Математика, 5 класс: доля «2» — 60 % при пороге 20 % (Чужие данные)",
            ],
            "low_results": True,
            "unfavourable": False,
            "biased": False,
        },
    )
