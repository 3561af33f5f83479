"""Information support: every read that depends on who asks (scoped by ``accounts.scopes``)
and the open page's reads, which depend on nobody: only what the region published."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from opora.accounts.scopes import scope_for
from opora.core.russian.dates import month_title
from opora.information.models import (
    LinkStatus,
    Material,
    MaterialKind,
    MaterialLink,
    NewsItem,
    OrgLevel,
    SiteSection,
)
from opora.information.search import matching
from opora.recommendations.selectors import recommendations_for
from opora.registry.models import School, SchoolStatus
from opora.registry.selectors import municipalities_for
from opora.roadmaps.models import EventExecutor, RoadmapEvent
from opora.roadmaps.selectors import approved_roadmaps, roadmaps_for

#: Seed 003, event 13: «Размещено не менее 2 новостей в месяц на официальных сайтах МОУО и
#: образовательных организаций».
NEWS_TARGET = 2
TARGET_TEXT = "не менее 2 новостей в месяц на официальных сайтах МОУО и образовательных организаций"


def _owned_q(user) -> Q:
    """Rows of the region (everyone's), and of municipalities and schools in the scope."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    return (
        Q(level=OrgLevel.REGION)
        | Q(municipality_id__in=scope.municipality_ids)
        | Q(school_id__in=scope.school_ids)
    )


def news_for(user) -> QuerySet[NewsItem]:
    if not user.is_authenticated:
        return NewsItem.objects.none()
    return NewsItem.objects.filter(_owned_q(user)).select_related("municipality", "school")


def news_of_month(user, year: int, month: int) -> QuerySet[NewsItem]:
    return news_for(user).filter(published_on__year=year, published_on__month=month)


def sections_for(user) -> QuerySet[SiteSection]:
    if not user.is_authenticated:
        return SiteSection.objects.none()
    return SiteSection.objects.filter(_owned_q(user)).select_related("municipality", "school")


@dataclass
class OrgRow:
    """One organisation's month: its news against the target and its site section."""

    level: str
    label: str
    municipality_id: int | None = None
    school_id: int | None = None
    news: int = 0
    section: SiteSection | None = None
    schools: list[OrgRow] = field(default_factory=list)

    @property
    def is_region(self) -> bool:
        return self.level == OrgLevel.REGION

    @property
    def is_municipality(self) -> bool:
        return self.level == OrgLevel.MUNICIPALITY

    @property
    def is_school(self) -> bool:
        return self.level == OrgLevel.SCHOOL

    @property
    def is_group(self) -> bool:
        return self.is_region or self.is_municipality

    @property
    def met(self) -> bool:
        return self.news >= NEWS_TARGET

    @property
    def schools_below(self) -> int:
        return sum(1 for s in self.schools if not s.met)


@dataclass
class MonthBoard:
    year: int
    month: int
    title: str
    region: OrgRow | None
    municipalities: list[OrgRow]
    target: int = NEWS_TARGET
    target_text: str = TARGET_TEXT

    @property
    def rows(self) -> list[OrgRow]:
        found = [self.region] if self.region else []
        for m in self.municipalities:
            found.append(m)
            found.extend(m.schools)
        return found

    @property
    def judged(self) -> list[OrgRow]:
        """The rows held to the target (a heading of another's municipality is not)."""
        return [row for row in self.rows if row.level]

    @property
    def below(self) -> list[OrgRow]:
        return [row for row in self.judged if not row.met]

    @property
    def met_count(self) -> int:
        return sum(1 for row in self.judged if row.met)


def _listed_schools(user, year: int) -> QuerySet[School]:
    """Schools of this year's lists within the scope, and the user's own school."""
    listed = Exists(SchoolStatus.objects.filter(school=OuterRef("pk"), year=year))
    qs = School.objects.filter(is_active=True).filter(
        Q(listed) | Q(pk=getattr(user, "school_id", None) or 0)
    )
    return scope_for(user).schools(qs).order_by("number", "short_name")


def month_board(user, year: int, month: int) -> MonthBoard:
    """Each organisation in the scope with its news of the month against «не менее 2 в месяц»,
    grouped by municipality. Four queries whatever the number of organisations."""
    scope = scope_for(user)
    counts = {
        (r["level"], r["municipality_id"], r["school_id"]): r["n"]
        for r in news_of_month(user, year, month)
        .order_by()
        .values("level", "municipality_id", "school_id")
        .annotate(n=Count("pk"))
    }
    sections = {(s.level, s.municipality_id, s.school_id): s for s in sections_for(user)}
    region = None
    if scope.everything:
        region = OrgRow(
            OrgLevel.REGION, "Регион", news=counts.get((OrgLevel.REGION, None, None), 0)
        )
    by_municipality: dict[int, OrgRow] = {}
    for m in municipalities_for(user, with_counts=False):
        if not scope.covers_municipality(m.pk):
            continue
        key = (OrgLevel.MUNICIPALITY, m.pk, None)
        by_municipality[m.pk] = OrgRow(
            OrgLevel.MUNICIPALITY, m.name, m.pk, news=counts.get(key, 0), section=sections.get(key)
        )
    for school in _listed_schools(user, year).select_related("municipality"):
        key = (OrgLevel.SCHOOL, school.municipality_id, school.pk)
        row = OrgRow(
            OrgLevel.SCHOOL,
            school.short_name,
            school.municipality_id,
            school.pk,
            news=counts.get(key, 0),
            section=sections.get(key),
        )
        parent = by_municipality.get(school.municipality_id)
        if parent is None:  # a school user, or a curator's single school
            parent = by_municipality[school.municipality_id] = OrgRow(
                OrgLevel.MUNICIPALITY, school.municipality.name, school.municipality_id
            )
            parent.level = ""  # shown as a heading only: not the user's to judge
        parent.schools.append(row)
    return MonthBoard(year, month, month_title(year, month), region, list(by_municipality.values()))


def this_month() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, today.month


def broken_sections_for(user) -> QuerySet[SiteSection]:
    """The user's own organisation's section when its link does not open (for «Ждут меня»)."""
    if not user.is_authenticated:
        return SiteSection.objects.none()
    if getattr(user, "school_id", None) and user.role == "school":
        own = Q(school_id=user.school_id)
    elif getattr(user, "municipality_id", None) and user.role == "municipal":
        own = Q(level=OrgLevel.MUNICIPALITY, municipality_id=user.municipality_id)
    else:
        return SiteSection.objects.none()
    return SiteSection.objects.filter(own, status=LinkStatus.BROKEN)


# The library ---------------------------------------------------------------------------


def materials_for(user) -> QuerySet[Material]:
    """The region's materials for everyone signed in; a municipality's within the scope."""
    if not user.is_authenticated:
        return Material.objects.none()
    qs = Material.objects.select_related("municipality")
    scope = scope_for(user)
    if scope.everything:
        return qs
    return qs.filter(
        Q(municipality__isnull=True) | Q(municipality_id__in=scope.visible_municipality_ids())
    )


@dataclass
class LibraryFilter:
    q: str = ""
    kind: str = ""
    tag: str = ""


def library(user, f: LibraryFilter) -> QuerySet[Material]:
    qs = materials_for(user)
    if f.q.strip():
        qs = qs.filter(matching(f.q))
    if f.kind in MaterialKind.values:
        qs = qs.filter(kind=f.kind)
    if f.tag:
        qs = qs.filter(tag_text__contains=f"|{' '.join(f.tag.split()).lower()}|")
    return qs.order_by("-published_at", "-pk")


def tags_of(materials) -> list[str]:
    return sorted({t for m in materials for t in m.tags})


def material_for(user, pk: int) -> Material | None:
    return materials_for(user).filter(pk=pk).first()


@dataclass
class MaterialLinks:
    events: list[MaterialLink]
    recommendations: list[MaterialLink]


def links_of(user, material: Material) -> MaterialLinks:
    """The material's links to what the user may see: events of roadmaps in the scope and the
    scope's recommendations (a link to a foreign event is not shown)."""
    qs = material.links.select_related("event__roadmap", "recommendation__municipality")
    events = qs.filter(event__roadmap__in=roadmaps_for(user).values("pk"))
    recommendations = qs.filter(recommendation__in=recommendations_for(user).values("pk"))
    return MaterialLinks(list(events), list(recommendations))


def recommendation_choices(user, limit: int = 300):
    return recommendations_for(user).select_related("municipality").order_by("-pk")[:limit]


def roadmap_panel(user, roadmap) -> dict | None:
    """The roadmap page's card: materials named for its events; a form to name one."""
    links = (
        MaterialLink.objects.filter(
            event__roadmap=roadmap, material__in=materials_for(user).values("pk")
        )
        .select_related("material", "event")
        .order_by("event__order", "pk")
    )
    can_link = user.has_perm("roadmaps.change_roadmap", roadmap) or user.has_perm(
        "information.add_material"
    )
    links = list(links)
    if not links and not can_link:
        return None
    return {
        "back": reverse("roadmaps:detail", args=[roadmap.pk]),
        "links": links,
        "can_link": can_link,
        "materials": list(materials_for(user).select_related(None).only("pk", "title")[:300])
        if can_link
        else [],
        "events": list(roadmap.events.filter(is_cancelled=False).only("pk", "number", "text"))
        if can_link
        else [],
    }


# The programme's open page ------------------------------------------------------------


def public_news(limit: int = 30) -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(is_public=True).select_related("municipality", "school")[:limit]


def public_materials() -> QuerySet[Material]:
    return Material.objects.filter(is_public=True).select_related("municipality")


def public_material(pk: int) -> Material | None:
    return public_materials().filter(pk=pk).first()


def public_roadmaps() -> QuerySet:
    return approved_roadmaps().order_by("level", "-period_start", "title")


def public_roadmap(pk: int):
    return approved_roadmaps().filter(pk=pk).prefetch_related("sections").first()


def public_events(roadmap) -> QuerySet[RoadmapEvent]:
    """The roadmap's events as approved: the text, the deadline, the indicator and the
    evidence; of the executors only organisations and roles (``public_executors``) — a name
    written in the executors' cell is never shown."""
    known = EventExecutor.objects.filter(
        Q(organisation__isnull=False) | ~Q(role="")
    ).select_related("organisation")
    return (
        roadmap.events.filter(is_cancelled=False)
        .select_related("section")
        .prefetch_related(Prefetch("executors", queryset=known, to_attr="public_executors"))
        .only(
            "pk",
            "number",
            "text",
            "deadline_text",
            "indicator_text",
            "evidence_text",
            "section__title",
            "section__order",
            "order",
            "roadmap_id",
            "section_id",
        )  # fmt: skip
        .order_by("section__order", "order")
    )
