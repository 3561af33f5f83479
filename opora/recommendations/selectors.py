"""Reads of recommendations that depend on who asks: the tracker, the catalogue, overdue ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.core.russian.matcher import group_by_meaning
from opora.recommendations.catalogue import recommendation_key
from opora.recommendations.models import (
    Recommendation,
    RecommendationStatus,
    RecommendationTemplate,
)
from opora.registry.models import Municipality
from opora.roadmaps.models import (
    FINISHED,
    EventPeriod,
    ProgressReport,
    ReviewState,
    RoadmapEvent,
    RoadmapStatus,
)

OPEN_STATES = (RecommendationStatus.OPEN, RecommendationStatus.IN_WORK)


def catalogue(user, q: str = "") -> QuerySet[RecommendationTemplate]:
    """The catalogue with how many municipalities got each recommendation, most repeated first.

    The catalogue is region-wide knowledge (it names every municipality's advice), so only
    those who see the whole region read it.
    """
    if not scope_for(user).everything:
        return RecommendationTemplate.objects.none()
    qs = RecommendationTemplate.objects.annotate(
        municipality_count=Count("uses__municipality", distinct=True),
        use_count=Count("uses", distinct=True),
    )
    for word in recommendation_key(q).split():
        qs = qs.filter(key__contains=word)
    return qs.order_by("-municipality_count", "text")


@dataclass
class CatalogueGroup:
    """Catalogue entries that give the same advice in other words, headed by the most given."""

    head: RecommendationTemplate
    members: list[RecommendationTemplate]
    municipality_count: int
    use_count: int

    @property
    def variants(self) -> list[RecommendationTemplate]:
        return self.members[1:]


def catalogue_groups(user, q: str = "", limit: int = 500) -> list[CatalogueGroup]:
    """The catalogue grouped by meaning (the one meaning matcher,
    :func:`opora.core.russian.matcher.group_by_meaning`): «использовать региональные конкурсы
    … в качестве механизма …» and «… как механизмы … с акцентом на молодых педагогов» are one
    advice given to all their municipalities together. Groups most given first; two queries.
    """
    templates = list(catalogue(user, q)[:limit])
    if not templates:
        return []
    municipalities: dict[int, set[int]] = {t.pk: set() for t in templates}
    for template_id, municipality_id in Recommendation.objects.filter(
        template_id__in=list(municipalities)
    ).values_list("template_id", "municipality_id"):
        municipalities[template_id].add(municipality_id)
    groups = []
    for indexes in group_by_meaning([t.text for t in templates]):
        members = [templates[i] for i in indexes]
        groups.append(
            CatalogueGroup(
                head=members[0],
                members=members,
                municipality_count=len(set().union(*(municipalities[t.pk] for t in members))),
                use_count=sum(t.use_count for t in members),
            )
        )
    groups.sort(key=lambda g: (-g.municipality_count, g.head.text))
    return groups


def events_for_municipality(municipality_id: int) -> QuerySet[RoadmapEvent]:
    """Events that may carry out a municipality's recommendation: its municipal roadmaps and
    its schools' roadmaps, archived ones aside."""
    return (
        RoadmapEvent.objects.filter(
            Q(roadmap__municipality_id=municipality_id)
            | Q(roadmap__school__municipality_id=municipality_id)
        )
        .exclude(roadmap__status=RoadmapStatus.ARCHIVED)
        .select_related("roadmap__municipality", "roadmap__school", "section")
        .order_by("-roadmap__period_start", "roadmap_id", "order")
    )


def recommendations_for(user) -> QuerySet[Recommendation]:
    """Recommendations of the user's municipalities (all for the region-wide roles); a school
    has those addressed to it."""
    if not user.is_authenticated:
        return Recommendation.objects.none()
    if user.role == Role.SCHOOL:
        if not user.school_id:
            return Recommendation.objects.none()
        return Recommendation.objects.filter(school_id=user.school_id)
    scope = scope_for(user)
    if scope.everything:
        return Recommendation.objects.all()
    return Recommendation.objects.filter(municipality_id__in=scope.municipality_ids)


def municipalities_with_recommendations(user) -> QuerySet[Municipality]:
    return Municipality.objects.filter(
        pk__in=recommendations_for(user).values("municipality_id")
    ).order_by("name")


def _event_finished_q() -> Q:
    """An event is done when it is cancelled, when all its reporting periods are finished, or
    — having no periods — when its own latest accepted-or-pending report says so."""
    periods = EventPeriod.objects.filter(event=OuterRef("pk"))
    open_periods = periods.exclude(status__in=FINISHED)
    done_reports = ProgressReport.objects.filter(
        event=OuterRef("pk"),
        status__in=FINISHED,
        school__isnull=True,
        municipality__isnull=True,
        curator__isnull=True,
    ).exclude(review_state=ReviewState.RETURNED)
    return (
        Q(is_cancelled=True)
        | (Q(Exists(periods)) & ~Q(Exists(open_periods)))
        | (~Q(Exists(periods)) & Q(Exists(done_reports)))
    )


def _with_tracking(qs: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Annotate overdue, «можно закрыть» and how many municipalities share the advice."""
    today = timezone.localdate()
    links = Recommendation.events.through.objects.filter(recommendation_id=OuterRef("pk"))
    unfinished = RoadmapEvent.objects.filter(recommendations=OuterRef("pk")).exclude(
        _event_finished_q()
    )
    repeats = (
        Recommendation.objects.filter(template_id=OuterRef("template_id"))
        .order_by()
        .values("template_id")
        .annotate(n=Count("municipality_id", distinct=True))
        .values("n")[:1]
    )
    return qs.annotate(
        is_overdue=ExpressionWrapper(
            Q(due_date__lt=today, status__in=OPEN_STATES), output_field=BooleanField()
        ),
        closable=ExpressionWrapper(
            Q(Exists(links)) & ~Q(Exists(unfinished)) & Q(status__in=OPEN_STATES),
            output_field=BooleanField(),
        ),
        repeats=Coalesce(Subquery(repeats, output_field=IntegerField()), Value(1)),
    )


@dataclass(frozen=True)
class GivingProtocol:
    """An interview protocol that gave recommendations: a choice of the tracker's filter."""

    pk: int
    title: str
    document_date: date | None


def giving_protocols(user) -> list[GivingProtocol]:
    """The interview protocols that gave the recommendations the user sees, the newest first.

    Read through the recommendations' own key, so the tracker needs nothing of ``interviews``
    (the layer above it) to offer them."""
    rows = (
        recommendations_for(user)
        .filter(interview__isnull=False)
        .values_list(
            "interview__protocol_id",
            "interview__protocol__title",
            "interview__protocol__document_date",
            "interview__protocol__created_at",
        )
        .distinct()
        .order_by("-interview__protocol__created_at", "-interview__protocol_id")
    )
    return [GivingProtocol(pk, title, when) for pk, title, when, _ in rows]


@dataclass
class RecommendationFilter:
    municipality: int | None = None
    status: str = ""
    overdue: bool = False
    closable: bool = False
    protocol: int | None = None
    q: str = ""


def recommendation_list(user, f: RecommendationFilter | None = None) -> QuerySet[Recommendation]:
    """The tracker: the user's recommendations, filtered, with their events in two queries."""
    f = f or RecommendationFilter()
    qs = _with_tracking(recommendations_for(user))
    if f.municipality:
        qs = qs.filter(municipality_id=f.municipality)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(due_date__lt=timezone.localdate(), status__in=OPEN_STATES)
    if f.closable:
        qs = qs.filter(closable=True)
    if f.protocol:
        qs = qs.filter(interview__protocol_id=f.protocol)
    for word in recommendation_key(f.q).split():
        qs = qs.filter(Q(template__key__contains=word) | Q(text__icontains=word))
    return (
        qs.select_related("municipality", "interview__protocol")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=RoadmapEvent.objects.select_related("roadmap").order_by(
                    "roadmap_id", "order"
                ),
            )
        )
        .order_by("municipality__name", "interview__date", "interview_id", "order", "pk")
    )


def recommendation_for(user, pk: int) -> Recommendation | None:
    return (
        _with_tracking(recommendations_for(user))
        .select_related("municipality", "school", "interview__protocol", "template")
        .filter(pk=pk)
        .first()
    )


def overdue_recommendations(user) -> QuerySet[Recommendation]:
    """Open or in-work recommendations past their due date, within the user's scope, the
    longest overdue first. The dashboards of the region and of a municipality count them."""
    return (
        recommendations_for(user)
        .filter(due_date__lt=timezone.localdate(), status__in=OPEN_STATES)
        .select_related("municipality")
        .order_by("due_date", "municipality__name", "order", "pk")
    )


def overdue_widget(user, limit: int = 5) -> dict:
    """Context of ``recommendations/_overdue_widget.html``: the count and the oldest few (counted
    apart only when the few may not be all)."""
    qs = overdue_recommendations(user)
    items = list(qs[: limit + 1])
    count = len(items) if len(items) <= limit else qs.count()
    return {"count": count, "items": items[:limit]}


def linked_events(recommendation: Recommendation) -> list[RoadmapEvent]:
    """The events carrying the recommendation out, each with ``finished`` and its periods."""
    return list(
        recommendation.events.select_related("roadmap__municipality", "roadmap__school")
        .annotate(
            finished=ExpressionWrapper(_event_finished_q(), output_field=BooleanField()),
            period_count=Count("periods", distinct=True),
            finished_periods=Count(
                "periods", filter=Q(periods__status__in=FINISHED), distinct=True
            ),
        )
        .order_by("roadmap_id", "order")
    )


def closing_record(recommendation: Recommendation):
    """The history record of the closing (who and when), or None when it is not closed."""
    if recommendation.status != RecommendationStatus.DONE or recommendation.closed_at is None:
        return None
    return (
        recommendation.history.filter(
            status=RecommendationStatus.DONE, history_date__gte=recommendation.closed_at
        )
        .select_related("history_user")
        .order_by("history_date")
        .first()
    )


def home_panel(user) -> dict | None:
    """The home page's card of overdue recommendations, for who sees the tracker (region-wide
    roles, curators and municipalities)."""
    if not user.has_perm("recommendations.view_tracker"):  # schools, teachers
        return None
    return {"overdue": overdue_widget(user)}


def municipality_card(user, municipality) -> dict | None:
    """The municipality page's card (issue 16): how many of its recommendations are open,
    overdue, done, the nearest open ones, and a link to the tracker filtered by it. None for
    those who see no recommendations (schools)."""
    if not user.has_perm("recommendations.view_tracker"):
        return None
    today = timezone.localdate()
    mine = recommendations_for(user).filter(municipality=municipality)
    counts = mine.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATES, due_date__lt=today)),
        done=Count("pk", filter=Q(status=RecommendationStatus.DONE)),
    )
    nearest = mine.filter(status__in=OPEN_STATES).order_by("due_date", "order", "pk")[:5]
    return {"municipality": municipality, "today": today, "nearest": list(nearest), **counts}


def school_card(user, school) -> dict | None:
    """The school page's card (issue 16): the recommendations given to the school (a curator's
    visit, an expertise), how many are open, overdue, done, the nearest open ones, each linking
    to its page. None when the school has none the user may see."""
    today = timezone.localdate()
    mine = recommendations_for(user).filter(school=school)
    counts = mine.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATES, due_date__lt=today)),
        done=Count("pk", filter=Q(status=RecommendationStatus.DONE)),
    )
    if not counts["total"]:
        return None
    nearest = mine.filter(status__in=OPEN_STATES).order_by("due_date", "order", "pk")[:5]
    return {"school": school, "today": today, "nearest": list(nearest), **counts}


def event_card(user, event) -> dict | None:
    """The event page's card (issue 16): the recommendations the event answers, each linking
    to its page (where events are linked and unlinked). None when it answers none the user
    may see."""
    answered = list(
        recommendations_for(user)
        .filter(events=event)
        .select_related("municipality", "school")
        .order_by("due_date", "order", "pk")
    )
    linkable = linkable_for_event(user, event)
    if not answered and not linkable:
        return None
    today = timezone.localdate()
    for r in answered:
        r.overdue = r.status in OPEN_STATES and r.due_date is not None and r.due_date < today
        r.unlinkable = user.has_perm("recommendations.track_recommendation", r)
    return {"answered": answered, "linkable": linkable, "event": event}


#: The most open recommendations offered for linking on an event's page.
LINKABLE_LIMIT = 100


def linkable_for_event(user, event) -> list[Recommendation]:
    """Open recommendations the event may answer and ``user`` may link to it, from the event's
    page (seed 000 asks municipalities to «дополнить дорожную карту разделом …»): those of the
    municipality whose roadmap (or whose school's roadmap) holds the event — the rule of
    ``services.link_event`` — not linked yet. None for a regional or archived roadmap."""
    roadmap = event.roadmap
    if roadmap.status == RoadmapStatus.ARCHIVED:
        return []
    municipality_id = roadmap.municipality_id or (
        roadmap.school.municipality_id if roadmap.school_id else None
    )
    if municipality_id is None:
        return []
    candidates = (
        recommendations_for(user)
        .filter(municipality_id=municipality_id, status__in=OPEN_STATES)
        .exclude(events=event)
        .select_related("school")
        .order_by("due_date", "order", "pk")[:LINKABLE_LIMIT]
    )
    return [r for r in candidates if user.has_perm("recommendations.track_recommendation", r)]
