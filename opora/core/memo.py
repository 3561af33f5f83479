"""What one request computes once: a memo that lives as long as the request.

The menu's badges, the home page and «Ждут меня» each ask for the user's inbox; counted three
times, it was a third of the home page's time (bench/pages.py). ``per_request(key, compute)``
returns the value computed first in this request. Outside a request (a task, a command, a
test calling a selector) nothing is kept: every call computes afresh, so a value is never
read after a write it predates in another unit of work.

``RequestMemo`` (core.middleware) opens the memo when a request starts and drops it when the
response leaves; a write inside the request that changes a memoised value calls ``forget()``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("opora_request_memo", default=None)


def per_request[T](key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def known(key: Hashable):
    """What this request has memoised under ``key``, or None (nothing, or outside a request)."""
    memo = _memo.get()
    return None if memo is None else memo.get(key)


def forget() -> None:
    """Drop what this request has memoised (after a write that changes it)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def opened():
    """Open a memo for the current request; returns the token to ``close`` it with."""
    return _memo.set({})


def close(token) -> None:
    _memo.reset(token)
