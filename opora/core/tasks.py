"""Background tasks of the core (django.tasks), enqueued by ``opora schedule``."""

from django.tasks import task


@task
def refresh_planner_statistics() -> None:
    from opora.core import planner

    planner.refresh()
