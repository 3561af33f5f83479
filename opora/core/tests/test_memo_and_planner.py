"""What one request computes once (core.memo), and the planner's statistics (core.planner)."""

from django.db import connection
from django.urls import reverse

from opora.core import memo, planner
from opora.core import tasks as core_tasks
from opora.testing.factories import UserFactory


def test_outside_a_request_nothing_is_kept():
    calls = []
    assert memo.per_request("k", lambda: calls.append(1) or len(calls)) == 1
    assert memo.per_request("k", lambda: calls.append(1) or len(calls)) == 2
    assert memo.known("k") is None


def test_inside_a_request_a_value_is_computed_once_and_forgotten_after():
    token = memo.opened()
    try:
        calls = []
        first = memo.per_request("k", lambda: calls.append(1) or len(calls))
        again = memo.per_request("k", lambda: calls.append(1) or len(calls))
        assert first == again == 1
        assert memo.known("k") == 1
        memo.forget()
        assert memo.known("k") is None
    finally:
        memo.close(token)
    assert memo.known("k") is None


def test_the_inbox_page_reads_the_inbox_once(db, client, django_assert_max_num_queries):
    """The menu's badge, «Ждут меня» and its count share one reading of the inbox."""
    from opora.core import contributions

    user = UserFactory(username="region", role="region")
    client.force_login(user)
    calls = []
    for source in contributions.inbox_sources():
        original = source.items

        def counted(u, original=original):
            calls.append(1)
            return original(u)

        object.__setattr__(source, "items", counted)
    try:
        assert client.get(reverse("inbox")).status_code == 200
    finally:
        for source in contributions.inbox_sources():
            object.__setattr__(source, "items", source.items.__defaults__[0])
    assert len(calls) == len(contributions.inbox_sources())


def test_the_planner_learns_the_tables_sizes(db):
    planner.refresh()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone()[0] == 1
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
            )
            assert cursor.fetchone()[0] > 0


def test_the_schedule_refreshes_the_statistics(db, settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    call_command("schedule", "--once")
    names = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert f"{core_tasks.__name__}.refresh_planner_statistics" in names
