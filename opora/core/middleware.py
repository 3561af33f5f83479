"""Responses every page gets: Russian error pages Django renders without a template, and no
copies of personal data left in the browser's or a proxy's cache.
"""

from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.cache import patch_cache_control


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
