"""Sessions on shared school computers: they end after idle time and with the browser. Issue 9."""

import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from opora.core.middleware import SlidingSession
from opora.testing import PASSWORD
from opora.testing.factories import UserFactory


def _sign_in(client):
    UserFactory(username="school")
    response = client.post(reverse("login"), {"username": "school", "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_the_session_cookie_ends_with_the_browser(db, client):
    cookie = _sign_in(client).cookies["sessionid"]
    assert not cookie["expires"]
    assert not cookie["max-age"]


def test_the_session_ends_after_the_idle_time(db, client, settings):
    _sign_in(client)
    session = Session.objects.get()
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert timedelta(minutes=30) <= idle <= timedelta(minutes=60)
    assert abs(session.expire_date - (timezone.now() + idle)) < timedelta(minutes=1)

    # Idle for longer than that: the next request asks to sign in again.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _age_renewal(client, seconds: int) -> None:
    """Pretend the session was last renewed ``seconds`` ago, expiring a minute from now."""
    session = client.session
    session[SlidingSession.KEY] = int(time.time()) - seconds
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))


def test_a_request_extends_the_session(db, client):
    _sign_in(client)
    _age_renewal(client, SlidingSession.RENEW_AFTER + 1)
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=30)


def test_the_session_is_written_at_most_once_a_minute(db, client):
    """Renewing on every request made every page a write (one at a time on SQLite)."""
    _sign_in(client)
    _age_renewal(client, 5)
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get().expire_date < timezone.now() + timedelta(minutes=2)
