"""The home page: each role sees the figures and the work of its own scope."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from opora.core import contributions
from opora.people import selectors as people_selectors
from opora.registry.selectors import home_figures, municipality_for, school_for
from opora.roadmaps import selectors as roadmap_selectors


def home(request):
    user = request.user
    context = {
        "figures": home_figures(user),
        "people_figures": people_selectors.home_figures(user),
        "control": roadmap_selectors.overdue_summary(user),
        "tasks": list(roadmap_selectors.my_tasks(user)[:5]),
        "regional_tasks": list(roadmap_selectors.regional_tasks_for(user)[:5]),
        "today": timezone.localdate(),
        "widgets": _panels(request),
    }
    if user.school_id:
        context["own_school"] = school_for(user, user.school_id)
    if user.municipality_id:
        context["own_municipality"] = municipality_for(user, user.municipality_id)
    return render(request, "dashboards/home.html", context)


def _panels(request) -> list[str]:
    """The cards the apps contribute (core.contributions), each with its selector's data."""
    rendered = []
    for panel in contributions.home_panels():
        data = panel.context(request.user)
        if data is not None:
            rendered.append(render_to_string(panel.template, data, request=request))
    return rendered
