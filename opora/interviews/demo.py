"""Demo data of the interviews (idempotent): the June 2020 protocol of seed 000, and this
year's round.

The real protocol is imported as the region would import it; its recommendations were worked on
and closed in the years since (``recommendations.demo``). This year's round — interviews two
months ago, recommendations due from three weeks ago to six weeks ahead — is what the region,
the municipalities and their curators follow up now: some overdue, some due within two weeks.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from opora.accounts.models import Role, User
from opora.interviews import services as interviews
from opora.interviews.importing import apply_protocol_import, plan_protocol_import
from opora.interviews.models import InterviewProtocol
from opora.interviews.readers import protocol_file
from opora.recommendations import demo as recommendation_demo
from opora.recommendations import services as recommendation_services
from opora.recommendations.models import Recommendation, RecommendationStatus
from opora.registry.models import Municipality

FILES = Path(__file__).resolve().parent / "demo_files"


SAMPLE = "000_interview_protocol_2020.docx"


log = logging.getLogger(__name__)


def load(year: int) -> None:
    """Import the sample protocol once; a second run changes nothing."""
    if InterviewProtocol.objects.filter(source_name=SAMPLE).exists():
        return
    region = _region()
    if region is None:
        return
    _seed_protocol(region)
    _this_year(region, year)


def _region():
    return (
        User.objects.filter(username="region").first()
        or User.objects.filter(role=Role.REGION, is_active=True).order_by("pk").first()
    )


def _seed_protocol(region) -> None:
    file = protocol_file.read_protocol_file((FILES / SAMPLE).read_bytes())
    plan = plan_protocol_import(file, Municipality.objects.all())
    if plan.unmatched:
        log.warning(
            "Демо протокола собеседований пропущено: не найдены в реестре %s",
            ", ".join(b.written for b in plan.unmatched),
        )
        return
    protocol = apply_protocol_import(
        region,
        plan,
        municipalities=[b.municipality for b in plan.blocks],
        revision_due=file.cover.revision_due,
        source_name=SAMPLE,
    )
    recommendation_demo.track(Recommendation.objects.filter(interview__protocol=protocol), region)


#: This year's round: (municipality, recommendation, due in days from today — negative is
#: overdue, status, confirmation).
ROUND = [
    (
        "Каргасокский район",
        "дополнить дорожную карту разделом о работе с педагогическими кадрами "
        "(наставничество, КПК по работе с образовательными результатами)",
        -21,
        RecommendationStatus.OPEN,
        "",
    ),
    (
        "Каргасокский район",
        "организовать сетевое взаимодействие школ с низкими результатами со школами-партнёрами",
        9,
        RecommendationStatus.IN_WORK,
        "",
    ),
    (
        "Каргасокский район",
        "провести анализ результатов ВПР по каждой школе из списка ШНОР и представить его "
        "в ТОИПКРО",
        40,
        RecommendationStatus.OPEN,
        "",
    ),
    (
        "Город Томск",
        "обеспечить участие педагогов школ из списка ШНОР в курсах повышения квалификации "
        "по формированию функциональной грамотности",
        -12,
        RecommendationStatus.IN_WORK,
        "",
    ),
    (
        "Город Томск",
        "включить в муниципальную дорожную карту мероприятия по профилактике "
        "профессионального выгорания педагогов",
        6,
        RecommendationStatus.OPEN,
        "",
    ),
    (
        "Асиновский район",
        "составить план работы муниципальных методических объединений учителей математики "
        "и русского языка по результатам ВПР",
        -5,
        RecommendationStatus.OPEN,
        "",
    ),
    (
        "Томский район",
        "организовать выездные консультации для руководителей школ из списка ШНОР "
        "с участием кураторов",
        13,
        RecommendationStatus.OPEN,
        "",
    ),
    (
        "Шегарский район",
        "назначить ответственных и уточнить сроки по каждому мероприятию дорожной карты",
        -30,
        RecommendationStatus.DONE,
        "Дорожная карта дополнена ответственными и сроками, приказ управления образования № 96.",
    ),
]


def _this_year(region, year: int) -> None:
    """The interviews of this year's round and their recommendations."""
    today = timezone.localdate()
    held = today - timedelta(days=60)
    protocol = interviews.create_protocol(
        region,
        title="Протокол собеседования с муниципальными органами управления образованием "
        f"по реализации дорожных карт {year} года",
        place="г. Томск, ТОИПКРО",
        chairman="Неверова В. А.",
        document_number="14",
        document_date=held,
        revision_due=today - timedelta(days=21),
    )
    found = {m.name: m for m in Municipality.objects.filter(name__in={r[0] for r in ROUND})}
    held_with: dict[str, object] = {}
    for name, text, days, status, evidence in ROUND:
        if name not in found:
            continue
        if name not in held_with:
            held_with[name] = interviews.add_interview(
                region, protocol, municipality=found[name], day=held
            )
        recommendation = interviews.add_recommendation(
            region, held_with[name], text=text, due_date=today + timedelta(days=days)
        )
        if status != RecommendationStatus.OPEN:
            recommendation_services.update_recommendation(
                region, recommendation, status=status, evidence=evidence or None
            )
