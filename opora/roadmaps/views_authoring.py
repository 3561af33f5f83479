"""Pages of a roadmap written in the app: create it (empty or from a template), edit its
structure, header and indicators. Thin: each POST calls one function of ``authoring``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opora.core.calendar import current_year
from opora.core.once import submit_once
from opora.core.views import fail
from opora.registry.selectors import municipalities_for, schools_for
from opora.roadmaps import authoring, selectors, services
from opora.roadmaps.forms import CreateForm, NewEventForm
from opora.roadmaps.models import RoadmapEvent, RoadmapSection


def _roadmap(user, pk):
    roadmap = selectors.roadmap_for(user, pk)
    if roadmap is None or not user.has_perm("roadmaps.change_roadmap", roadmap):
        raise Http404
    return roadmap


def _owned(user, model, pk):
    """A section, event or indicator of a roadmap the user writes, or 404."""
    obj = model.objects.filter(pk=pk, roadmap__in=selectors.roadmaps_for(user)).first()
    if obj is None or not user.has_perm("roadmaps.change_roadmap", obj.roadmap):
        raise Http404
    return obj


@submit_once
def roadmap_new(request):
    user = request.user
    if not user.has_perm("roadmaps.add_roadmap"):
        raise PermissionDenied
    form = CreateForm(
        request.POST or None,
        municipalities=municipalities_for(user),
        schools=schools_for(user),
        roadmaps=selectors.roadmaps_for(user).order_by("-period_start", "level", "title"),
        initial={
            "level": "school"
            if user.school_id
            else "municipality"
            if user.municipality_id
            else "region",
            "municipality": user.municipality_id,
            "school": user.school_id,
            # The programme's current year; a template's own year is never taken over.
            "period": str(current_year()),
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            roadmap = authoring.create_roadmap(
                user,
                level=d["level"],
                title=d["title"],
                period=d["period"],
                municipality=d["municipality"],
                school=d["school"],
                owner_name=d["owner_name"],
                template=d["template"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, "Черновик карты создан.")
            return redirect("roadmaps:edit", roadmap.pk)
    return render(request, "roadmaps/new.html", {"form": form})


def roadmap_edit(request, pk):
    """The structure of a roadmap: header, sections, events, indicators."""
    user = request.user
    roadmap = _roadmap(user, pk)
    sections = list(roadmap.sections.order_by("order", "pk"))
    events = list(roadmap.events.select_related("section").order_by("order", "pk"))
    for section in sections:
        section.items = [e for e in events if e.section_id == section.pk]
    loose = [e for e in events if e.section_id is None]
    return render(
        request,
        "roadmaps/edit.html",
        {
            "roadmap": roadmap,
            "sections": sections,
            "loose": loose,
            "indicators": list(roadmap.indicators.all()),
            "event_form": NewEventForm(sections=roadmap.sections.all()),
            "editable": roadmap.is_editable,
        },
    )


def _back(request, roadmap, done: str, call):
    try:
        call()
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, done)
    return redirect("roadmaps:edit", roadmap.pk)


@require_POST
def roadmap_header(request, pk):
    roadmap = _roadmap(request.user, pk)
    p = request.POST
    return _back(
        request,
        roadmap,
        "Наименование, цель и задачи сохранены.",
        lambda: authoring.update_header(
            request.user,
            roadmap,
            title=p.get("title", ""),
            goal=p.get("goal", ""),
            tasks=p.get("tasks", "").splitlines(),
        ),
    )


@require_POST
def section_add(request, pk):
    roadmap = _roadmap(request.user, pk)
    return _back(
        request,
        roadmap,
        "Раздел добавлен.",
        lambda: authoring.add_section(request.user, roadmap, request.POST.get("title", "")),
    )


@require_POST
def section_change(request, pk, action):
    section = _owned(request.user, RoadmapSection, pk)
    user, roadmap = request.user, section.roadmap
    steps = {
        "rename": (
            "Раздел переименован.",
            lambda: authoring.rename_section(user, section, request.POST.get("title", "")),
        ),
        "remove": ("Раздел удалён.", lambda: authoring.remove_section(user, section)),
        "up": ("Раздел перемещён.", lambda: authoring.move_section(user, section, "up")),
        "down": ("Раздел перемещён.", lambda: authoring.move_section(user, section, "down")),
    }
    if action not in steps:
        raise Http404
    return _back(request, roadmap, *steps[action])


@submit_once
@require_POST
def event_add(request, pk):
    roadmap = _roadmap(request.user, pk)
    form = NewEventForm(request.POST, sections=roadmap.sections.all())
    if not form.is_valid():
        fail(request, ValidationError("Мероприятие не добавлено: укажите его текст."))
        return redirect("roadmaps:edit", roadmap.pk)
    d = dict(form.cleaned_data)
    section = d.pop("section")
    return _back(
        request,
        roadmap,
        "Мероприятие добавлено.",
        lambda: services.add_event(request.user, roadmap, section, **d),
    )


@require_POST
def event_change(request, pk, action):
    event = _owned(request.user, RoadmapEvent, pk)
    user, roadmap = request.user, event.roadmap
    steps = {
        "remove": ("Мероприятие удалено.", lambda: authoring.remove_event(user, event)),
        "up": ("Мероприятие перемещено.", lambda: authoring.move_event(user, event, "up")),
        "down": ("Мероприятие перемещено.", lambda: authoring.move_event(user, event, "down")),
    }
    if action not in steps:
        raise Http404
    return _back(request, roadmap, *steps[action])


@require_POST
def indicator_save(request, pk, indicator_pk=None):
    roadmap = _roadmap(request.user, pk)
    indicator = None
    if indicator_pk is not None:
        indicator = roadmap.indicators.filter(pk=indicator_pk).first()
        if indicator is None:
            raise Http404
    p = request.POST
    if indicator is not None and p.get("remove"):
        return _back(
            request,
            roadmap,
            "Показатель удалён.",
            lambda: authoring.remove_indicator(request.user, indicator),
        )
    return _back(
        request,
        roadmap,
        "Показатель сохранён.",
        lambda: authoring.save_indicator(
            request.user,
            roadmap,
            indicator,
            text=p.get("text", ""),
            target_value=p.get("target_value", ""),
            actual_value=p.get("actual_value", ""),
        ),
    )
