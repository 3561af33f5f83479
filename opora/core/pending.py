"""The import-preview pattern: a file is checked and shown, then applied on confirmation.

Between the two requests the file waits on disk under a random token kept in the session
(never in the session itself: files can be 20 MB). A stash is removed when it is applied or
cancelled, and one left waiting longer than :data:`MAX_AGE` (the user closed the tab) is
purged whenever a new file is stashed.
"""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

from django.conf import settings

#: A preview is confirmed within minutes; a day later the copy is only a leak of personal data.
MAX_AGE = 24 * 60 * 60

_TOKEN_RE = re.compile(r"[0-9a-f]{32}")


def _dir() -> Path:
    path = Path(settings.DATA_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(token: str) -> Path:
    """Where the stashed file of ``token`` lies (a token is never a path of its own)."""
    if not _TOKEN_RE.fullmatch(token or ""):
        raise ValueError("not a stash token")
    return _dir() / f"{token}.bin"


def stash(request, key: str, data: bytes, **meta) -> None:
    """Keep ``data`` for the user's confirmation; a new stash replaces the previous one."""
    discard(request, key)
    purge_expired()
    token = uuid.uuid4().hex
    path_of(token).write_bytes(data)
    request.session[key] = {"token": token, **meta}


def peek(request, key: str) -> dict | None:
    """The metadata (with the token) of what waits under ``key``, left in place; None when
    nothing waits or its file is gone."""
    pending = request.session.get(key)
    if not pending or not path_of(pending["token"]).exists():
        return None
    return dict(pending)


def read(token: str) -> bytes | None:
    try:
        return path_of(token).read_bytes()
    except (OSError, ValueError):
        return None


def remove(token: str) -> None:
    path_of(token).unlink(missing_ok=True)


def take(request, key: str) -> tuple[bytes, dict] | None:
    """The stashed file and its metadata, removed from the stash; None when nothing waits."""
    pending = request.session.pop(key, None)
    if not pending:
        return None
    token = pending.pop("token")
    data = read(token)
    remove(token)
    if data is None:
        return None
    return data, pending


def discard(request, key: str) -> None:
    """Forget what waits under ``key`` and delete its file (a cancel, or a new upload)."""
    pending = request.session.pop(key, None)
    if pending:
        remove(pending["token"])


def purge_expired(max_age: float = MAX_AGE) -> int:
    """Delete stashed files older than ``max_age`` seconds; how many were deleted."""
    limit = time.time() - max_age
    purged = 0
    for path in _dir().glob("*.bin"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                purged += 1
        except OSError:
            continue  # removed meanwhile by its own request
    return purged
