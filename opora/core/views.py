"""Views and view helpers shared by every app: the error pages, the error message of a refusal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render


def fail(request, exc: Exception) -> None:
    """Show a service's refusal (ValidationError, PermissionDenied, a parser's error) as a message."""
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


@login_not_required
def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def server_error(request):
    return render(request, "errors/500.html", status=500)


@login_not_required
def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)
