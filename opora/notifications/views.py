"""The user's own notifications: the list, opening one (marks it read), the digest choice."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from opora.core.views import fail
from opora.notifications import selectors, services
from opora.notifications.models import DigestFrequency


def notification_list(request):
    user = request.user
    page = Paginator(selectors.notifications_for(user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread": selectors.unread_count(user),
            "digest": selectors.digest_of(user),
            "frequencies": DigestFrequency.choices,
        },
    )


@require_POST
def notification_open(request, pk):
    """Mark the notification read and go where it points."""
    notification = selectors.notifications_for(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.mark_read(request.user, notification.pk)
    url = notification.url
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(url)


@require_POST
def mark_all_read(request):
    n = services.mark_read(request.user)
    if n:
        messages.success(request, "Все уведомления отмечены прочитанными.")
    return redirect("notifications:list")


@require_POST
def digest(request):
    try:
        preference = services.set_digest(request.user, request.POST.get("digest", ""))
    except ValidationError as exc:
        fail(request, exc)
    else:
        messages.success(request, f"Письмо-сводка: {preference.get_digest_display()}.")
    return redirect("notifications:list")
