"""Background tasks of monitoring (django.tasks; the worker is started by `make run`)."""

from django.tasks import task


@task
def check_answer_links(answer_id: int) -> int:
    """Check the links of a saved answer that wait for it; the number checked."""
    from opora.monitoring.services import record_link_checks

    return record_link_checks(answer_id)
