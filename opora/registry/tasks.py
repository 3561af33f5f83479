"""Background tasks (django.tasks; the worker is started by `make run`)."""

from django.tasks import task


@task
def apply_registry_import(job_id: int) -> int:
    from opora.registry.importing import run_school_import

    return run_school_import(job_id).pk
