"""Reproducible runs (issue 13): the same methodology version and the same data give the same
lists; the data of an approved run is kept; each database has its own Parquet store.

The region is the hand-made one of ``conftest.py`` (its lists are worked out there on paper).
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from opora.assessment import services, store
from opora.assessment.models import ResultBatch
from opora.registry.models import SchoolPassport
from opora.testing.assessment import (
    EXPECTED_BIASED,
    EXPECTED_LOW,
    EXPECTED_UNFAVOURABLE,
    csv_bytes,
    import_bytes,
    region_rows,
    stored_cells,
)


def _lists(run):
    return run.low_results, run.unfavourable, run.biased


def test_the_same_methodology_version_and_data_fingerprint_give_the_same_lists(imported):
    methodology = services.default_methodology()
    first = services.create_run(imported.user, methodology, 2026)
    second = services.create_run(imported.user, methodology, 2026)

    assert first.fingerprint and first.fingerprint == second.fingerprint
    assert _lists(first) == _lists(second) == (EXPECTED_LOW, EXPECTED_UNFAVOURABLE, EXPECTED_BIASED)


def test_the_same_file_loaded_again_keeps_the_fingerprint_and_other_data_changes_it(imported):
    methodology = services.default_methodology()
    before = services.create_run(imported.user, methodology, 2026)
    services.delete_batch(imported.user, imported.batch)
    again = import_bytes(imported.user, csv_bytes(region_rows()))
    assert again.pk != imported.batch.pk

    reloaded = services.create_run(imported.user, methodology, 2026)
    assert reloaded.fingerprint == before.fingerprint
    assert _lists(reloaded) == _lists(before)

    # A passport changed: the context the run reads is other data.
    SchoolPassport.objects.filter(school__code="800001").update(share_low_income=0.9)
    changed = services.create_run(imported.user, methodology, 2026)
    assert changed.fingerprint != before.fingerprint


def test_a_batch_an_approved_run_used_cannot_be_deleted(imported):
    run = services.create_run(imported.user, services.default_methodology(), 2026)
    services.approve_run(imported.user, run, kind="распоряжение", number="7-р", day=date.today())

    with pytest.raises(ValidationError, match="использован в утверждённых списках \\(2026 г.\\)"):
        services.delete_batch(imported.user, imported.batch)

    assert ResultBatch.objects.filter(pk=imported.batch.pk).exists()
    assert stored_cells([imported.batch.pk]).num_rows
    assert store.batch_files(services.results_root(), batch_ids=[imported.batch.pk])
    again = services.create_run(imported.user, services.default_methodology(), 2026)
    assert again.fingerprint == run.fingerprint and _lists(again) == _lists(run)


def test_deleting_a_batch_of_a_draft_run_is_in_the_history_with_who_and_when(imported):
    services.create_run(imported.user, services.default_methodology(), 2026)  # a draft
    gone = imported.batch.pk

    services.delete_batch(imported.user, imported.batch)

    assert not ResultBatch.objects.filter(pk=gone).exists()
    history = ResultBatch.history.filter(id=gone).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "-"]
    loaded, deleted = history
    assert loaded.history_user == deleted.history_user == imported.user
    assert deleted.file_name == "результаты.csv"
    assert deleted.history_date >= loaded.history_date


def test_each_database_has_its_own_store_under_one_data_folder(settings, monkeypatch, tmp_path):
    settings.OPORA_RESULTS_DIR = tmp_path / "shared"
    mine = services.results_root()
    monkeypatch.setitem(connection.settings_dict, "NAME", "opora_other")
    theirs = services.results_root()

    assert mine != theirs
    assert mine.parent == theirs.parent == tmp_path / "shared"
    assert mine.name.startswith("db-") and theirs.name.startswith("db-")
