"""Background tasks of information support (django.tasks; the worker and the schedule are
started by `make run`)."""

from django.tasks import task


@task
def check_site_section(section_id: int) -> str | None:
    """Check one site section's link (after it is saved, or when asked again)."""
    from opora.information.services import record_site_check

    return record_site_check(section_id)


@task
def check_site_sections() -> int:
    """Queue the sections whose last check is older than a day; the number queued."""
    from opora.information.services import sections_due

    due = sections_due()
    for section_id in due:
        check_site_section.enqueue(section_id)
    return len(due)
