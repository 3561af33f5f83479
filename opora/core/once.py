"""A creation form is sent once: a second identical POST (a double click, a reload of the
answer) creates nothing and leads to what the first one made.

The form carries a random token (``{% submit_once %}``, see ``templatetags/once.py``). The
first request with a token claims it by creating a file under ``DATA_DIR/once/`` with
``O_EXCL`` — atomic across the server's worker processes, like the import previews that wait
in ``DATA_DIR`` already — and, when it answers with a redirect, writes where to. A second
request with the same token waits a few seconds for that address and goes there with a
message; the form itself is not processed again. A form shown again with errors releases its
token, so the corrected form can be sent.

The button is also disabled after the click (``static/js/opora.js``); this is the server's
guard for the cases the browser does not stop (Enter pressed twice, a slow page, no script).
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

FIELD = "submit_once"
ALREADY_SENT = (
    "Эта форма уже отправлена: повторное нажатие ничего не создало. "
    "Показан результат первой отправки."
)
STILL_SAVING = (
    "Эта форма уже отправлена и ещё сохраняется: повторное нажатие ничего не создало. "
    "Обновите страницу через несколько секунд."
)
#: How long a second request waits for the first one to answer.
WAIT_SECONDS = 5.0
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_KEEP_DAYS = 2


def new_token() -> str:
    return secrets.token_urlsafe(18)


def _root() -> Path:
    return Path(settings.DATA_DIR) / "once"


def _path(token: str, day: date) -> Path:
    return _root() / day.isoformat() / token


def _sweep(today: date) -> None:
    """Tokens live two days: a double click is a matter of seconds."""
    oldest = (today - timedelta(days=_KEEP_DAYS)).isoformat()
    for folder in _root().iterdir():
        if folder.is_dir() and folder.name < oldest:
            for file in folder.iterdir():
                file.unlink(missing_ok=True)
            folder.rmdir()


def claim(token: str) -> bool:
    """True for the first request with ``token``; False when it was sent already."""
    today = date.today()
    yesterday = _path(token, today - timedelta(days=1))
    if yesterday.exists():
        return False
    path = _path(token, today)
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep(today)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True


def _existing(token: str) -> Path | None:
    today = date.today()
    for day in (today, today - timedelta(days=1)):
        path = _path(token, day)
        if path.exists():
            return path
    return None


def finish(token: str, location: str) -> None:
    """Remember where the first request led (a second one goes there too)."""
    path = _existing(token)
    if path is not None:
        path.write_text(location, encoding="utf-8")


def release(token: str) -> None:
    path = _existing(token)
    if path is not None:
        path.unlink(missing_ok=True)


def first_answer(token: str, wait: float = WAIT_SECONDS) -> str:
    """Where the first request with ``token`` led; "" if it has not answered in time."""
    deadline = time.monotonic() + wait
    while True:
        path = _existing(token)
        location = path.read_text(encoding="utf-8") if path is not None else ""
        if location or time.monotonic() >= deadline:
            return location
        time.sleep(0.1)


def submit_once(view):
    """Process a creation form once per token (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.match(token):
            return view(request, *args, **kwargs)
        if not claim(token):
            location = first_answer(token)
            if location:
                messages.info(request, ALREADY_SENT)
                return redirect(location)
            messages.warning(request, STILL_SAVING)
            back = request.headers.get("referer", "")
            safe = url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            return redirect(back if safe and back else "home")
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            release(token)
            raise
        if 300 <= response.status_code < 400 and response.get("Location"):
            finish(token, response["Location"])
        else:  # the form is shown again (with its errors): it may be sent once more
            release(token)
        return response

    return wrapper
