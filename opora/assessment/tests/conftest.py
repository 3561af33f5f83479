"""The assessment tests' region (``opora.testing.assessment``: a region whose lists can be
worked out on paper) as fixtures, and the results store in a temp folder."""

import pytest

from opora.testing.assessment import Region, csv_bytes, import_bytes, make_region, region_rows


@pytest.fixture(autouse=True)
def _results_store(settings, tmp_path):
    """Parquet in a temp folder; queued imports run at once (on commit)."""
    settings.OPORA_RESULTS_DIR = tmp_path / "results"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def region(db) -> Region:
    return make_region()


@pytest.fixture
def imported(region) -> Region:
    """The region with its three years of results imported (one batch)."""
    batch = import_bytes(region.user, csv_bytes(region_rows()))
    assert batch.status == "done", batch.message
    region.batch = batch
    return region
