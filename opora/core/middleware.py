"""Responses every page gets: Russian error pages Django renders without a template, and no
copies of personal data left in the browser's or a proxy's cache.
"""

from django.http import HttpResponseNotAllowed
from django.shortcuts import render


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
