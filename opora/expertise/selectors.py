"""Reads of criteria sets and expertises that depend on who asks (scoped querysets), and what
the current user may see and do on an expertise's pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from opora.accounts.models import Role, User
from opora.accounts.scopes import can_write_region
from opora.expertise.models import (
    CriteriaSet,
    Criterion,
    CriterionGroup,
    ExpertAssignment,
    Expertise,
    ExpertiseStatus,
    Score,
)
from opora.roadmaps.models import Roadmap
from opora.roadmaps.selectors import roadmaps_for


def criteria_sets() -> QuerySet[CriteriaSet]:
    """All criteria sets with their counts (criteria are public: the region publishes them)."""
    return CriteriaSet.objects.annotate(
        criteria_count=Count("groups__criteria", distinct=True),
        expertise_count=Count("expertises", distinct=True),
    ).order_by("-year", "purpose", "name")


def groups_of(criteria_set: CriteriaSet) -> list[CriterionGroup]:
    """Groups of a set with their criteria, in order (two queries)."""
    return list(
        criteria_set.groups.order_by("order", "pk").prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk"))
        )
    )


def is_locked(criteria_set: CriteriaSet) -> bool:
    """A set used by an expertise keeps its criteria as they were scored: copy it to change."""
    return criteria_set.expertises.exists()


def experts() -> QuerySet[User]:
    """Users who may be assigned as experts."""
    return User.objects.filter(role=Role.EXPERT, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def sees_own_only(user) -> bool:
    """An expert sees the expertises assigned to it («Мои экспертизы»)."""
    return user.role == Role.EXPERT


def expertises_for(user) -> QuerySet[Expertise]:
    """The region and the operator: all; an expert: assigned ones; others: of visible roadmaps."""
    qs = Expertise.objects.select_related(
        "roadmap__municipality", "roadmap__school", "criteria_set"
    )
    if can_write_region(user):
        return qs
    if user.role == Role.EXPERT:
        return qs.filter(assignments__expert=user)
    return qs.filter(roadmap__in=roadmaps_for(user).values("pk"))


def expertise_list(user, *, status: str = "", year: int | None = None) -> QuerySet[Expertise]:
    qs = expertises_for(user).annotate(
        assigned=Count("assignments", distinct=True),
        submitted=Count(
            "assignments", filter=Q(assignments__submitted_at__isnull=False), distinct=True
        ),
    )
    if user.role == Role.EXPERT:
        qs = qs.annotate(
            my_submitted=Count(
                "assignments",
                filter=Q(assignments__expert=user, assignments__submitted_at__isnull=False),
                distinct=True,
            ),
            # Distinct: the join with the criteria below would count each score once a criterion.
            my_scored=Count(
                "assignments__scores", filter=Q(assignments__expert=user), distinct=True
            ),
            criteria_total=Count("criteria_set__groups__criteria", distinct=True),
        )
    if status in ExpertiseStatus.values:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(criteria_set__year=year)
    return qs.order_by("status", "-created_at")


def expertise_for(user, pk) -> Expertise | None:
    expertise = expertises_for(user).filter(pk=pk).first()
    if expertise is None or not user.has_perm("expertise.view_expertise", expertise):
        return None
    return expertise


def roadmaps_for_expertise(user) -> QuerySet[Roadmap]:
    """Roadmaps an expertise may be created for: municipal and school ones, not archived."""
    return (
        roadmaps_for(user)
        .filter(level__in=["municipality", "school"])
        .exclude(status="archived")
        .order_by("-period_start", "title")
    )


def my_assignment(user, expertise: Expertise) -> ExpertAssignment | None:
    from opora.expertise.rules import assignment_of

    return assignment_of(user, expertise)


def with_everything(qs: QuerySet[Expertise]) -> QuerySet[Expertise]:
    """Prefetch what :func:`consolidate` reads: five queries whatever the number of expertises."""
    return qs.select_related(
        "roadmap__municipality", "roadmap__school", "criteria_set"
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=ExpertAssignment.objects.select_related("expert").order_by("pk"),
        ),
        "assignments__scores",
        Prefetch(
            "criteria_set__groups",
            queryset=CriterionGroup.objects.order_by("order", "pk").prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk"))
            ),
        ),
    )


def load_for_view(expertise: Expertise) -> Expertise:
    """The same expertise with everything :func:`consolidate` reads prefetched."""
    return with_everything(Expertise.objects.filter(pk=expertise.pk)).get()


@dataclass
class Access:
    """What the current user may see and do on an expertise's pages."""

    manage: bool
    assignment: ExpertAssignment | None
    can_score: bool
    see_scores: bool
    see_drafts: bool
    see_conclusion: bool


def access_of(user, expertise: Expertise) -> Access:
    manage = user.has_perm("expertise.manage_expertise", expertise)
    return Access(
        manage=manage,
        assignment=my_assignment(user, expertise),
        can_score=user.has_perm("expertise.score_expertise", expertise),
        see_scores=user.has_perm("expertise.view_expertise_scores", expertise),
        see_drafts=manage and expertise.status == ExpertiseStatus.OPEN,
        see_conclusion=user.has_perm("expertise.view_expertise_conclusion", expertise),
    )


@dataclass
class WorkRow:
    number: str
    criterion: Criterion
    score: Score | None


def workspace_rows(assignment: ExpertAssignment) -> list[tuple[CriterionGroup, list[WorkRow]]]:
    """An expert's own scores, criterion by criterion (three queries)."""
    mine = {s.criterion_id: s for s in assignment.scores.all()}
    result = []
    for g_index, group in enumerate(groups_of(assignment.expertise.criteria_set), start=1):
        rows = [
            WorkRow(f"{g_index}.{c_index}", c, mine.get(c.pk))
            for c_index, c in enumerate(group.criteria.all(), start=1)
        ]
        result.append((group, rows))
    return result


def period_expertises(user, year: int) -> QuerySet[Expertise]:
    """Closed expertises whose criteria are of ``year`` (what the analytical report covers)."""
    return with_everything(
        expertises_for(user).filter(criteria_set__year=year, status=ExpertiseStatus.CLOSED)
    ).order_by("roadmap__municipality__name", "roadmap__title", "pk")


#: The roadmap states in which the pre-check is shown on the roadmap page: before approval.
PRECHECK_BEFORE = ("draft", "returned", "submitted")


def precheck_panel(user, roadmap: Roadmap) -> dict | None:
    """The roadmap page's pre-check card (``roadmaps`` RoadmapPanel): a municipal or school
    roadmap not yet approved, for whoever may read it — the author before sending it, the
    reviewer before approving it (issue 16: «approval runs the automatic pre-check first»).

    The roadmap page shows the card at once and fills it by a second request
    (``precheck_card_data``, the view ``expertise:precheck_card``): the pre-check of a roadmap
    of 500 events takes longer than the rest of its page (bench/roadmaps.py)."""
    if roadmap.level == "region" or roadmap.status not in PRECHECK_BEFORE:
        return None
    if not user.has_perm("expertise.view_precheck", roadmap):
        return None
    return {
        "roadmap": roadmap,
        "lazy": True,
        "for_reviewer": roadmap.status == "submitted"
        and user.has_perm("roadmaps.review_roadmap", roadmap),
    }


def precheck_card_data(user, roadmap: Roadmap) -> dict | None:
    """The pre-check card, filled: ``precheck_panel`` with the pre-check itself."""
    from opora.expertise.precheck import precheck_roadmap

    data = precheck_panel(user, roadmap)
    if data is None:
        return None
    return {**data, "lazy": False, "precheck": precheck_roadmap(roadmap)}


def municipality_card(user, municipality) -> dict | None:
    """The municipality page's card (issue 16): the expertises of its roadmaps and of its
    schools' roadmaps, newest first. None when the user sees none."""
    expertises = list(
        expertises_for(user)
        .filter(
            Q(roadmap__municipality=municipality) | Q(roadmap__school__municipality=municipality)
        )
        .distinct()
        .order_by("-created_at", "-pk")[:10]
    )
    return {"expertises": expertises} if expertises else None


def school_card(user, school) -> dict | None:
    """The school page's card: the expertises of the school's own roadmaps."""
    expertises = list(
        expertises_for(user).filter(roadmap__school=school).order_by("-created_at", "-pk")[:10]
    )
    return {"expertises": expertises} if expertises else None


#: Expertises on the expert's home card; the rest are on «Экспертизы программ».
HOME_EXPERTISES = 8


def home_panel(user) -> dict | None:
    """The expert's home card (issue 16): its expertises, open ones first, with how far its
    own scores are; None to anyone else."""
    if not sees_own_only(user):
        return None
    # Open before closed, the nearest due date first.
    expertises = expertise_list(user).order_by("-status", "due_date", "-created_at")
    rows = list(expertises[:HOME_EXPERTISES])
    total = len(rows) if len(rows) < HOME_EXPERTISES else expertises.count()
    return {"expertises": rows, "total": total, "more": total - len(rows)}
