"""Responses every page gets: Russian error pages Django renders without a template, and no
copies of personal data left in the browser's or a proxy's cache.
"""

import time

from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from opora.core import memo


class MethodNotAllowedPage:
    """A Russian page for 405: ``require_POST`` and class-based views answer with an empty body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            page = render(request, "errors/405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response


class NoStoreForSignedIn:
    """``Cache-Control: no-store`` on every page a signed-in user gets and on every download.

    Pages of the registry, reports and results carry names and personal data; on a shared
    school computer the browser's back button or disk cache must not show them to the next
    person, nor may a proxy keep them. Static assets are served before this (whitenoise)
    and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.has_header("Content-Disposition"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class RequestMemo:
    """Opens the request's memo (core.memo) for the view and the template, and drops it after."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = memo.opened()
        try:
            return self.get_response(request)
        finally:
            memo.close(token)


class SlidingSession:
    """The idle timeout of a session, renewed at most once a minute instead of on every request.

    A session ends after ``SESSION_COOKIE_AGE`` without a request (school computers are
    shared). Saving it on every request made every page a write to the sessions table, one at a
    time on SQLite under gunicorn (bench/load.py); renewing it when the last renewal is over a
    minute old keeps the same idle timeout, give or take that minute, with one write a minute.
    """

    RENEW_AFTER = 60  # seconds
    KEY = "_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def signed_in(cls, sender, request, user, **kwargs) -> None:
        if request is not None and hasattr(request, "session"):
            request.session[cls.KEY] = int(time.time())

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.RENEW_AFTER:
                session[self.KEY] = now  # a modified session is saved with a new expiry
        return response
