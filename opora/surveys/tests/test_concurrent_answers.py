"""Issue 15, «Measured»: 300 anonymous answers sent at once to a running server — 300 stored,
none lost, none doubled, each counted once in the running totals; the same forms sent again (a retry on a bad connection) add nothing.
The campaign asks pupils and parents with one shared questionnaire: half the answers come
through each of the school's two links, and each audience's totals count exactly its half.

The server is a real gunicorn (from the lock file) with a few workers and threads, as in
production, started against the test database; the 300 requests come from 300 threads
released together. PostgreSQL only: the test database must be reachable from another process
and take parallel writers (SQLite's test database lives in memory).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count

from opora.surveys import tallies
from opora.surveys.models import WHOLE_QUESTION, Audience, Response, Tally
from opora.testing.live_survey import Server, resend, send_at_once
from opora.testing.racing import needs_postgres
from opora.testing.surveys import link_of, parents_questionnaire, send

ANSWERS = 300
KEY = ("school_id", "audience", "question_id", "row", "option", "n", "total")


@needs_postgres
def test_300_answers_sent_at_once_are_all_stored_once(transactional_db, world, tmp_path):
    region = world.users.region
    questionnaire = parents_questionnaire(region)
    campaign = send(
        region, questionnaire, [world.home_school], also={Audience.PUPILS: questionnaire}
    )
    parents, pupils = (
        f"/surveys/a/{link_of(campaign, audience=a)}/" for a in (Audience.PARENTS, Audience.PUPILS)
    )
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with Server(url, tmp_path) as server:
        statuses, forms, _ = send_at_once(server.url, [parents, pupils], ANSWERS)
        assert statuses == [302] * ANSWERS, sorted(set(statuses))
        assert Response.objects.filter(campaign=campaign).count() == ANSWERS
        receipts = set(Response.objects.filter(campaign=campaign).values_list("receipt", flat=True))
        assert receipts == {f["receipt"] for f in forms}
        assert set(resend(server.url, parents, forms[:50:2])) == {302}
        assert set(resend(server.url, pupils, forms[1:50:2])) == {302}
    assert Response.objects.filter(campaign=campaign).count() == ANSWERS
    by_audience = Response.objects.filter(campaign=campaign).values_list("audience")
    assert dict(by_audience.annotate(n=Count("id"))) == {
        Audience.PARENTS: ANSWERS // 2,
        Audience.PUPILS: ANSWERS // 2,
    }
    # The running totals counted each answer once: as many as counting the answers again.
    counted = sorted(Tally.objects.filter(campaign=campaign).values_list(*KEY))
    assert max(t[5] for t in counted if t[3] == WHOLE_QUESTION and t[1] == "pupils") == ANSWERS // 2
    tallies.rebuild(campaign)
    assert sorted(Tally.objects.filter(campaign=campaign).values_list(*KEY)) == counted
