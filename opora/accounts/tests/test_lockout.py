"""The sign-in lockout behind a reverse proxy: a user name is locked only for the address its
failures came from, an address trying many user names is locked as a whole, and the address
is the one the trusted proxy saw, not one the client wrote into the header. Issue 9.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from opora.accounts.addresses import client_address
from opora.testing import PASSWORD
from opora.testing.factories import UserFactory

PROXY = "127.0.0.1"
ATTACKER = "203.0.113.7"
SCHOOL_NAT = "198.51.100.20"


@pytest.fixture
def axes(settings):
    settings.AXES_ENABLED = True
    settings.OPORA_TRUSTED_PROXIES = 1
    settings.AXES_FAILURE_LIMIT = 5
    settings.OPORA_LOGIN_FAILURES_PER_ADDRESS = 12


def _login(client, username, password, address, spoofed=""):
    """A POST that came through nginx: it appended the address it saw to X-Forwarded-For."""
    forwarded = f"{spoofed}, {address}" if spoofed else address
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def _signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(db, client, axes):
    UserFactory(username="region")
    for attempt in range(5):
        _login(client, "region", f"wrong-{attempt}", ATTACKER)
    locked = _login(client, "region", PASSWORD, ATTACKER)
    assert locked.status_code == 429
    assert "Слишком много неудачных попыток входа с этого адреса" in locked.content.decode()

    assert _signed_in(_login(client, "region", PASSWORD, SCHOOL_NAT))


def test_one_address_trying_many_user_names_is_limited(db, client, axes):
    UserFactory(username="admin")
    for n in range(12):  # never the same user name twice: no pair reaches its limit
        response = _login(client, f"guess-{n}", "wrong", ATTACKER)
    assert response.status_code == 429
    refused = _login(client, "admin", PASSWORD, ATTACKER)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # The rest of the region is not affected.
    assert _signed_in(_login(client, "admin", PASSWORD, SCHOOL_NAT))


def test_a_success_from_the_address_does_not_reset_its_count_of_other_names(db, client, axes):
    UserFactory(username="attacker")
    UserFactory(username="admin")
    for n in range(11):
        _login(client, f"guess-{n}", "wrong", ATTACKER)
    assert _signed_in(_login(client, "attacker", PASSWORD, ATTACKER))
    client.logout()
    assert _login(client, "guess-99", "wrong", ATTACKER).status_code == 429


def test_a_forged_forwarded_header_does_not_change_the_counted_address(db, client, axes):
    UserFactory(username="region")
    for attempt in range(5):
        # The attacker writes a new address into the header each time; nginx appends the real one.
        _login(client, "region", f"wrong-{attempt}", ATTACKER, spoofed=f"10.0.0.{attempt}")
    assert _login(client, "region", PASSWORD, ATTACKER, spoofed="10.0.0.99").status_code == 429


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "127.0.0.1"),  # no proxy: the header is the client's own words
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "10.9.9.9, 203.0.113.7", "203.0.113.7"),
        (2, "10.9.9.9, 203.0.113.7, 192.168.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # a shorter chain: the furthest recorded hop
        (1, "не адрес", "127.0.0.1"),
        (1, "", "127.0.0.1"),
    ],
)
def test_the_client_address_is_taken_from_the_trusted_proxies(
    settings, trusted, forwarded, expected
):
    settings.OPORA_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
