"""The programme's open page (/public/, no sign-in): the roadmaps as approved, the materials
and the news the region put there. Nothing personal: no person's name, no report, no comment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

from opora.core.ids import MAX_ID
from opora.information import selectors
from opora.information.models import MaterialKind
from opora.information.views import download


@login_not_required
def home(request):
    materials = list(selectors.public_materials())
    return render(
        request,
        "information/public/home.html",
        {
            "roadmaps": list(selectors.public_roadmaps()),
            "materials": materials,
            "kinds": [
                (label, [m for m in materials if m.kind == value])
                for value, label in MaterialKind.choices
            ],
            "news": list(selectors.public_news()),
        },
    )


@login_not_required
def roadmap(request, pk: int):
    found = selectors.public_roadmap(pk) if pk <= MAX_ID else None
    if found is None:
        raise Http404
    return render(
        request,
        "information/public/roadmap.html",
        {"roadmap": found, "events": list(selectors.public_events(found))},
    )


@login_not_required
def material_file(request, pk: int):
    material = selectors.public_material(pk) if pk <= MAX_ID else None
    if material is None:
        raise Http404
    return download(material)
