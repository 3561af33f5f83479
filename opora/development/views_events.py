"""Pages of the catalogue, the calendar of support events (with its iCalendar feed) and the
computed indicators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opora.accounts.access_log import record_access
from opora.accounts.models import Role
from opora.core import pending
from opora.core.calendar import current_year
from opora.core.intake.files import UploadError, read_bytes
from opora.core.views import fail
from opora.development import feed, indicators, selectors, services
from opora.development.catalogue_import import apply_catalogue_import, plan_catalogue_import
from opora.development.forms import (
    CatalogueUploadForm,
    EventForm,
    MaterialForm,
    OfferForm,
    OutcomeForm,
    RegisterForm,
)
from opora.development.models import (
    CalendarFeed,
    CompetenceArea,
    EventMaterial,
    Measure,
    Offer,
    OfferKind,
    Registration,
)
from opora.registry.selectors import municipalities_for, municipality_for
from opora.roadmaps.models import RoadmapIndicator

_CATALOGUE_KEY = "development-catalogue-import"


# ---------------------------------------------------------------- the catalogue


def catalogue(request):
    kind = request.GET.get("kind", "")
    if kind not in OfferKind.values:
        kind = ""
    area = request.GET.get("area", "")
    area_id = int(area) if area.isdigit() and len(area) < 10 else None
    return render(
        request,
        "development/catalogue.html",
        {
            "offers": selectors.catalogue(kind, area_id),
            "kinds": OfferKind.choices,
            "kind": kind,
            "areas": CompetenceArea.objects.all(),
            "area": area_id,
            "can_edit": request.user.has_perm("development.change_offer"),
        },
    )


def offer_edit(request, pk=None):
    user = request.user
    if not user.has_perm("development.change_offer"):
        raise PermissionDenied
    offer = None
    if pk is not None:
        offer = Offer.objects.filter(pk=pk).first()
        if offer is None:
            raise Http404
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "areas"}
        try:
            services.save_offer(user, offer, areas=form.cleaned_data["areas"], **fields)
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Предложение сохранено.")
            return redirect("development:catalogue")
    return render(request, "development/offer_form.html", {"form": form, "offer": offer})


def catalogue_import(request):
    user = request.user
    if not user.has_perm("development.change_offer"):
        raise PermissionDenied
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    plan, error = None, None
    if request.method == "POST":
        pending.discard(request, _CATALOGUE_KEY)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["file"].name
        try:
            data = read_bytes(form.cleaned_data["file"])
            plan = plan_catalogue_import(data, name)
        except UploadError as exc:
            error = str(exc)
        else:
            if plan.ok:
                pending.stash(request, _CATALOGUE_KEY, data, name=name)
    return render(
        request, "development/catalogue_import.html", {"form": form, "plan": plan, "error": error}
    )


@require_POST
def catalogue_import_apply(request):
    user = request.user
    if not user.has_perm("development.change_offer"):
        raise PermissionDenied
    taken = pending.take(request, _CATALOGUE_KEY)
    if taken is None:
        messages.error(request, "Файл для применения не найден — загрузите его ещё раз.")
        return redirect("development:catalogue_import")
    data, meta = taken
    try:
        plan = plan_catalogue_import(data, meta["name"])
        if not plan.ok:
            raise UploadError("В файле появились ошибки — ничего не записано.")
        apply_catalogue_import(user, plan)
    except (UploadError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("development:catalogue_import")
    messages.success(
        request, f"Каталог загружен: добавлено {plan.created}, обновлено {plan.updated}."
    )
    return redirect("development:catalogue")


@require_POST
def catalogue_import_cancel(request):
    if not request.user.has_perm("development.change_offer"):
        raise PermissionDenied
    pending.discard(request, _CATALOGUE_KEY)
    messages.info(request, "Импорт отменён.")
    return redirect("development:catalogue_import")


# ---------------------------------------------------------------- the calendar


def events(request):
    user = request.user
    upcoming = request.GET.get("all") != "1"
    feed_row = CalendarFeed.objects.filter(user=user).first()
    return render(
        request,
        "development/events.html",
        {
            "events": selectors.events_for(user, upcoming_only=upcoming).prefetch_related(
                "registrations"
            ),
            "upcoming": upcoming,
            "can_add": user.has_perm("development.add_supportevent"),
            "feed_url": request.build_absolute_uri(
                reverse("development:calendar_feed", args=[feed_row.token])
            )
            if feed_row
            else "",
        },
    )


def _municipality_choices(user):
    if user.role == Role.MUNICIPAL:
        return municipalities_for(user).filter(pk=user.municipality_id)
    return municipalities_for(user)


def event_edit(request, pk=None):
    user = request.user
    event = None
    if pk is not None:
        event = selectors.event_for(user, pk)
        if event is None:
            raise Http404
        if not user.has_perm("development.change_supportevent", event):
            raise PermissionDenied
    elif not user.has_perm("development.add_supportevent"):
        raise PermissionDenied
    form = EventForm(
        request.POST or None,
        instance=event,
        municipalities=_municipality_choices(user),
        initial={"municipality": user.municipality_id} if event is None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_event(user, event, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Мероприятие сохранено.")
            return redirect("development:event", saved.pk)
    return render(request, "development/event_form.html", {"form": form, "event": event})


def event_detail(request, pk):
    user = request.user
    event = selectors.event_for(user, pk)
    if event is None:
        raise Http404
    shown = selectors.registrations_shown(user, event)
    people = selectors.registrable_people(user, event)
    manages = user.has_perm("development.change_supportevent", event)
    if manages and shown:
        record_access(user, "Список участников мероприятия", event)
    return render(
        request,
        "development/event.html",
        {
            "event": event,
            "registrations": shown,
            "total": event.registrations.count(),
            "attended": event.registrations.filter(attended=True).count(),
            "manages": manages,
            "register_form": RegisterForm(people=people) if people.exists() else None,
            "outcome_form": OutcomeForm(initial={"outcome": event.outcome}),
            "material_form": MaterialForm(),
            "materials": event.materials.all(),
        },
    )


@require_POST
def event_register(request, pk):
    user = request.user
    event = selectors.event_for(user, pk)
    if event is None:
        raise Http404
    form = RegisterForm(request.POST, people=selectors.registrable_people(user, event))
    if not form.is_valid():
        messages.error(request, "Выберите педагога из списка.")
        return redirect("development:event", pk)
    try:
        services.register(
            user,
            event,
            form.cleaned_data["person"],
            role=form.cleaned_data["role"],
            topic=form.cleaned_data["topic"],
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, f"{form.cleaned_data['person'].short_name}: записан(а).")
    return redirect("development:event", pk)


@require_POST
def event_unregister(request, pk):
    user = request.user
    registration = Registration.objects.select_related("event").filter(pk=pk).first()
    if registration is None or selectors.event_for(user, registration.event_id) is None:
        raise Http404
    if not selectors.registrations_shown(user, registration.event).filter(pk=pk).exists():
        raise Http404
    try:
        services.unregister(user, registration)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Запись снята.")
    return redirect("development:event", registration.event_id)


@require_POST
def event_attendance(request, pk):
    user = request.user
    event = selectors.event_for(user, pk)
    if event is None:
        raise Http404
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit() and len(v) < 10}
    try:
        came = services.mark_attendance(user, event, present)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(
            request, f"Посещение отмечено: пришли {came} из {event.registrations.count()}."
        )
    return redirect("development:event", pk)


@require_POST
def event_outcome(request, pk):
    user = request.user
    event = selectors.event_for(user, pk)
    if event is None:
        raise Http404
    form = OutcomeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Напишите итоги мероприятия.")
        services.save_outcome(user, event, form.cleaned_data["outcome"])
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Итоги сохранены.")
    return redirect("development:event", pk)


@require_POST
def event_material(request, pk):
    user = request.user
    event = selectors.event_for(user, pk)
    if event is None:
        raise Http404
    form = MaterialForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError("Выберите файл.")
        services.add_material(user, event, form.cleaned_data["file"])
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Материал добавлен.")
    return redirect("development:event", pk)


def material_download(request, pk):
    material = EventMaterial.objects.filter(pk=pk).first()
    if material is None or selectors.event_for(request.user, material.event_id) is None:
        raise Http404
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def calendar_token(request):
    wanted = request.POST.get("feed", "")
    if wanted not in ("new", "renew"):
        messages.error(request, "Не понятно, что сделать с адресом календаря.")
        return redirect("development:events")
    services.calendar_feed(request.user, renew=wanted == "renew")
    messages.success(request, "Адрес календаря для подписки готов — добавьте его в свой календарь.")
    return redirect("development:events")


@login_not_required
def calendar_feed(request, token):
    """The iCalendar feed of one user, by its secret address (calendar programs do not sign
    in): what the user would see in the calendar, as of now."""
    row = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active:
        raise Http404
    body = feed.calendar_for(row.user, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="opora.ics"'
    return response


# ---------------------------------------------------------------- indicators


def indicators_overview(request):
    user = request.user
    if not user.has_perm("development.view_aggregates"):
        raise PermissionDenied
    year = current_year()
    municipalities = list(municipalities_for(user))
    scope_all = user.role in (Role.REGION, Role.OPERATOR) or user.is_superuser
    rows = [
        (m, [indicators.figure(measure, m, year) for measure in Measure.values])
        for m in municipalities
    ]
    region = (
        [indicators.figure(measure, None, year) for measure in Measure.values]
        if scope_all
        else None
    )
    return render(
        request,
        "development/indicators.html",
        {"rows": rows, "region": region, "measures": Measure.choices, "year": year},
    )


def indicator_rows(request, measure, municipality):
    """The rows behind a computed number: named for the operator, per school for others."""
    user = request.user
    if not user.has_perm("development.view_aggregates") or measure not in Measure.values:
        raise Http404
    place = None
    if municipality:
        place = municipality_for(user, municipality)
        if place is None:
            raise Http404
    elif not (user.is_superuser or user.role in (Role.REGION, Role.OPERATOR)):
        raise Http404
    year = current_year()
    rows = indicators.rows_behind(measure, place, year)
    named = user.has_perm("development.import_diagnostics")
    if named:
        record_access(user, "Строки расчётного показателя", place)
    return render(
        request,
        "development/indicator_rows.html",
        {
            "measure": Measure(measure),
            "counts_courses": measure in (Measure.COURSES, Measure.ENROLLED),
            "place": place,
            "rows": rows if named else [],
            "by_school": indicators.by_school(rows, selectors.MIN_GROUP),
            "figure": indicators.figure(measure, place, year),
            "named": named,
            "year": year,
        },
    )


@require_POST
def indicator_fill(request, pk):
    user = request.user
    indicator = RoadmapIndicator.objects.select_related("roadmap").filter(pk=pk).first()
    if indicator is None or not user.has_perm("roadmaps.view_roadmap", indicator.roadmap):
        raise Http404
    try:
        result = indicators.fill_indicator(
            user, indicator, request.POST.get("measure", ""), current_year()
        )
    except (ValidationError, PermissionDenied, ValueError) as exc:
        fail(request, exc)
    else:
        messages.success(request, f"Фактическое значение рассчитано: {result.text}.")
    return redirect("roadmaps:detail", indicator.roadmap_id)
