"""Pages of interview protocols (the tracker of their recommendations is in
``recommendations.views``). Thin: parse, call a selector, a service or a document, render."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opora.accounts.access_log import record_access
from opora.accounts.guards import require
from opora.core import pending
from opora.core.history import history_entries
from opora.core.intake.files import UploadError, read_bytes
from opora.core.once import submit_once
from opora.core.russian.dates import date_line, row_date
from opora.core.views import fail
from opora.documents import services as document_services
from opora.documents.render import render_requisites
from opora.interviews import selectors as interview_selectors
from opora.interviews import services as svc
from opora.interviews.forms import (
    ImportConfirmForm,
    InterviewForm,
    ProtocolForm,
    ProtocolUploadForm,
    RecommendationAddForm,
)
from opora.interviews.importing import apply_protocol_import, plan_protocol_import
from opora.interviews.readers import protocol_file
from opora.interviews.readers.protocol import ProtocolFileError
from opora.recommendations import selectors as recommendation_selectors
from opora.registry.models import Municipality

_IMPORT_KEY = "interview_protocol_import"


PAGE_SIZE = 100


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _protocol_or_404(user, pk):
    protocol = interview_selectors.protocol_for(user, pk)
    if protocol is None:
        raise Http404("Протокол не найден или недоступен.")
    return protocol


def protocol_list(request):
    user = request.user
    require(user, "interviews.view_interviews")
    return render(
        request,
        "interviews/protocol_list.html",
        {
            "protocols": list(interview_selectors.protocol_list(user)),
            "can_add": user.has_perm("interviews.add_interviewprotocol"),
            "overdue": recommendation_selectors.overdue_widget(user),
        },
    )


def _import_page(request, form, preview=None, error=None, confirm_form=None, chosen=None):
    municipalities = list(Municipality.objects.order_by("name")) if preview else []
    chosen = chosen or {}
    rows = [
        (b, chosen.get(b.index, b.municipality.pk if b.municipality else None))
        for b in (preview.blocks if preview else [])
    ]
    return render(
        request,
        "interviews/protocol_import.html",
        {
            "form": form,
            "preview": preview,
            "error": error,
            "confirm_form": confirm_form,
            "municipalities": municipalities,
            "rows": rows,
        },
    )


def protocol_import(request):
    user = request.user
    require(user, "interviews.add_interviewprotocol")
    form = ProtocolUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, form)
    upload = form.cleaned_data["file"]
    try:
        data = read_bytes(upload)
        file = protocol_file.read_protocol_file(data)
    except (UploadError, ProtocolFileError) as exc:
        pending.discard(request, _IMPORT_KEY)
        return _import_page(request, form, error=str(exc))
    preview = plan_protocol_import(file, Municipality.objects.all())
    pending.stash(request, _IMPORT_KEY, data, name=upload.name)
    confirm = ImportConfirmForm(initial={"revision_due": file.cover.revision_due})
    return _import_page(request, ProtocolUploadForm(), preview, confirm_form=confirm)


def _chosen_municipalities(request, preview) -> tuple[list, dict]:
    """The registry municipality of every block as chosen in the preview's selects."""
    by_pk = {m.pk: m for m in Municipality.objects.all()}
    chosen, values = [], {}
    for block in preview.blocks:
        raw = request.POST.get(f"municipality_{block.index}", "")
        municipality = by_pk.get(int(raw)) if raw.isdigit() else None
        chosen.append(municipality)
        values[block.index] = municipality.pk if municipality else None
    return chosen, values


@submit_once
@require_POST
def protocol_import_confirm(request):
    user = request.user
    require(user, "interviews.add_interviewprotocol")
    stashed = pending.take(request, _IMPORT_KEY)
    if stashed is None:
        messages.error(request, "Файл для сохранения не найден — загрузите его ещё раз.")
        return redirect("interviews:protocol_import")
    data, meta = stashed
    try:
        file = protocol_file.read_protocol_file(data)
    except ProtocolFileError as exc:
        messages.error(request, f"Протокол не сохранён, ничего не записано: {exc}")
        return redirect("interviews:protocol_import")
    preview = plan_protocol_import(file, Municipality.objects.all())
    confirm = ImportConfirmForm(request.POST)
    chosen, values = _chosen_municipalities(request, preview)
    error = None
    if not confirm.is_valid():
        error = "Проверьте срок исполнения рекомендаций."
    else:
        try:
            protocol = apply_protocol_import(
                user,
                preview,
                municipalities=chosen,
                revision_due=confirm.cleaned_data["revision_due"],
                source_name=meta.get("name", ""),
            )
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            messages.success(
                request,
                f"Протокол сохранён: муниципалитетов — {len(preview.blocks)}, "
                f"рекомендаций — {preview.recommendation_count}.",
            )
            return redirect("interviews:protocol_detail", protocol.pk)
    # Nothing saved: the file waits for the corrected choice.
    pending.stash(request, _IMPORT_KEY, data, **meta)
    return _import_page(
        request,
        ProtocolUploadForm(),
        preview,
        error=f"Протокол не сохранён: {error}",
        confirm_form=confirm,
        chosen=values,
    )


@submit_once
def protocol_create(request):
    user = request.user
    require(user, "interviews.add_interviewprotocol")
    form = ProtocolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            protocol = svc.create_protocol(user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Протокол создан. Добавьте муниципалитеты и рекомендации.")
            return redirect("interviews:protocol_detail", protocol.pk)
    return render(request, "interviews/protocol_form.html", {"form": form})


def protocol_detail(request, pk):
    user = request.user
    protocol = _protocol_or_404(user, pk)
    interviews = (
        interview_selectors.interviews_for(user)
        .filter(protocol=protocol)
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=recommendation_selectors.recommendation_list(user).prefetch_related(None),
            )
        )
        .order_by("date", "order", "pk")
    )
    by_date: OrderedDict = OrderedDict()
    for interview in interviews:
        by_date.setdefault(row_date(interview.date), []).append(interview)
    all_dates = sorted(set(protocol.interviews.values_list("date", flat=True)))
    return render(
        request,
        "interviews/protocol_detail.html",
        {
            "protocol": protocol,
            "by_date": by_date,
            "date_line": date_line(all_dates),
            "assignments": list(protocol.assignments.select_related("organisation")),
            "can_change": user.has_perm("interviews.change_interviewprotocol", protocol),
            "whole": user.has_perm("interviews.view_whole_interviewprotocol", protocol),
            "documents": list(document_services.documents_of(user, protocol)),
            "draft_url": reverse("interviews:protocol_document", args=[protocol.pk])
            if user.has_perm("interviews.change_interviewprotocol", protocol)
            else "",
            "letter_url": reverse("interviews:protocol_letter", args=[protocol.pk])
            if user.has_perm("interviews.change_interviewprotocol", protocol)
            else "",
            "history": history_entries(protocol.history.all(), limit=10),
        },
    )


@require_POST
@submit_once
def protocol_document(request, pk):
    """Prepare the protocol: open its draft, or build one from the interviews now."""
    protocol = _protocol_or_404(request.user, pk)
    document, created = svc.draft_protocol(request.user, protocol)
    if created:
        messages.success(
            request,
            "Проект протокола готов: проверьте текст, поправьте его и зафиксируйте с номером "
            "и датой.",
        )
    return redirect("documents:detail", document.pk)


def protocol_excerpt(request, pk):
    """«Выписка из протокола»: the rows of a user who sees only some of its municipalities
    (who sees them all works with the protocol's document itself)."""
    user = request.user
    protocol = _protocol_or_404(user, pk)
    if user.has_perm("interviews.view_whole_interviewprotocol", protocol):
        return redirect("interviews:protocol_detail", protocol.pk)
    record_access(user, "Выписка из протокола собеседований", protocol)
    content = render_requisites(interview_selectors.protocol_excerpt(user, protocol))
    response = HttpResponse(content, content_type=DOCX)
    day = min(protocol.interviews.values_list("date", flat=True), default=None)
    name = f"excerpt_{day:%Y-%m-%d}.docx" if day else f"excerpt_{protocol.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@submit_once
def interview_add(request, pk):
    """Add a municipality's interview to a protocol (by hand)."""
    user = request.user
    protocol = _protocol_or_404(user, pk)
    require(user, "interviews.change_interviewprotocol", protocol)
    form = InterviewForm(
        request.POST or None,
        municipalities=Municipality.objects.order_by("name"),
        initial={"day": protocol.document_date},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            interview = svc.add_interview(
                user,
                protocol,
                municipality=d["municipality"],
                day=d["day"],
                participants=d["participants"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Добавлено собеседование: {interview.municipality}.")
            return redirect("interviews:interview_add_recommendation", interview.pk)
    return render(request, "interviews/interview_form.html", {"form": form, "protocol": protocol})


@submit_once
def interview_add_recommendation(request, pk):
    """Give an interviewed municipality a recommendation: from the catalogue or typed."""
    user = request.user
    interview = (
        interview_selectors.interviews_for(user)
        .select_related("protocol", "municipality")
        .filter(pk=pk)
        .first()
    )
    if interview is None:
        raise Http404
    require(user, "interviews.change_interviewprotocol", interview.protocol)
    form = RecommendationAddForm(
        request.POST or None,
        templates=recommendation_selectors.catalogue(user),
        initial={"due_date": interview.protocol.revision_due},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            recommendation = svc.add_recommendation(
                user, interview, text=d["text"], template=d["template"], due_date=d["due_date"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Рекомендация добавлена: «{recommendation.text}».")
            if "another" in request.POST:
                return redirect("interviews:interview_add_recommendation", interview.pk)
            return redirect("interviews:protocol_detail", interview.protocol_id)
    given = list(interview.recommendations.order_by("order", "pk"))
    return render(
        request,
        "interviews/recommendation_add.html",
        {"form": form, "interview": interview, "given": given},
    )


@require_POST
@submit_once
def protocol_letter(request, pk):
    """The cover letter sending the protocol to the municipalities (seed 000)."""
    protocol = _protocol_or_404(request.user, pk)
    try:
        document, created = svc.draft_cover_letter(request.user, protocol)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("interviews:protocol_detail", protocol.pk)
    if created:
        messages.success(request, "Проект сопроводительного письма готов: проверьте текст.")
    return redirect("documents:detail", document.pk)


@require_POST
@submit_once
def interview_excerpt(request, pk):
    """The excerpt of the protocol for one municipality, certified «Верно»."""
    interview = (
        interview_selectors.interviews_for(request.user)
        .select_related("protocol", "municipality")
        .filter(pk=pk)
        .first()
    )
    if interview is None:
        raise Http404("Собеседование не найдено или недоступно.")
    try:
        document, created = svc.draft_certified_excerpt(request.user, interview)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("interviews:protocol_detail", interview.protocol_id)
    if created:
        messages.success(request, "Проект выписки из протокола готов: проверьте текст.")
    return redirect("documents:detail", document.pk)
