"""Background tasks (django.tasks; the worker is started by `make run`)."""

from django.tasks import task


@task
def import_batch(batch_id: int) -> int:
    from opora.assessment.services import run_import

    return run_import(batch_id).pk
