"""Whether the links a school gives open: a network check, run by ``monitoring.tasks`` after
the answer is saved, never inside a request.

Example: ``check_link("https://school.example/vpr")`` gives ``("ok", "открывается (ответ
200)")``, or ``("unchecked", "не проверено: нет сети")`` on a machine without a network.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

LINK_OK, LINK_BROKEN, LINK_UNCHECKED = "ok", "broken", "unchecked"
# Saved, waiting for the background check (``monitoring.tasks.check_answer_links``).
LINK_PENDING = "pending"
PENDING_NOTE = "проверяется…"


NO_NETWORK = "не проверено: нет сети"


LINK_TIMEOUT_S = 2.0


LINK_BUDGET_S = 60.0  # a task may take its time; what is left over stays «не проверено»


_network_probe: dict[str, float | bool] = {}


def carry_over(urls: list[str], previous: list[dict]) -> list[dict]:
    """Each address with what is already known of it, without a network request: an earlier
    result is kept; a new address, or one not checked before, waits for the check.

    Example: ``carry_over(["https://a.example"], [])`` gives
    ``[{"url": "https://a.example", "status": "pending", "note": "проверяется…"}]``.
    """
    known = {link.get("url"): link for link in previous if link.get("url")}
    result = []
    for url in urls:
        link = known.get(url)
        if link and link.get("status") not in (LINK_UNCHECKED, LINK_PENDING):
            result.append(link)
        else:
            result.append({"url": url, "status": LINK_PENDING, "note": PENDING_NOTE})
    return result


def pending(details: dict | None) -> bool:
    """Whether the details of an answer have links waiting for the check."""
    return any(link.get("status") == LINK_PENDING for link in (details or {}).get("links") or [])


def check_links(urls: list[str], previous: list[dict], budget: float = LINK_BUDGET_S) -> list[dict]:
    """Each address with its check: an earlier result is reused, new ones are checked within
    a total budget; what is left over is recorded as not checked."""
    known = {link.get("url"): link for link in previous if link.get("url")}
    started = time.monotonic()
    result = []
    for url in urls:
        if url in known and known[url].get("status") not in (LINK_UNCHECKED, LINK_PENDING):
            result.append(known[url])
            continue
        if time.monotonic() - started > budget:
            status, note = LINK_UNCHECKED, "не проверено: не хватило времени, сохраните ещё раз"
        else:
            status, note = check_link(url)
        result.append(
            {"url": url, "status": status, "note": note, "checked_at": timezone.now().isoformat()}
        )
    return result


def check_link(url: str, timeout: float = LINK_TIMEOUT_S) -> tuple[str, str]:
    """Whether ``url`` opens: ('ok' | 'broken' | 'unchecked', a note in Russian).

    Only public http(s) addresses are requested (never the server's own network), with a
    short timeout and without following redirects: a redirect counts as a working link.
    Without a network the link is recorded «не проверено: нет сети» and nothing fails.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return LINK_BROKEN, "ссылка без адреса сайта"
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, parts.port or None)}
    except (socket.gaierror, UnicodeError, OSError):
        if not _network_available():
            return LINK_UNCHECKED, NO_NETWORK
        return LINK_BROKEN, "сайт не найден"
    # Tests check against a server of their own on 127.0.0.1; a deployment never sets this.
    internal_allowed = getattr(settings, "OPORA_LINK_CHECK_INTERNAL", False)
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global and not internal_allowed:
            return LINK_UNCHECKED, "не проверено: адрес во внутренней сети"
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "Opora/1.0"})
    try:
        with opener.open(request, timeout=timeout) as response:
            return LINK_OK, f"открывается (ответ {response.status})"
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            return LINK_OK, f"открывается (перенаправление, ответ {exc.code})"
        if exc.code in (403, 405, 501):  # some sites refuse HEAD but serve the page
            return LINK_UNCHECKED, f"не проверено: сайт отвечает {exc.code}"
        return LINK_BROKEN, f"не открывается (ответ {exc.code})"
    except TimeoutError:
        return LINK_UNCHECKED, f"не проверено: сайт не ответил за {timeout:g} с"
    except (urllib.error.URLError, OSError, ValueError):
        if not _network_available():
            return LINK_UNCHECKED, NO_NETWORK
        return LINK_BROKEN, "не открывается"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _network_available() -> bool:
    """Whether names resolve at all (a well-known host, remembered for five minutes)."""
    now = time.monotonic()
    if now - float(_network_probe.get("at", -1e9)) < 300:
        return bool(_network_probe["ok"])
    host = getattr(settings, "OPORA_LINK_PROBE_HOST", "gosuslugi.ru")
    try:
        socket.getaddrinfo(host, 443)
        ok = True
    except OSError:
        ok = False
    _network_probe.update(at=now, ok=ok)
    return ok
