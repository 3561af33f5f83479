"""Pages of the recommendation tracker (under /reviews/recommendations/, namespace «recommendations»)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opora.accounts.guards import require
from opora.accounts.models import Role
from opora.core.history import history_entries
from opora.core.views import fail
from opora.recommendations import selectors as recommendation_selectors
from opora.recommendations import services as recommendation_services
from opora.recommendations import suggestions
from opora.recommendations.forms import (
    LinkEventForm,
    TrackerFilterForm,
    TrackForm,
)
from opora.recommendations.models import Recommendation, RecommendationStatus
from opora.roadmaps import selectors as roadmap_selectors
from opora.roadmaps.models import RoadmapEvent

PAGE_SIZE = 100


def _recommendation_or_404(user, pk) -> Recommendation:
    recommendation = recommendation_selectors.recommendation_for(user, pk)
    if recommendation is None:
        raise Http404("Рекомендация не найдена или недоступна.")
    return recommendation


def _tracker_filter(
    request, user
) -> tuple[recommendation_selectors.RecommendationFilter, TrackerFilterForm]:
    form = TrackerFilterForm(
        request.GET or None,
        municipalities=recommendation_selectors.municipalities_with_recommendations(user),
        protocols=recommendation_selectors.giving_protocols(user),
    )
    f = recommendation_selectors.RecommendationFilter()
    if form.is_bound:
        form.is_valid()  # invalid values are dropped, the rest still filters
        d = form.cleaned_data
        f.municipality = d["municipality"].pk if d.get("municipality") else None
        f.status = d.get("status") or ""
        f.overdue = bool(d.get("overdue"))
        f.closable = bool(d.get("closable"))
        f.protocol = d.get("protocol")
        f.q = d.get("q") or ""
    return f, form


def recommendation_list(request):
    user = request.user
    require(user, "recommendations.view_tracker")
    f, form = _tracker_filter(request, user)
    paginator = Paginator(recommendation_selectors.recommendation_list(user, f), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    single = user.role == Role.MUNICIPAL
    context = {
        "page": page,
        "recommendations": list(page.object_list),
        "filter": f,
        "single_municipality": single,
    }
    if request.htmx and request.htmx.target == "tracker-rows":
        return render(request, "recommendations/_tracker_rows.html", context)
    context.update(
        statuses=RecommendationStatus.choices,
        municipality_choices=[] if single else list(form.fields["municipality"].queryset),
        protocol_choices=form.protocols,
    )
    return render(request, "recommendations/recommendation_list.html", context)


def recommendation_catalogue(request):
    user = request.user
    require(user, "recommendations.view_recommendationtemplate")
    q = request.GET.get("q", "")[:200]
    groups = recommendation_selectors.catalogue_groups(user, q)
    return render(
        request,
        "recommendations/catalogue.html",
        {"groups": groups, "entries": sum(len(g.members) for g in groups), "q": q},
    )


def _detail_context(request, recommendation):
    user = request.user
    can_track = user.has_perm("recommendations.track_recommendation", recommendation)
    can_change = user.has_perm("recommendations.change_recommendation", recommendation)
    linked = recommendation_selectors.linked_events(recommendation)
    context = {
        "recommendation": recommendation,
        "protocol": recommendation.interview.protocol if recommendation.interview_id else None,
        "linked": linked,
        "can_track": can_track,
        "can_change": can_change,
        # The school sees its own recommendations, not the tracker: no crumbs leading there.
        "sees_tracker": user.has_perm("recommendations.view_tracker"),
        "is_open": recommendation.status in recommendation_selectors.OPEN_STATES,
        "closing": recommendation_selectors.closing_record(recommendation),
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
            recommendation_selectors.events_for_municipality(
                recommendation.municipality_id
            ).exclude(pk__in=[e.pk for e in linked])
        )
        context["suggestions"] = suggestions.suggested_events(recommendation, candidates)
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
        "recommendations/recommendation_detail.html",
        _detail_context(request, recommendation),
    )


@require_POST
def recommendation_update(request, pk):
    user = request.user
    recommendation = _recommendation_or_404(user, pk)
    require(user, "recommendations.track_recommendation", recommendation)
    can_change = user.has_perm("recommendations.change_recommendation", recommendation)
    form = TrackForm(request.POST, can_change_due_date=can_change)
    if form.is_valid():
        d = form.cleaned_data
        fresh = Recommendation.objects.get(pk=recommendation.pk)
        try:
            recommendation_services.update_recommendation(
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
            return redirect("recommendations:recommendation_detail", recommendation.pk)
    context = _detail_context(request, recommendation)
    context["track_form"] = form
    return render(request, "recommendations/recommendation_detail.html", context)


def _linkable_event(recommendation, raw) -> RoadmapEvent:
    if not str(raw or "").isdigit():
        raise Http404
    event = (
        recommendation_selectors.events_for_municipality(recommendation.municipality_id)
        .filter(pk=raw)
        .first()
    )
    if event is None:
        raise Http404
    return event


@require_POST
def recommendation_link_event(request, pk):
    user = request.user
    recommendation = _recommendation_or_404(user, pk)
    require(user, "recommendations.track_recommendation", recommendation)
    event = _linkable_event(recommendation, request.POST.get("event"))
    _change_link(
        request,
        recommendation_services.link_event,
        recommendation,
        event,
        f"Мероприятие № {event.number.rstrip('.')} связано.",
    )
    return redirect(
        reverse("recommendations:recommendation_detail", args=[recommendation.pk]) + "#events"
    )


@require_POST
def recommendation_unlink_event(request, pk, event_pk):
    user = request.user
    recommendation = _recommendation_or_404(user, pk)
    require(user, "recommendations.track_recommendation", recommendation)
    event = recommendation.events.filter(pk=event_pk).first()
    if event is None:
        raise Http404
    _change_link(
        request,
        recommendation_services.unlink_event,
        recommendation,
        event,
        "Связь с мероприятием снята.",
    )
    if request.POST.get("next") == "event":  # from the event's page: back there
        return redirect(reverse("roadmaps:event", args=[event.pk]) + "#recommendations")
    return redirect(
        reverse("recommendations:recommendation_detail", args=[recommendation.pk]) + "#events"
    )


@require_POST
def recommendation_close(request, pk):
    user = request.user
    recommendation = _recommendation_or_404(user, pk)
    require(user, "recommendations.track_recommendation", recommendation)
    try:
        recommendation_services.close_through_events(
            user, Recommendation.objects.get(pk=recommendation.pk)
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Рекомендация закрыта: мероприятия выполнены.")
    return redirect("recommendations:recommendation_detail", recommendation.pk)


@require_POST
def event_link_recommendation(request, event_pk):
    """From an event's page: the event answers one more recommendation (issue 16)."""
    user = request.user
    event = roadmap_selectors.event_for(user, event_pk)
    if event is None:
        raise Http404("Мероприятие не найдено или недоступно.")
    back = reverse("roadmaps:event", args=[event.pk]) + "#recommendations"
    raw = request.POST.get("recommendation", "")
    if not raw.isdigit():
        messages.error(request, "Выберите рекомендацию, на которую отвечает мероприятие.")
        return redirect(back)
    recommendation = _recommendation_or_404(user, int(raw))
    _change_link(
        request,
        recommendation_services.link_event,
        recommendation,
        event,
        "Мероприятие связано с рекомендацией.",
    )
    return redirect(back)


def _change_link(request, service, recommendation, event, done: str) -> None:
    """Link or unlink through ``service`` on a fresh copy of the recommendation; a refusal
    becomes the page's message, success says ``done``."""
    try:
        service(request.user, Recommendation.objects.get(pk=recommendation.pk), event)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, done)
