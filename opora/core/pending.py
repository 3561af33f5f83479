"""The import-preview pattern: a file is checked and shown, then applied on confirmation.

Between the two requests the file waits on disk under a random token kept in the session
(never in the session itself: files can be 20 MB).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings


def _dir() -> Path:
    path = Path(settings.DATA_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stash(request, key: str, data: bytes, **meta) -> None:
    """Keep ``data`` for the user's confirmation; a new stash replaces the previous one."""
    discard(request, key)
    token = uuid.uuid4().hex
    (_dir() / f"{token}.bin").write_bytes(data)
    request.session[key] = {"token": token, **meta}


def take(request, key: str) -> tuple[bytes, dict] | None:
    """The stashed file and its metadata, removed from the stash; None when nothing waits."""
    pending = request.session.pop(key, None)
    if not pending:
        return None
    path = _dir() / f"{pending.pop('token')}.bin"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    path.unlink(missing_ok=True)
    return data, pending


def discard(request, key: str) -> None:
    pending = request.session.pop(key, None)
    if pending:
        (_dir() / f"{pending['token']}.bin").unlink(missing_ok=True)
