"""``opora schedule``: the clock beside the task worker. Every ``--every`` seconds (five minutes by
default) it enqueues the deadline reminders, the digests and the check of the site sections'
links older than a day (``information.tasks``) and fresh statistics for the database's query
planner once an hour (``core.tasks``); all are idempotent, so a missed or
doubled tick changes nothing. ``make run`` starts it; in production run it as one process (or a
timer calling ``opora schedule --once``) beside ``opora db_worker``.
"""

import time

from django.core.management.base import BaseCommand

from opora.core import tasks as core_tasks
from opora.information import tasks as information_tasks
from opora.notifications import tasks

#: Seconds between two refreshes of the planner's statistics (``core.planner``).
STATISTICS_EVERY = 3600


class Command(BaseCommand):
    help = (
        "Ставит в очередь напоминания о сроках, письма-сводки и проверку ссылок на разделы "
        "сайтов (раз в пять минут или один раз)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="поставить задачи один раз и выйти")
        parser.add_argument(
            "--every", type=int, default=300, help="период, секунд (по умолчанию 300)"
        )

    def handle(self, *args, once=False, every=300, **options):
        if every < 1:
            self.stderr.write("Период — целое число секунд от 1.")
            raise SystemExit(1)
        statistics_at = None
        while True:
            tasks.notify_deadlines.enqueue()
            tasks.send_digests.enqueue()
            information_tasks.check_site_sections.enqueue()
            if statistics_at is None or time.monotonic() - statistics_at >= STATISTICS_EVERY:
                core_tasks.refresh_planner_statistics.enqueue()
                statistics_at = time.monotonic()
            if once:
                self.stdout.write(
                    "Напоминания, письма-сводки и проверка ссылок поставлены в очередь."
                )
                return
            time.sleep(every)
