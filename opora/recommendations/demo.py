"""Demo data of the recommendation tracker (idempotent with the protocol it follows).

After the interviews' demo imports the June 2020 protocol, the Kargasok district (whose roadmap
of seed 002 the demo holds) links some of its recommendations to the events of that roadmap and
closes those whose events are done, and a few other municipalities report progress; what was
left open was confirmed done the next year. This year's round (``interviews.demo``) is the one
followed up now.
"""

from __future__ import annotations

from django.db.models import QuerySet

from opora.accounts.models import Role, User
from opora.recommendations import selectors as recommendation_selectors
from opora.recommendations import services as recommendation_services
from opora.recommendations.models import Recommendation, RecommendationStatus
from opora.recommendations.suggestions import suggested_events
from opora.roadmaps.models import FINISHED, EventPeriod, ProgressStatus, Roadmap
from opora.roadmaps.services import report_progress

# (municipality, position of the recommendation, status, evidence) — progress reported by
# municipalities other than Kargasok.
PROGRESS = [
    (
        "Асиновский район",
        1,
        RecommendationStatus.DONE,
        "Приказ УО от 14.09.2020 № 211: 9 педагогов прошли КПК «Работа с образовательными "
        "результатами» (ТОИПКРО, 36 ч).",
    ),
    ("Асиновский район", 9, RecommendationStatus.IN_WORK, ""),
    ("Асиновский район", 10, RecommendationStatus.IN_WORK, ""),
    (
        "Город Томск",
        0,
        RecommendationStatus.DONE,
        "Приказ департамента образования от 01.10.2020 № 612 о межшкольном наставничестве.",
    ),
    ("Город Томск", 2, RecommendationStatus.IN_WORK, ""),
    (
        "Томский район",
        0,
        RecommendationStatus.DONE,
        "Дорожная карта дополнена сроками и ответственными, приказ от 30.07.2020 № 140.",
    ),
    (
        "Чаинский район",
        4,
        RecommendationStatus.NOT_APPLICABLE,
        "Руководители ОО уже входят в муниципальную рабочую группу (приказ от 10.03.2020 № 45).",
    ),
    ("Шегарский район", 0, RecommendationStatus.IN_WORK, ""),
]


def _kargasok(given: QuerySet[Recommendation], region: User) -> None:
    """Link Kargasok's recommendations to the events of its 2020 roadmap; close two of them."""
    roadmap = (
        Roadmap.objects.filter(level="municipality", municipality__name="Каргасокский район")
        .order_by("period_start")
        .first()
    )
    if roadmap is None:
        return
    actor = (
        User.objects.filter(role=Role.MUNICIPAL, municipality=roadmap.municipality_id)
        .order_by("pk")
        .first()
        or region
    )
    events = list(recommendation_selectors.events_for_municipality(roadmap.municipality_id))
    recommendations = given.filter(municipality_id=roadmap.municipality_id).order_by("order")
    linked = []
    for recommendation in recommendations:
        suggestions = suggested_events(recommendation, events, limit=2)
        if not suggestions:
            continue
        recommendation_services.link_event(actor, recommendation, suggestions[0].event)
        linked.append(recommendation)
        if len(linked) == 5:
            break
    # Kargasok reports the rest of two linked events as done: one recommendation is then
    # closed through them, the other is left for the user to close («можно закрыть»).
    finishing = sorted(
        linked,
        key=lambda r: (
            EventPeriod.objects.filter(event__recommendations=r)
            .exclude(status__in=FINISHED)
            .count()
        ),
    )[:2]
    for position, recommendation in enumerate(finishing):
        for event in recommendation.events.all():
            periods = list(event.periods.exclude(status__in=FINISHED))
            if not event.periods.exists():
                periods = [None]  # an event without reporting periods is reported once
            for period in periods:
                report_progress(
                    actor,
                    event,
                    status=ProgressStatus.DONE,
                    period=period,
                    comment="Выполнено (демо)",
                )
        if position == 0:
            recommendation_services.close_through_events(
                actor, Recommendation.objects.get(pk=recommendation.pk)
            )


def _progress(given: QuerySet[Recommendation], region: User) -> None:
    for name, position, status, evidence in PROGRESS:
        found = list(
            given.filter(municipality__name=name).order_by("order")[position : position + 1]
        )
        if not found:
            continue
        recommendation = found[0]
        actor = (
            User.objects.filter(role=Role.MUNICIPAL, municipality=recommendation.municipality_id)
            .order_by("pk")
            .first()
            or region
        )
        recommendation_services.update_recommendation(
            actor, recommendation, status=status, evidence=evidence or None
        )


def _closed_since(given: QuerySet[Recommendation], region: User) -> None:
    """Six years on, the 2020 round is history: what was still open was done by the next
    year's interviews, where the region confirmed it (the tracker keeps the record)."""
    for recommendation in given.filter(status__in=recommendation_selectors.OPEN_STATES).order_by(
        "pk"
    ):
        recommendation_services.update_recommendation(
            region,
            recommendation,
            status=RecommendationStatus.DONE,
            evidence="Выполнение подтверждено на собеседовании с муниципалитетами в 2021 году.",
        )


def track(given: QuerySet[Recommendation], region: User) -> None:
    """Work on the recommendations the freshly imported demo protocol gave (called once)."""
    _kargasok(given, region)
    _progress(given, region)
    _closed_since(given, region)
