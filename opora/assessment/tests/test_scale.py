"""Issue 10: the import and identification as the user runs them stay fast and equal to the
reference — aggregates in one bulk write, passports in one query, a bar that moves with the
work, no copy of a file imported from the command line."""

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.assessment import engine, results_file, services
from opora.assessment.models import BatchStatus, ResultBatch
from opora.assessment.reference import reference_sql
from opora.assessment.results_file import read_results
from opora.assessment.synthetic import generate
from opora.testing.assessment import CODES, csv_bytes, html_of, region_rows, stored_cells
from opora.testing.factories import PassportFactory
from opora.testing.world import login_as


def _import_queries(user, rows, name) -> int:
    batch = services.start_import(user, csv_bytes(rows), name, enqueue=False)
    with CaptureQueriesContext(connection) as queries:
        assert services.run_import(batch.pk).status == BatchStatus.DONE
    return len(queries)


def test_the_import_writes_its_aggregates_in_one_statement_whatever_their_number(region):
    one_year = _import_queries(region.user, region_rows(years=(2024,)), "2024.csv")
    two_years = _import_queries(region.user, region_rows(years=(2025, 2026)), "2025-2026.csv")

    assert one_year == two_years
    assert stored_cells().num_rows == len(CODES) * 4 * 3


def test_passports_of_a_year_come_in_one_query_the_latest_up_to_that_year(region):
    school = region.schools[CODES[0]]
    PassportFactory(school=school, year=2024, share_low_income=Decimal("0.9"))
    PassportFactory(school=school, year=2027, share_low_income=Decimal("0.1"))  # later: unused
    other = region.schools[CODES[1]]
    PassportFactory(school=other, year=2025, share_low_income=None)
    other.passports.filter(year=2026).delete()

    with CaptureQueriesContext(connection) as queries:
        passports = services.passports_for(2026)

    assert len(queries) == 1
    assert passports.codes == sorted(CODES)
    low_income = dict(zip(passports.codes, passports.indicator("share_low_income"), strict=True))
    assert low_income[CODES[0]] == pytest.approx(0.05)  # 2026 beats 2024
    assert np.isnan(low_income[CODES[1]])  # its latest (2025) does not know it
    assert list(services.passports_for(2024)) == [CODES[0]]
    # A passport older than the list year is used a year at most (issue 13), with its year.
    assert list(services.passports_for(2025)) == [CODES[0], CODES[1]]
    assert list(services.passports_for(2025, max_age=0)) == [CODES[1]]
    aged = services.passports_for(2026, max_age=0)
    assert CODES[1] not in aged.codes and set(aged.years) == {2026}


def test_the_lists_from_the_database_passports_equal_the_reference_sql(imported):
    result, batch_ids, _ = services.compute(2026, engine.Params())
    assert result.low_results == reference_sql(
        services.results_root(), 2026, engine.Params(), batch_ids
    )
    as_mapping = {
        code: {name: passports.indicator(name)[k] for name in services.PASSPORT_INDICATORS}
        for passports in [services.passports_for(2026)]
        for k, code in enumerate(passports.codes)
    }
    by_mapping = engine.run(services.results_root(), as_mapping, engine.Params(), 2026, batch_ids)
    assert result.unfavourable == by_mapping.unfavourable
    assert result.low_results == by_mapping.low_results


def test_a_national_size_synthetic_file_gives_the_reference_lists(region, tmp_path):
    """The synthetic country's files through the command path: the lists equal the SQL."""
    from django.core.management import call_command

    summary = generate(
        60, range(2024, 2027), tmp_path, codes=sorted(region.schools)[:12] + _more(region, 48)
    )
    for path in summary["files"]:
        call_command("import-results", str(path), "--json")
    result, batch_ids, _ = services.compute(2026, engine.Params())
    assert len(batch_ids) == 3
    assert result.low_results == reference_sql(
        services.results_root(), 2026, engine.Params(), batch_ids
    )


def _more(region, n: int) -> list[str]:
    from opora.testing.factories import SchoolFactory

    municipality = region.municipality
    return [SchoolFactory(code=f"7{k:05d}", municipality=municipality).code for k in range(n)]


def test_the_command_reads_the_file_in_place_and_once(region, tmp_path, monkeypatch):
    """No copy of the file in the uploads folder, and no pass of its own to hash it: the
    reader computes the checksum on the blocks it parses."""
    import hashlib

    from django.core.management import call_command

    path = tmp_path / "ВПР.csv"
    path.write_bytes(csv_bytes(region_rows()))
    uploads = services.results_root() / "uploads"
    reads = []
    original = services.read_results

    def spy(source, *args, **kwargs):
        assert not (uploads.exists() and any(uploads.iterdir()))
        reads.append((source, kwargs.get("checksum")))
        return original(source, *args, **kwargs)

    def no_second_read(*args):
        raise AssertionError("the file was read again to be hashed")

    monkeypatch.setattr(services, "read_results", spy)
    monkeypatch.setattr(services, "_receive", no_second_read)
    call_command("import-results", str(path), "--json")

    batch = ResultBatch.objects.get()
    assert reads == [(path, True)]
    assert batch.status == BatchStatus.DONE
    assert batch.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert path.exists()  # the user's file stays
    assert not [p for p in uploads.iterdir() if p.name.startswith("batch-")]


def test_a_file_read_twice_is_hashed_once(tmp_path):
    """A number column with text makes the reader read the file again as text: the checksum
    is still the file's."""
    import hashlib

    path = tmp_path / "ВПР.csv"
    rows = region_rows(years=(2026,))
    rows[-1][3] = f"{rows[-1][3]} класс"  # «5 класс»: not a number, the file is read again
    data = csv_bytes(rows)
    path.write_bytes(data)

    result = read_results(path, path.name, None, checksum=True)

    assert result.checksum == hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- progress


def test_reading_tells_the_share_of_the_file_read(tmp_path, monkeypatch):
    monkeypatch.setattr(results_file, "BLOCK_BYTES", 4 << 20)
    summary = generate(700, range(2025, 2026), tmp_path)
    path = summary["files"][0]
    assert path.stat().st_size > 8 << 20  # more than one block of the reader
    shares: list[float] = []

    result = read_results(path, path.name, None, on_read=shares.append)

    assert result.rows_valid == summary["rows"]
    assert len(set(shares)) >= 2
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert 0 < shares[0] < 1


def test_the_page_shows_the_progress_within_a_long_step(client, world):

    login_as(client, world)
    batch = services.start_import(world.users.region, b"x", "x.csv", enqueue=False)
    ResultBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, progress=5)
    batch.refresh_from_db()
    services._LiveProgress(batch).step(5, 40)(0.5)  # half the file read: 5 + 35 / 2

    partial = html_of(
        client.get(reverse("assessment:batch", args=[batch.pk]), headers={"HX-Request": "true"})
    )
    assert 'aria-valuenow="22"' in partial


def test_a_large_upload_is_streamed_not_refused_at_the_form_limit(
    client, world, settings, django_capture_on_commit_callbacks
):
    from opora.testing.assessment import make_region

    settings.MAX_UPLOAD_BYTES = 1024  # the general limit of other uploads
    login_as(client, world)
    make_region(user=world.users.region)
    data = csv_bytes(region_rows(years=(2026,)))
    assert len(data) > 1024
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessment:batches"), {"file": SimpleUploadedFile("r.csv", data)})
    assert ResultBatch.objects.get(file_name="r.csv").status == BatchStatus.DONE


def test_an_empty_upload_is_refused_in_russian(client, world):

    login_as(client, world)
    response = client.post(
        reverse("assessment:batches"), {"file": SimpleUploadedFile("r.csv", b"")}
    )
    assert "Файл пустой" in html_of(response) or "пуст" in html_of(response)


def test_a_saved_run_keeps_its_explanations_in_a_row_per_school(imported):
    """Not one JSON document of the run (6 million characters at 10 000 schools): a row per
    school, read one at a time; the run's history holds no copy of them."""
    run = services.create_run(imported.user, services.default_methodology(), 2026)
    rows = {r.code: r for r in run.schools.all()}
    assert set(run.low_results) <= set(rows)
    assert all(rows[c].low_results for c in run.low_results)
    assert rows["800003"].biased and rows["800003"].explanation["lines"]
    assert rows["800001"].school.code == "800001"
    assert not hasattr(run.history.first(), "explanations")


def test_a_large_upload_already_on_disk_is_linked_not_copied(region):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    data = csv_bytes(region_rows())
    upload = TemporaryUploadedFile("ВПР.csv", "text/csv", len(data), None)
    upload.write(data)
    upload.flush()

    batch = services.start_import(region.user, upload, upload.name, enqueue=False)

    stored = services.results_root() / "uploads" / f"batch-{batch.pk}.bin"
    assert stored.stat().st_ino == Path(upload.temporary_file_path()).stat().st_ino
    upload.close()  # Django removes its temporary file after the request: ours stays
    assert services.run_import(batch.pk).status == BatchStatus.DONE
