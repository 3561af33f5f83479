"""Issue 9: a registry import is applied by the task worker, off the request (gunicorn's 30 s
killed a 20 000-row apply), in bulk; a failed apply keeps its preview; preview copies are
deleted after apply or cancel, and forgotten ones are purged."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.core import pending
from opora.registry.importing import run_school_import
from opora.registry.models import ImportStatus, RegistryImport, School, SchoolPassport
from opora.testing.registry_files import csv_bytes, written

YEAR = 2026
ROWS = [
    ["Код ОО", "Наименование", "Муниципалитет", "Вид ОО", "Обучающихся", "Педагогов"],
    ["700101", "МКОУ «Сосновская ООШ»", "Каргасокский район", "ООШ", "48", "9"],
    ["700901", "МКОУ «Вертикосская СОШ»", "Каргасокский район", "СОШ", "84", "12"],
]


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, client, world):
    settings.DATA_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(world.users.region)


def _stashed(tmp_path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "uploads").glob("*.bin"))


def _upload(client, rows=ROWS):
    return client.post(
        reverse("registry:import"),
        {"file": SimpleUploadedFile("реестр.csv", csv_bytes(rows)), "year": YEAR},
    )


def _apply(client, capture, execute=True):
    with capture(execute=execute):
        return client.post(reverse("registry:import_apply"))


def test_the_apply_is_queued_and_its_page_follows_it(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    _upload(client)
    before = written()
    response = _apply(client, django_capture_on_commit_callbacks, execute=False)
    job = RegistryImport.objects.get()
    assert response["Location"] == reverse("registry:import_job", args=[job.pk])
    assert job.status == ImportStatus.QUEUED and written() == before, "nothing in the request"
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "В очереди" in page

    run_school_import(job.pk)  # the worker
    assert School.objects.filter(code="700101").exists()
    assert SchoolPassport.objects.get(school=world.home_school, year=YEAR).pupils == 84
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and "добавлено 1, обновлено 1" in partial
    assert _stashed(tmp_path) == [], "the applied file is deleted"
    assert run_school_import(job.pk).status == ImportStatus.DONE  # a retried task: no-op
    assert School.history.filter(code="700101").count() == 1


def test_a_double_click_queues_one_import(client, world, django_capture_on_commit_callbacks):
    _upload(client)
    first = _apply(client, django_capture_on_commit_callbacks, execute=False)
    second = _apply(client, django_capture_on_commit_callbacks, execute=False)
    assert first["Location"] == second["Location"]
    assert RegistryImport.objects.count() == 1


def test_a_failed_apply_keeps_the_preview_to_apply_again(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    _upload(client)
    home = world.home
    name = home.name
    # Between the preview and the apply someone renames the district: the file no longer fits.
    type(home).objects.filter(pk=home.pk).update(name="Парабельский район", aliases=[])
    before = written()
    response = _apply(client, django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    assert job.status == ImportStatus.FAILED and written() == before
    page = client.get(response["Location"]).content.decode()
    assert "ничего не записано" in page
    assert "муниципалитет «Каргасокский район» не найден" in page
    assert len(_stashed(tmp_path)) == 1, "the file still waits"

    type(home).objects.filter(pk=home.pk).update(name=name)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-preview"' in page and "Применить изменения" in page
    again = _apply(client, django_capture_on_commit_callbacks)
    assert (
        RegistryImport.objects.get(pk=int(again["Location"].rstrip("/").split("/")[-1])).status
        == ImportStatus.DONE
    )
    assert School.objects.filter(code="700101").exists()
    assert _stashed(tmp_path) == []


def test_cancel_deletes_the_copy(client, tmp_path):
    _upload(client)
    assert len(_stashed(tmp_path)) == 1
    response = client.post(reverse("registry:import_cancel"), follow=True)
    assert "Импорт отменён" in response.content.decode()
    assert _stashed(tmp_path) == []
    assert (
        "не найден" in client.post(reverse("registry:import_apply"), follow=True).content.decode()
    )


def test_a_new_upload_replaces_the_copy_and_forgotten_copies_are_purged(client, tmp_path):
    _upload(client)
    (old,) = _stashed(tmp_path)
    forgotten = tmp_path / "uploads" / ("f" * 32 + ".bin")
    forgotten.write_bytes(b"a preview nobody confirmed")
    past = time.time() - pending.MAX_AGE - 60
    os.utime(forgotten, (past, past))
    _upload(client)
    (new,) = _stashed(tmp_path)
    assert new != old


def test_a_big_registry_is_applied_in_bulk(client, world, django_capture_on_commit_callbacks):
    """A few statements per 500 rows, not a few per row (20 000 rows timed out in a request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [ROWS[0]] + [
        [f"8{i:05d}", f"МКОУ «СОШ № {i}»", "Каргасокский район", "СОШ", "100", "10"]
        for i in range(1500)
    ]
    _upload(client, rows)
    with CaptureQueriesContext(connection) as queries:
        _apply(client, django_capture_on_commit_callbacks)
    assert School.objects.filter(code__startswith="8").count() == 1500
    assert SchoolPassport.history.filter(school__code__startswith="8").count() == 1500
    assert len(queries) < 100
