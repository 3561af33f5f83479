"""The home page: each role sees the figures and the work of its own scope."""

import importlib

from django.shortcuts import render
from django.utils import timezone

from opora.registry.selectors import home_figures, municipality_for, school_for
from opora.roadmaps import selectors as roadmap_selectors

# Widgets of later parts: (module, function) giving extra context, shown when present.
WIDGETS = [
    ("opora.recommendations.views", "home_widget"),
    ("opora.assessment.selectors", "home_widget"),
]


def home(request):
    user = request.user
    context = {
        "figures": home_figures(user),
        "control": roadmap_selectors.overdue_summary(user),
        "tasks": list(roadmap_selectors.my_tasks(user)[:5]),
        "regional_tasks": list(roadmap_selectors.regional_tasks_for(user)[:5]),
        "today": timezone.localdate(),
        "widgets": [],
    }
    if user.school_id:
        context["own_school"] = school_for(user, user.school_id)
    if user.municipality_id:
        context["own_municipality"] = municipality_for(user, user.municipality_id)
    for module_name, function in WIDGETS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        widget = getattr(module, function, None)
        if widget is not None:
            rendered = widget(user)
            if rendered:
                context["widgets"].append(rendered)
    return render(request, "dashboards/home.html", context)
