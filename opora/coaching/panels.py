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


def report_threads(user, event, reports) -> dict[int, dict]:
    """The coaching thread under each school's progress report on ``event`` (the reports the
    user may read), for whoever sees the school's coaching; replies by whoever may write."""
    owner = event.roadmap.school if event.roadmap.level == "school" else None
    schools = {}
    for report in reports:
        # The addressee named in the report, or the school whose programme it is.
        school = report.school or owner
        if school is not None and user.has_perm("coaching.view_selfanalysis", school):
            schools[report.pk] = school
    if not schools:
        return {}
    threads = selectors.report_threads(list(schools))
    return {
        pk: {
            "thread": threads[pk],
            "can_comment": user.has_perm("coaching.comment_school", school),
            "comment_url": reverse("coaching:report_comment", args=[pk]),
            "report_pk": pk,
        }
        for pk, school in schools.items()
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
