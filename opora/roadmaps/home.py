"""The home page starts from each role's job (issue 16): the school's programme with its tasks
and its returned reports, the curator's schools with what waits for it. Cards contributed to
``dashboards`` (``HomePanel(first=True)``), read within the user's scope, a few queries each."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.registry.models import Municipality
from opora.registry.selectors import schools_for
from opora.roadmaps import inbox, reviewers
from opora.roadmaps.models import RoadmapStatus
from opora.roadmaps.selectors import regional_tasks_for, roadmap_progress, roadmaps_for

#: Programmes, returned reports and schools shown on a card; the rest are one click away.
SHOWN = 3
SCHOOLS_SHOWN = 12


def school_programme(user) -> dict | None:
    """The school's card: its programme (the school's roadmap) and how far it is, the tasks the
    region and the municipality gave it (how many still without a report), and its reports
    returned to redo with the reviewer's comment. None to anyone but a school."""
    if user.role != Role.SCHOOL or not user.school_id:
        return None
    programmes = list(
        roadmaps_for(user)
        .filter(level="school", school_id=user.school_id)
        .exclude(status=RoadmapStatus.ARCHIVED)
        .order_by("-period_start", "-pk")[:SHOWN]
    )
    current = programmes[0] if programmes else None
    tasks = regional_tasks_for(user)
    returned = inbox.returned_reports(user)
    return {
        "programmes": programmes,
        "current": current,
        "progress": roadmap_progress(current) if current else None,
        "can_create": user.has_perm("roadmaps.add_roadmap"),
        "tasks": tasks.count(),
        "tasks_unreported": tasks.filter(my_reports=0).count(),
        "returned": returned[:SHOWN],
        "returned_count": len(returned),
    }


def curator_schools(user) -> dict | None:
    """The curator's card: the schools it supports this year (its listed schools and the ones
    assigned to it by name) and its municipalities, each with the reports waiting for its
    review. None to anyone but a curator."""
    if user.role != Role.CURATOR:
        return None
    scope = scope_for(user)
    schools = (
        schools_for(user)
        .filter(Q(is_low_results=True) | Q(is_unfavourable=True) | Q(pk__in=scope.school_ids))
        .order_by("municipality__name", "number", "short_name")
    )
    shown = list(schools[:SCHOOLS_SHOWN])
    total = len(shown) if len(shown) < SCHOOLS_SHOWN else schools.count()
    waiting = reviewers.reports_to_review(user).order_by()
    by_school = dict(
        waiting.annotate(sid=Coalesce("school_id", "event__roadmap__school_id"))
        .filter(sid__isnull=False)
        .values_list("sid")
        .annotate(n=Count("pk"))
        .values_list("sid", "n")
    )
    by_municipality = dict(
        waiting.filter(school__isnull=True, event__roadmap__school__isnull=True)
        .annotate(mid=Coalesce("municipality_id", "event__roadmap__municipality_id"))
        .filter(mid__isnull=False)
        .values_list("mid")
        .annotate(n=Count("pk"))
        .values_list("mid", "n")
    )
    for school in shown:
        school.waiting = by_school.get(school.pk, 0)
    municipalities = list(Municipality.objects.filter(pk__in=scope.municipality_ids))
    for municipality in municipalities:
        municipality.waiting = by_municipality.get(municipality.pk, 0)
    return {
        "schools": shown,
        "total": total,
        "more": total - len(shown),
        "municipalities": sorted(municipalities, key=lambda m: m.name),
        "waiting": sum(by_school.values()) + sum(by_municipality.values()),
    }
