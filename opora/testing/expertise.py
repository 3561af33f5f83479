"""Builders of the expertise tests that other tests need too: the Kargasok roadmap of seed 002,
the starting criteria, recommendations to check a roadmap against, scores, a synthetic period."""

from __future__ import annotations

from datetime import UTC, date, datetime

from opora.expertise import services as svc
from opora.expertise.defaults import ensure_default_sets
from opora.expertise.models import (
    CriteriaPurpose,
    Criterion,
    ExpertAssignment,
    Expertise,
    Score,
)
from opora.recommendations.models import Recommendation, RecommendationStatus
from opora.roadmaps.importing import apply_roadmap_import, plan_roadmap_import
from opora.roadmaps.models import Roadmap
from opora.roadmaps.table_reader import read_roadmap
from opora.testing import shared_dir
from opora.testing.factories import MunicipalityFactory

CONTINUITY = (
    "организовать мероприятия (КПК, семинары) по преемственности между уровнями начального "
    "общего и основного общего образования"
)


MENTORING = "организовать работу по наставничеству с посещением уроков"


PART_TIME = (
    "добавить в муниципальную дорожную карту раздел с мероприятиями, направленными на "
    "уменьшение коэффициента совместительства педагогов"
)


def import_kargasok(world) -> Roadmap:
    """The Kargasok roadmap of seed 002, imported as its municipality would import it."""
    parsed = read_roadmap(shared_dir() / "samples" / "002_kargasok_roadmap_2020.docx")
    return apply_roadmap_import(
        world.users.municipal,
        plan_roadmap_import(parsed, (date(2020, 1, 1), date(2021, 12, 31)), world.home),
        level="municipality",
        title="",
        municipality=world.home,
        source_name="002_kargasok_roadmap_2020.docx",
    )


def municipal_set(year: int = 2026):
    sets = ensure_default_sets(year)
    return next(s for s in sets if s.purpose == CriteriaPurpose.MUNICIPAL_EXPERTISE)


def recommend(municipality, *texts, status=RecommendationStatus.OPEN):
    return [
        Recommendation.objects.create(municipality=municipality, order=i, text=t, status=status)
        for i, t in enumerate(texts, start=1)
    ]


def criteria(cs):
    return list(Criterion.objects.filter(group__criteria_set=cs).order_by("group__order", "order"))


def score_all(user, expertise, values, comment=""):
    for criterion, value in zip(criteria(expertise.criteria_set), values, strict=True):
        svc.save_score(user, expertise, criterion, value=value, comment=comment)


def synthetic_period(people, count: int, year: int = 2023) -> list[Expertise]:
    """``count`` closed expertises of synthetic municipal roadmaps (labelled as such)."""
    import random

    sets = ensure_default_sets(year)
    cs = next(s for s in sets if s.purpose == CriteriaPurpose.MUNICIPAL_EXPERTISE)
    items = criteria(cs)
    rng = random.Random(17)
    result = []
    for i in range(count):
        municipality = MunicipalityFactory(name=f"Синтетический район {i + 1}")
        roadmap = Roadmap.objects.create(
            level="municipality",
            municipality=municipality,
            title=f"Синтетическая дорожная карта {i + 1}",
            period_start=datetime(year, 1, 1).date(),
            period_end=datetime(year, 12, 31).date(),
        )
        e = Expertise.objects.create(
            roadmap=roadmap,
            criteria_set=cs,
            status="closed",
            conclusion="Синтетическое заключение",
            closed_at=datetime(year, 5, 1, tzinfo=UTC),
        )
        for expert in (people["expert"], people["expert2"]):
            a = ExpertAssignment.objects.create(
                expertise=e, expert=expert, submitted_at=datetime(year, 4, 20, tzinfo=UTC)
            )
            Score.objects.bulk_create(
                Score(
                    assignment=a,
                    criterion=c,
                    value=rng.randint(0, c.scale_max) if k % 3 else 0,
                    comment="",
                )
                for k, c in enumerate(items)
            )
        result.append(e)
    return result
