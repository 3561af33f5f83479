"""The address a request came from, as the trusted reverse proxies saw it.

``X-Forwarded-For`` is written by the client first and by each proxy after it: only the
entries appended by our own proxies can be believed. With ``OPORA_TRUSTED_PROXIES = N`` the
client is the N-th entry from the right (nginx in front of gunicorn: N = 1); with 0 there is
no proxy and the header, whoever wrote it, is ignored.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address: ``REMOTE_ADDR`` or the trusted entry of ``X-Forwarded-For``."""
    remote = _valid(request.META.get("REMOTE_ADDR"))
    trusted = getattr(settings, "OPORA_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    # A shorter chain than the proxies we trust: the furthest one recorded is the client.
    return _valid(hops[-min(trusted, len(hops))]) or remote


def _valid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
