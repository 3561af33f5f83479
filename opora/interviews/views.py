"""Pages of interview protocols and the recommendation tracker. Thin: parse, call a selector
or a service of ``opora.reviews.interviews``, render."""

from __future__ import annotations

import re
from collections import OrderedDict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opora.accounts.models import Role
from opora.core import pending
from opora.core.history import history_entries
from opora.core.uploads import UploadError, read_bytes
from opora.registry.models import Municipality
from opora.reviews import interviews as svc
from opora.reviews.forms_interviews import (
    ImportConfirmForm,
    InterviewForm,
    LinkEventForm,
    ProtocolForm,
    ProtocolUploadForm,
    RecommendationAddForm,
    TrackerFilterForm,
    TrackForm,
)
from opora.reviews.models import Recommendation, RecommendationStatus
from opora.reviews.protocol_reader import ProtocolFileError
from opora.roadmaps.models import RoadmapEvent

_IMPORT_KEY = "interview_protocol_import"
PAGE_SIZE = 100
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _fail(request, exc) -> None:
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


def _protocol_or_404(user, pk):
    protocol = svc.protocol_for(user, pk)
    if protocol is None:
        raise Http404("Протокол не найден или недоступен.")
    return protocol


def _recommendation_or_404(user, pk) -> Recommendation:
    recommendation = svc.recommendation_for(user, pk)
    if recommendation is None:
        raise Http404("Рекомендация не найдена или недоступна.")
    return recommendation


# ---------------------------------------------------------------- protocols


def protocol_list(request):
    user = request.user
    _require(user, "reviews.view_interviews")
    return render(
        request,
        "reviews/interviews/protocol_list.html",
        {
            "protocols": list(svc.protocol_list(user)),
            "can_add": user.has_perm("reviews.add_interviewprotocol"),
            "overdue": svc.overdue_widget(user),
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
        "reviews/interviews/protocol_import.html",
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
    _require(user, "reviews.add_interviewprotocol")
    form = ProtocolUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, form)
    upload = form.cleaned_data["file"]
    try:
        data = read_bytes(upload)
        file = svc.read_protocol_file(data)
    except (UploadError, ProtocolFileError) as exc:
        pending.discard(request, _IMPORT_KEY)
        return _import_page(request, form, error=str(exc))
    preview = svc.protocol_preview(file, Municipality.objects.all())
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


@require_POST
def protocol_import_confirm(request):
    user = request.user
    _require(user, "reviews.add_interviewprotocol")
    stashed = pending.take(request, _IMPORT_KEY)
    if stashed is None:
        messages.error(request, "Файл для сохранения не найден — загрузите его ещё раз.")
        return redirect("reviews:protocol_import")
    data, meta = stashed
    try:
        file = svc.read_protocol_file(data)
    except ProtocolFileError as exc:
        messages.error(request, f"Протокол не сохранён, ничего не записано: {exc}")
        return redirect("reviews:protocol_import")
    preview = svc.protocol_preview(file, Municipality.objects.all())
    confirm = ImportConfirmForm(request.POST)
    chosen, values = _chosen_municipalities(request, preview)
    error = None
    if not confirm.is_valid():
        error = "Проверьте срок исполнения рекомендаций."
    else:
        try:
            protocol = svc.import_protocol(
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
            return redirect("reviews:protocol_detail", protocol.pk)
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


def protocol_create(request):
    user = request.user
    _require(user, "reviews.add_interviewprotocol")
    form = ProtocolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            protocol = svc.create_protocol(user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Протокол создан. Добавьте муниципалитеты и рекомендации.")
            return redirect("reviews:protocol_detail", protocol.pk)
    return render(request, "reviews/interviews/protocol_form.html", {"form": form})


def protocol_detail(request, pk):
    user = request.user
    protocol = _protocol_or_404(user, pk)
    interviews = (
        svc.interviews_for(user)
        .filter(protocol=protocol)
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=svc.recommendation_list(user).prefetch_related(None),
            )
        )
        .order_by("date", "order", "pk")
    )
    by_date: OrderedDict = OrderedDict()
    for interview in interviews:
        by_date.setdefault(svc.row_date(interview.date), []).append(interview)
    all_dates = sorted(set(protocol.interviews.values_list("date", flat=True)))
    return render(
        request,
        "reviews/interviews/protocol_detail.html",
        {
            "protocol": protocol,
            "by_date": by_date,
            "date_line": svc.date_line(all_dates),
            "assignments": list(protocol.assignments.select_related("organisation")),
            "can_change": user.has_perm("reviews.change_interviewprotocol", protocol),
            "history": history_entries(protocol.history.all(), limit=10),
        },
    )


def protocol_export(request, pk):
    user = request.user
    protocol = _protocol_or_404(user, pk)
    response = HttpResponse(svc.protocol_docx(protocol, user), content_type=DOCX)
    day = min(protocol.interviews.values_list("date", flat=True), default=None)
    name = f"protocol_{day:%Y-%m-%d}.docx" if day else f"protocol_{protocol.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def interview_add(request, pk):
    """Add a municipality's interview to a protocol (by hand)."""
    user = request.user
    protocol = _protocol_or_404(user, pk)
    _require(user, "reviews.change_interviewprotocol", protocol)
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
            return redirect("reviews:interview_add_recommendation", interview.pk)
    return render(
        request, "reviews/interviews/interview_form.html", {"form": form, "protocol": protocol}
    )


def interview_add_recommendation(request, pk):
    """Give an interviewed municipality a recommendation: from the catalogue or typed."""
    user = request.user
    interview = (
        svc.interviews_for(user).select_related("protocol", "municipality").filter(pk=pk).first()
    )
    if interview is None:
        raise Http404
    _require(user, "reviews.change_interviewprotocol", interview.protocol)
    form = RecommendationAddForm(
        request.POST or None,
        templates=svc.catalogue(user),
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
                return redirect("reviews:interview_add_recommendation", interview.pk)
            return redirect("reviews:protocol_detail", interview.protocol_id)
    given = list(interview.recommendations.order_by("order", "pk"))
    return render(
        request,
        "reviews/interviews/recommendation_add.html",
        {"form": form, "interview": interview, "given": given},
    )


# ---------------------------------------------------------------- the tracker


def _tracker_filter(request, user) -> tuple[svc.RecommendationFilter, TrackerFilterForm]:
    form = TrackerFilterForm(
        request.GET or None,
        municipalities=svc.municipalities_with_recommendations(user),
        protocols=svc.protocols_for(user).order_by("-created_at"),
    )
    f = svc.RecommendationFilter()
    if form.is_bound:
        form.is_valid()  # invalid values are dropped, the rest still filters
        d = form.cleaned_data
        f.municipality = d["municipality"].pk if d.get("municipality") else None
        f.status = d.get("status") or ""
        f.overdue = bool(d.get("overdue"))
        f.closable = bool(d.get("closable"))
        f.protocol = d["protocol"].pk if d.get("protocol") else None
        f.q = d.get("q") or ""
    return f, form


def recommendation_list(request):
    user = request.user
    _require(user, "reviews.view_interviews")
    f, form = _tracker_filter(request, user)
    paginator = Paginator(svc.recommendation_list(user, f), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    single = user.role == Role.MUNICIPAL
    context = {
        "page": page,
        "recommendations": list(page.object_list),
        "filter": f,
        "single_municipality": single,
    }
    if request.htmx and request.htmx.target == "tracker-rows":
        return render(request, "reviews/interviews/_tracker_rows.html", context)
    context.update(
        statuses=RecommendationStatus.choices,
        municipality_choices=[] if single else list(form.fields["municipality"].queryset),
        protocol_choices=list(form.fields["protocol"].queryset),
    )
    return render(request, "reviews/interviews/recommendation_list.html", context)


def recommendation_catalogue(request):
    user = request.user
    _require(user, "reviews.view_recommendationtemplate")
    q = request.GET.get("q", "")[:200]
    templates = list(svc.catalogue(user, q)[:500])
    return render(
        request,
        "reviews/interviews/catalogue.html",
        {"templates": templates, "q": q},
    )


def _detail_context(request, recommendation):
    user = request.user
    can_track = user.has_perm("reviews.track_recommendation", recommendation)
    can_change = user.has_perm("reviews.change_recommendation", recommendation)
    linked = svc.linked_events(recommendation)
    context = {
        "recommendation": recommendation,
        "protocol": recommendation.interview.protocol if recommendation.interview_id else None,
        "linked": linked,
        "can_track": can_track,
        "can_change": can_change,
        "is_open": recommendation.status in svc.OPEN_STATES,
        "closing": svc.closing_record(recommendation),
        # The page is about this recommendation: each entry names the state it left it in.
        "history": _readable(
            history_entries(
                recommendation.history.all(),
                subject_of=lambda record: record.get_status_display(),
                limit=30,
            )
        ),
    }
    if can_track:
        candidates = list(
            svc.events_for_municipality(recommendation.municipality_id).exclude(
                pk__in=[e.pk for e in linked]
            )
        )
        context["suggestions"] = svc.suggested_events(recommendation, candidates)
        context["link_form"] = LinkEventForm(events=candidates)
        context["track_form"] = TrackForm(
            initial={
                "status": recommendation.status,
                "evidence": recommendation.evidence,
                "due_date": recommendation.due_date,
            },
            can_change_due_date=can_change,
        )
    return context


_STATUS_LABEL = str(Recommendation._meta.get_field("status").verbose_name)
_ISO_DATE_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _readable(entries):
    """Status labels instead of codes and Russian dates in «История изменений»; the moment of
    closing is the entry's own time, so its raw timestamp line is left out."""
    labels = dict(RecommendationStatus.choices)
    for entry in entries:
        changes = []
        for change in entry.changes:
            if change.startswith("closed at:"):
                continue
            if change.startswith(f"{_STATUS_LABEL}: "):
                old, _, new = change[len(_STATUS_LABEL) + 2 :].partition(" → ")
                change = f"{_STATUS_LABEL}: {labels.get(old, old)} → {labels.get(new, new)}"
            changes.append(_ISO_DATE_RE.sub(r"\3.\2.\1", change))
        entry.changes = changes
    return entries


def recommendation_detail(request, pk):
    recommendation = _recommendation_or_404(request.user, pk)
    return render(
        request,
        "reviews/interviews/recommendation_detail.html",
        _detail_context(request, recommendation),
    )


@require_POST
def recommendation_update(request, pk):
    user = request.user
    recommendation = _recommendation_or_404(user, pk)
    _require(user, "reviews.track_recommendation", recommendation)
    can_change = user.has_perm("reviews.change_recommendation", recommendation)
    form = TrackForm(request.POST, can_change_due_date=can_change)
    if form.is_valid():
        d = form.cleaned_data
        fresh = Recommendation.objects.get(pk=recommendation.pk)
        try:
            svc.update_recommendation(
                user,
                fresh,
                status=d["status"],
                evidence=d["evidence"],
                due_date=d.get("due_date"),
                change_due_date=can_change and d.get("due_date") != fresh.due_date,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("reviews:recommendation_detail", recommendation.pk)
    context = _detail_context(request, recommendation)
    context["track_form"] = form
    return render(request, "reviews/interviews/recommendation_detail.html", context)


def _linkable_event(recommendation, raw) -> RoadmapEvent:
    if not str(raw or "").isdigit():
        raise Http404
    event = svc.events_for_municipality(recommendation.municipality_id).filter(pk=raw).first()
    if event is None:
        raise Http404
    return event


@require_POST
def recommendation_link_event(request, pk):
    user = request.user
    recommendation = _recommendation_or_404(user, pk)
    _require(user, "reviews.track_recommendation", recommendation)
    event = _linkable_event(recommendation, request.POST.get("event"))
    try:
        svc.link_event(user, Recommendation.objects.get(pk=recommendation.pk), event)
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"Мероприятие № {event.number.rstrip('.')} связано.")
    return redirect(reverse("reviews:recommendation_detail", args=[recommendation.pk]) + "#events")


@require_POST
def recommendation_unlink_event(request, pk, event_pk):
    user = request.user
    recommendation = _recommendation_or_404(user, pk)
    _require(user, "reviews.track_recommendation", recommendation)
    event = recommendation.events.filter(pk=event_pk).first()
    if event is None:
        raise Http404
    try:
        svc.unlink_event(user, Recommendation.objects.get(pk=recommendation.pk), event)
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Связь с мероприятием снята.")
    return redirect(reverse("reviews:recommendation_detail", args=[recommendation.pk]) + "#events")


@require_POST
def recommendation_close(request, pk):
    user = request.user
    recommendation = _recommendation_or_404(user, pk)
    _require(user, "reviews.track_recommendation", recommendation)
    try:
        svc.close_through_events(user, Recommendation.objects.get(pk=recommendation.pk))
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Рекомендация закрыта: мероприятия выполнены.")
    return redirect("reviews:recommendation_detail", recommendation.pk)
