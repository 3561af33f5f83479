"""What coaching adds to other pages: the thread on a school's programme, the card on the
school page, the menu's predicates."""

from __future__ import annotations

from django.urls import reverse

from opora.coaching import selectors


def sees_overview(user) -> bool:
    return user.has_perm("coaching.view_overview")


def roadmap_thread(user, roadmap) -> dict | None:
    """The coaching thread under a school's programme (a school-level roadmap)."""
    if roadmap.level != "school" or roadmap.school_id is None:
        return None
    if not user.has_perm("coaching.view_selfanalysis", roadmap.school):
        return None
    return {
        "thread": selectors.thread(roadmap=roadmap),
        "can_comment": user.has_perm("coaching.comment_school", roadmap.school),
        "comment_url": reverse("coaching:roadmap_comment", args=[roadmap.pk]),
    }


def school_panel(user, school) -> dict | None:
    """The state of the school's self-analysis of the year, on the school page."""
    if not user.has_perm("coaching.view_selfanalysis", school):
        return None
    analysis = selectors.analysis_of(school)
    return {
        "school": school,
        "analysis": analysis,
        "priorities": sum(1 for r in analysis.ratings.all() if r.is_priority) if analysis else 0,
    }
