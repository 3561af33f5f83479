"""Background tasks of notifications (django.tasks), enqueued by ``opora schedule``."""

from django.tasks import task


@task
def notify_deadlines() -> int:
    from django.utils import timezone

    from opora.notifications.deadlines import notify_deadlines as run
    from opora.notifications.deadlines import notify_overdue_recommendations

    today = timezone.localdate()
    return run(today) + notify_overdue_recommendations(today)


@task
def send_digests() -> int:
    from opora.notifications.digests import send_digests as run

    return run()
