"""The home page and «Ждут меня»: each role starts from its own work and scope."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from opora.accounts.models import Role
from opora.accounts.scopes import works_on_programme
from opora.core import contributions
from opora.people import selectors as people_selectors
from opora.registry.selectors import home_figures, municipality_for, school_for
from opora.roadmaps import selectors as roadmap_selectors

#: The roles the regional tasks are addressed to (``roadmaps.selectors.regional_tasks_for``).
ADDRESSEES = (Role.MUNICIPAL, Role.SCHOOL, Role.CURATOR)

#: The home page shows the first items of the inbox; the rest are one click away.
HOME_INBOX = 6


def home(request):
    user = request.user
    waiting = contributions.inbox_first(user, HOME_INBOX)
    waiting_count = max(len(waiting), contributions.inbox_count(user))
    context = {
        "figures": home_figures(user),
        "people_figures": people_selectors.home_figures(user),
        "control": roadmap_selectors.overdue_summary(user),
        "tasks": list(roadmap_selectors.my_tasks(user)[:5]),
        "regional_tasks": roadmap_selectors.regional_task_rows(user, 5),
        "regional_heading": roadmap_selectors.addressed_tasks_heading(user),
        # The region's own staff set the regional tasks; municipalities, schools and curators
        # carry them out; an expert or an observer is given none (no empty card).
        "shows_regional_tasks": user.role in ADDRESSEES,
        "today": timezone.localdate(),
        "waiting": waiting[:HOME_INBOX],
        "waiting_count": waiting_count,
        "waiting_more": max(0, waiting_count - HOME_INBOX),
        "jobs": _panels(request, first=True),
        "widgets": _panels(request, first=False),
        # A teacher's home is their own development: no region's figures, deadlines or tasks.
        "programme": works_on_programme(user),
    }
    if user.school_id:
        context["own_school"] = school_for(user, user.school_id)
    if user.municipality_id:
        context["own_municipality"] = municipality_for(user, user.municipality_id)
    return render(request, "dashboards/home.html", context)


#: Items on one page of «Ждут меня».
INBOX_PAGE = 50


def inbox(request):
    """«Ждут меня»: what waits for the user in every app, returned work first, then by date;
    filtered by kind."""
    items = contributions.inbox_for(request.user)
    # Each source lists at most a few hundred items; the total is counted in full.
    total = max(len(items), contributions.inbox_count(request.user))
    kinds: dict[str, int] = {}
    for item in items:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    kind = request.GET.get("kind", "")
    shown = [i for i in items if i.kind == kind] if kind in kinds else items
    page = Paginator(shown, INBOX_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboards/inbox.html",
        {
            "items": page.object_list,
            "page": page,
            "total": total,
            "unlisted": total - len(items),
            "listed": len(items),
            "kinds": sorted(kinds.items()),
            "kind": kind if kind in kinds else "",
            "today": timezone.localdate(),
        },
    )


def _panels(request, *, first: bool) -> list[str]:
    """The cards the apps contribute (core.contributions), each with its selector's data:
    the cards of the role's own job (``first``) or the others."""
    rendered = []
    for panel in contributions.home_panels():
        if panel.first != first:
            continue
        data = panel.context(request.user)
        if data is not None:
            rendered.append(render_to_string(panel.template, data, request=request))
    return rendered
