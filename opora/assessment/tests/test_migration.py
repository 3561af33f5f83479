"""Results loaded before the per-school aggregates moved into the store (issue 10) keep showing:
the migration writes each loaded batch's cells from the old table into its cells file, and the
pages read the same figures after the move as before it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from opora.testing.factories import SchoolFactory

BEFORE = [("assessment", "0010_runs_without_explanations_json")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_cells_of_loaded_batches_move_from_the_table_into_the_store():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    school, other = SchoolFactory(code="700901"), SchoolFactory(code="700902")
    old = _migrate(BEFORE)
    Batch, Cell = (
        old.get_model("assessment", "ResultBatch"),
        old.get_model("assessment", "CellResult"),
    )
    loaded = Batch.objects.create(file_name="ВПР.csv", checksum="a" * 64, status="done")
    failed = Batch.objects.create(file_name="сбой.csv", checksum="b" * 64, status="failed")
    for batch, n2 in ((loaded, 3), (failed, 9)):
        for s, subject in ((school, "Математика"), (other, "Русский язык")):
            Cell.objects.create(
                batch_id=batch.pk,
                school_id=s.pk,
                year=2026,
                procedure="ВПР",
                grade=5,
                subject=subject,
                participants=10,
                n2=n2,
                n3=1,
                n4=0,
                n5=10 - n2 - 1,
            )
    _migrate(leaves)

    from opora.assessment import selectors
    from opora.testing.assessment import stored_cells

    assert stored_cells([failed.pk]).num_rows == 0  # never shown, not moved
    assert sorted(stored_cells([loaded.pk])["school_code"].to_pylist()) == ["700901", "700902"]
    (row,) = selectors.school_results(school)
    assert (row["year"], row["procedure"], row["grade"], row["subject"]) == (
        2026,
        "ВПР",
        5,
        "Математика",
    )
    assert (row["participants"], row["marks"]) == (10, [3, 1, 0, 6])
