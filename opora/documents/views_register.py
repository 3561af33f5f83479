"""The register of documents: every generated document the user may see, searched and filtered."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from opora.core.forms import StyledFormMixin
from opora.documents import selectors
from opora.documents.models import DocumentKind

PER_PAGE = 50


class RegisterForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label="Заголовок или текст", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Вид", required=False, choices=[("", "все виды"), *DocumentKind.choices]
    )
    organisation = forms.CharField(label="Организация", required=False, max_length=200)
    number = forms.CharField(label="Номер", required=False, max_length=50)
    date_from = forms.DateField(
        label="Дата с",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label="по",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    state = forms.ChoiceField(
        label="Состояние",
        required=False,
        choices=[("", "все"), ("fixed", "зарегистрированные"), ("draft", "проекты")],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "Конец периода раньше его начала.")
        return data


def register(request):
    form = RegisterForm(request.GET or None)
    f = selectors.RegisterFilter()
    if form.is_valid():
        f = selectors.RegisterFilter(
            **{k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
        )
    documents = selectors.register(request.user, f)
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/register.html",
        {
            "form": form,
            "page": page,
            "total": len(documents),
            "query": query.urlencode(),
            "filtered": bool(request.GET.keys() - {"page"}),
        },
    )
