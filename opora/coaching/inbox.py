"""What coaching puts in «Ждут меня»: for a listed school, its self-analysis to complete and the
curator's messages to answer; for a curator, completed self-analyses to comment on and visits
held by the plan's date but not reported. A few queries per user, never one per item."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.coaching.models import AnalysisStatus, Comment, SelfAnalysis, Visit, VisitStatus
from opora.core.calendar import current_year
from opora.core.contributions import InboxItem
from opora.registry.models import SchoolStatus

LIMIT = 50


def _unanswered(school_id: int) -> list[Comment]:
    """Threads of the school whose last message is not the school's."""
    last: dict[tuple, Comment] = {}
    for c in (
        Comment.objects.filter(school_id=school_id)
        .select_related("author", "roadmap", "report")
        .order_by("created_at", "pk")
    ):
        last[(c.analysis_id, c.roadmap_id, c.report_id, c.parent_id or c.pk)] = c
    return [c for c in last.values() if c.author is not None and c.author.role != Role.SCHOOL][
        :LIMIT
    ]


def _school_items(user) -> list[InboxItem]:
    items = []
    year = current_year()
    listed = SchoolStatus.objects.filter(school_id=user.school_id, year=year).exists()
    done = SelfAnalysis.objects.filter(
        school_id=user.school_id, year=year, status=AnalysisStatus.SUBMITTED
    ).exists()
    if listed and not done:
        items.append(
            InboxItem(
                kind="Самоанализ",
                title=f"Завершить самоанализ школы {year} года",
                url=reverse("coaching:analysis", args=[user.school_id]),
            )
        )
    for c in _unanswered(user.school_id):
        if c.report_id:
            url = reverse("roadmaps:event", args=[c.report.event_id])
        elif c.roadmap_id:
            url = reverse("roadmaps:detail", args=[c.roadmap_id])
        else:
            url = reverse("coaching:analysis", args=[user.school_id])
        items.append(
            InboxItem(
                kind="Комментарий: ответить",
                title=c.text[:200],
                subject=c.author.display_name,
                url=url + f"#comment-{c.pk}",
            )
        )
    return items


def _curator_items(user) -> list[InboxItem]:
    scope = scope_for(user)
    curator_wrote = Comment.objects.filter(analysis=OuterRef("pk"), author__role=Role.CURATOR)
    to_comment = (
        scope.filter(
            SelfAnalysis.objects.all(), school="school_id", municipality="school__municipality_id"
        )
        .filter(year=current_year(), status=AnalysisStatus.SUBMITTED)
        .exclude(Exists(curator_wrote))
        .select_related("school")
        .order_by("submitted_at")[:LIMIT]
    )
    items = [
        InboxItem(
            kind="Самоанализ: прокомментировать",
            title=f"Самоанализ {a.school.short_name} завершён",
            subject=a.school.short_name,
            url=reverse("coaching:analysis", args=[a.school_id]) + "#thread",
        )
        for a in to_comment
    ]
    overdue = (
        Visit.objects.filter(
            plan__curator_id=user.person_id,
            status=VisitStatus.PLANNED,
            planned_on__lt=timezone.localdate(),
        )
        .select_related("school", "plan__municipality")
        .order_by("planned_on")[:LIMIT]
    )
    items += [
        InboxItem(
            kind="Выезд: отчитаться",
            title=f"{v.get_kind_display().capitalize()} — {v.school or v.plan.municipality}",
            subject=v.plan.municipality.name,
            url=reverse("coaching:visit", args=[v.pk]),
            due=v.planned_on,
        )
        for v in overdue
    ]
    return items


def items_for(user) -> list[InboxItem]:
    if not user.is_authenticated:
        return []
    if user.role == Role.SCHOOL and user.school_id:
        return _school_items(user)
    if user.role == Role.CURATOR and user.person_id:
        return _curator_items(user)
    return []
