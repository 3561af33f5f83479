"""Document pages: the preview, the edit form, fixing with a number and date, the download."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opora.accounts.access_log import record_access
from opora.core.forms import StyledFormMixin
from opora.core.history import history_entries
from opora.core.ids import MAX_ID
from opora.documents import services
from opora.documents.models import Document
from opora.documents.render import KIND_HEADINGS
from opora.documents.text import body_blocks, signatures


class DocumentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "kind", "organisation", "place", "title", "body", "signer", "executor", "landscape",
        ]  # fmt: skip
        widgets = {
            "organisation": forms.Textarea(attrs={"rows": 2}),
            "title": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 24}),
            "signer": forms.Textarea(attrs={"rows": 2}),
            "executor": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "body": "Каждая строка — абзац. «ПРИКАЗЫВАЮ:» — отдельной строкой; «## Заголовок» — "
            "заголовок части по центру; «**Решение:**» — строка жирным; строки, начинающиеся "
            "с «|», — таблица (первая строка — шапка, строка из одной ячейки — заголовок группы; "
            "строка с «+» добавляет строку в последнюю ячейку); «[диаграмма] Подпись» перед "
            "таблицей «| название | 80 % | примечание |» — диаграмма.",
            "signer": "Должность на первой строке, инициалы и фамилия — на второй; несколько "
            "подписей — через пустую строку.",
            "organisation": "Каждая строка шапки — с новой строки.",
        }


class FixForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label="номер", max_length=50)
    date = forms.DateField(
        label="дата", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _document_or_404(user, pk: int) -> Document:
    document = services.document_for(user, pk) if pk <= MAX_ID else None
    if document is None:
        raise Http404("Документ не найден или недоступен.")
    return document


def _source_link(document: Document) -> tuple[str, str] | None:
    """Where the document came from, for the breadcrumb: the source's own page."""
    source = document.source
    if source is None:
        return None
    url = source.get_absolute_url() if hasattr(source, "get_absolute_url") else ""
    return str(source), url


def document_detail(request, pk: int):
    user = request.user
    document = _document_or_404(user, pk)
    can_edit = services.can_edit(user, document) and not document.is_fixed
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "heading": KIND_HEADINGS.get(document.kind, document.get_kind_display().upper()),
            "organisation_lines": [
                line.strip() for line in document.organisation.splitlines() if line.strip()
            ],
            "blocks": body_blocks(document.body),
            "signatures": signatures(document.signer),
            "can_edit": can_edit,
            "fix_form": FixForm() if can_edit else None,
            "source": _source_link(document),
            "history": history_entries(document.history.all()),
        },
    )


def document_edit(request, pk: int):
    user = request.user
    document = _document_or_404(user, pk)
    if not services.can_edit(user, document):
        raise PermissionDenied
    if document.is_fixed:
        messages.error(request, "Документ зафиксирован и больше не меняется.")
        return redirect("documents:detail", document.pk)
    form = DocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in DocumentForm.Meta.fields}
        try:
            services.update_draft(user, Document.objects.get(pk=document.pk), **fields)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, "Текст документа сохранён.")
            return redirect("documents:detail", document.pk)
    return render(request, "documents/edit.html", {"document": document, "form": form})


@require_POST
def document_fix(request, pk: int):
    user = request.user
    document = _document_or_404(user, pk)
    if not services.can_edit(user, document):
        raise PermissionDenied
    form = FixForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите номер и дату документа.")
        return redirect("documents:detail", document.pk)
    try:
        document = services.fix_document(
            user, document, number=form.cleaned_data["number"], day=form.cleaned_data["date"]
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Документ зафиксирован: № {document.number} от {document.date:%d.%m.%Y}. "
            "Текст больше не меняется.",
        )
    return redirect("documents:detail", document.pk)


@require_POST
def document_delete(request, pk: int):
    user = request.user
    document = _document_or_404(user, pk)
    back = _source_link(document)
    try:
        services.delete_draft(user, document)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("documents:detail", document.pk)
    messages.success(request, "Проект документа удалён.")
    return redirect(back[1] if back and back[1] else "home")


def document_download(request, pk: int):
    document = _document_or_404(request.user, pk)
    record_access(request.user, "Скачивание документа", document)
    response = HttpResponse(
        services.docx_bytes(document),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = services.file_name(document)
    response["Content-Disposition"] = (
        f"attachment; filename=\"document-{document.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response
