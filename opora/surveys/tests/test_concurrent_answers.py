"""Issue 15, «Measured»: 300 anonymous answers sent at once to a running server — 300 stored,
none lost, none doubled, each counted once in the running totals; the same forms sent again (a retry on a bad connection) add nothing.

The server is a real gunicorn (from the lock file) with a few workers and threads, as in
production, started against the test database; the 300 requests come from 300 threads
released together. PostgreSQL only: the test database must be reachable from another process
and take parallel writers (SQLite's test database lives in memory).
"""

from __future__ import annotations

from django.db import connection

from opora.surveys import tallies
from opora.surveys.models import WHOLE_QUESTION, Response, Tally
from opora.testing.live_survey import Server, resend, send_at_once
from opora.testing.racing import needs_postgres
from opora.testing.surveys import parents_questionnaire, send

ANSWERS = 300
KEY = ("school_id", "question_id", "row", "option", "n", "total")


@needs_postgres
def test_300_answers_sent_at_once_are_all_stored_once(transactional_db, world, tmp_path):
    region = world.users.region
    campaign = send(region, parents_questionnaire(region), [world.home_school])
    path = f"/surveys/a/{campaign.targets.get().token}/"
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with Server(url, tmp_path) as server:
        statuses, forms, _ = send_at_once(server.url, path, ANSWERS)
        assert statuses == [302] * ANSWERS, sorted(set(statuses))
        assert Response.objects.filter(campaign=campaign).count() == ANSWERS
        receipts = set(Response.objects.filter(campaign=campaign).values_list("receipt", flat=True))
        assert receipts == {f["receipt"] for f in forms}
        assert set(resend(server.url, path, forms[:50])) == {302}
    assert Response.objects.filter(campaign=campaign).count() == ANSWERS
    # The running totals counted each answer once: as many as counting the answers again.
    counted = sorted(Tally.objects.filter(campaign=campaign).values_list(*KEY))
    assert max(t[4] for t in counted if t[2] == WHOLE_QUESTION) == ANSWERS
    tallies.rebuild(campaign)
    assert sorted(Tally.objects.filter(campaign=campaign).values_list(*KEY)) == counted
