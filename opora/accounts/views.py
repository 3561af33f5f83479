from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from opora.accounts.access_log import access_records_for, can_read_access_log, kinds_of_access
from opora.accounts.forms import AccessLogFilterForm

PAGE_SIZE = 100


def access_log(request):
    if not can_read_access_log(request.user):
        raise PermissionDenied("Журнал просмотра персональных данных доступен только региону.")
    form = AccessLogFilterForm(request.GET or None, kinds=kinds_of_access())
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    page = Paginator(access_records_for(request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/access_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
