"""Writes of recommendations: give one (from an interview or an expertise), track it, close it.

Every function takes the acting user, checks the permission with ``accounts.guards`` and runs
in a transaction. The interviews and the expertise call these to give their recommendations.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.core.states import StateChanged, change_state, stale_message
from opora.recommendations.catalogue import recommendation_key, recommendation_pairs
from opora.recommendations.models import (
    Recommendation,
    RecommendationStatus,
    RecommendationTemplate,
)
from opora.recommendations.selectors import OPEN_STATES, events_for_municipality, linked_events
from opora.roadmaps.models import (
    RoadmapEvent,
)


def _templates_for(texts: Iterable[str], user) -> dict[str, RecommendationTemplate]:
    """The catalogue entries of ``texts`` by key, creating the missing ones (first text wins)."""
    wanted: OrderedDict[str, str] = OrderedDict()
    for text in texts:
        key = recommendation_key(text)
        if key:
            wanted.setdefault(key, text)
    found = {t.key: t for t in RecommendationTemplate.objects.filter(key__in=list(wanted))}
    for key, text in wanted.items():
        if key not in found:
            template = _stamp(RecommendationTemplate(key=key, text=text), user)
            template.save()
            found[key] = template
    return found


def templates_for(user, texts: Iterable[str]) -> dict[str, RecommendationTemplate]:
    """The catalogue entries of ``texts`` by key, creating the missing ones (first text wins).

    Example: ``templates_for(user, ["Организовать наставничество;", "организовать
    наставничество"])`` gives one entry, keyed ``"организовать наставничество"``.
    """
    _require(user, "recommendations.add_recommendation")
    return _templates_for(texts, user)


@transaction.atomic
def create_from_interview(
    user,
    interview,
    *,
    text: str = "",
    raw: str = "",
    template: RecommendationTemplate | None = None,
    due_date: date | None = None,
    order: int | None = None,
) -> Recommendation:
    """Give a recommendation of an interview, picked from the catalogue or typed (a typed one
    joins the catalogue); due on the protocol's «срок представления доработанных карт» unless
    ``due_date`` says otherwise.

    Example: ``create_from_interview(user, interview, text="организовать работу с кадровым
    резервом")`` finds the catalogue entry of the same advice or starts a new one.
    """
    _require(user, "recommendations.add_recommendation")
    text = " ".join((text or "").split()).strip(" ;.") or (template.text if template else "")
    if not text:
        raise ValidationError("Выберите рекомендацию из каталога или введите её текст.")
    if template is None:
        template = _templates_for([text], user)[recommendation_key(text)]
    if order is None:
        order = interview.recommendations.count()
    recommendation = _stamp(
        Recommendation(
            interview=interview,
            municipality_id=interview.municipality_id,
            template=template,
            order=order,
            text=text,
            raw=raw,
            due_date=due_date if due_date is not None else interview.protocol.revision_due,
        ),
        user,
    )
    recommendation.save()
    return recommendation


@transaction.atomic
def create_from_expertise(user, expertise) -> list[Recommendation]:
    """Give the recommendations of a closed expertise: each line of its «рекомендации» becomes
    a tracked recommendation of the roadmap's municipality (status «открыта»).

    Example: «1) провести анализ результатов ВПР;\n2) организовать наставничество.» gives two
    recommendations, «провести анализ результатов ВПР» and «организовать наставничество».
    A regional roadmap has no municipality: nothing is given.
    """
    _require(user, "recommendations.add_recommendation")
    roadmap = expertise.roadmap
    municipality_id = roadmap.municipality_id or (
        roadmap.school.municipality_id if roadmap.school_id else None
    )
    created = []
    if municipality_id:
        pairs = recommendation_pairs(expertise.recommendations)
        for order, (raw, text) in enumerate(pairs, start=1):
            rec = Recommendation(
                municipality_id=municipality_id,
                expertise=expertise,
                order=order,
                text=text,
                raw=raw,
                status=RecommendationStatus.OPEN,
            )
            _stamp(rec, user).save()
            created.append(rec)
    return created


@transaction.atomic
def create_for_school(
    user, school, *, text: str, given_at: str = "", due_date: date | None = None
) -> Recommendation:
    """Give a recommendation to one school (a curator after a methodical visit): it joins the
    tracker of the school's municipality and the school's «Ждут меня».

    Example: ``create_for_school(curator, school, text="Организовать взаимопосещение уроков
    учителями математики", given_at="методический выезд 12 марта 2026 г.")``.
    """
    _require(user, "recommendations.give_school_recommendation", school)
    text = " ".join((text or "").split()).strip(" ;.")
    if not text:
        raise ValidationError("Введите текст рекомендации.")
    recommendation = Recommendation(
        municipality_id=school.municipality_id,
        school=school,
        template=_templates_for([text], user).get(recommendation_key(text)),
        order=Recommendation.objects.filter(school=school).count() + 1,
        text=text,
        raw=text,
        given_at=given_at.strip()[:300],
        due_date=due_date,
    )
    _stamp(recommendation, user).save()
    return recommendation


@transaction.atomic
def update_recommendation(
    user,
    recommendation: Recommendation,
    *,
    status: str | None = None,
    evidence: str | None = None,
    due_date: date | None = None,
    change_due_date: bool = False,
) -> Recommendation:
    """Change the status and evidence (the municipality does it), or the due date (the region).

    «выполнена» and «неприменима» need a written confirmation or reason in ``evidence``.
    """
    _require(user, "recommendations.track_recommendation", recommendation)
    seen_status = recommendation.status
    if change_due_date:
        _require(user, "recommendations.change_recommendation", recommendation)
        recommendation.due_date = due_date
    if evidence is not None:
        recommendation.evidence = evidence.strip()
    if status is not None:
        if status not in RecommendationStatus.values:
            raise ValidationError("Неизвестное состояние рекомендации.")
        closing = status == RecommendationStatus.DONE and recommendation.status != status
        if closing and not recommendation.evidence:
            raise ValidationError(
                "Чтобы отметить рекомендацию выполненной, опишите подтверждение "
                "(документ, ссылку) или закройте её через выполненные мероприятия."
            )
        if status == RecommendationStatus.NOT_APPLICABLE and not recommendation.evidence:
            raise ValidationError(
                "Укажите в поле «Подтверждение», почему рекомендация неприменима."
            )
        _set_status(recommendation, status)
    # Saved from the status the page showed: an edit sent after another tab closed the
    # recommendation does not reopen it.
    return _save_from(user, recommendation, seen_status, "due_date", "evidence")


_TRACKED = ("status", "closed_at")


def _save_from(user, recommendation: Recommendation, seen_status: str, *fields: str):
    change_state(
        _stamp(recommendation, user),
        expected={"status": seen_status},
        changes={name: getattr(recommendation, name) for name in (*_TRACKED, *fields)},
        stale=_recommendation_stale,
    )
    return recommendation


def _recommendation_stale(current: Recommendation | None) -> str:
    if current is None:
        return stale_message("рекомендация удалена")
    return stale_message(f"рекомендация сейчас «{current.get_status_display()}»")


def _set_status(recommendation: Recommendation, status: str) -> None:
    if status == RecommendationStatus.DONE and recommendation.status != status:
        recommendation.closed_at = timezone.now()
    elif status != RecommendationStatus.DONE:
        recommendation.closed_at = None
    recommendation.status = status


@transaction.atomic
def link_event(user, recommendation: Recommendation, event: RoadmapEvent) -> Recommendation:
    """Name a roadmap event that carries the recommendation out; an open one goes «в работе»."""
    _require(user, "recommendations.track_recommendation", recommendation)
    if not events_for_municipality(recommendation.municipality_id).filter(pk=event.pk).exists():
        raise ValidationError(
            "Можно связать только мероприятие дорожной карты этого муниципалитета или его школ."
        )
    recommendation.events.add(event)
    if recommendation.status == RecommendationStatus.OPEN:
        recommendation.status = RecommendationStatus.IN_WORK
        try:
            _save_from(user, recommendation, RecommendationStatus.OPEN)
        except StateChanged:
            # Moved on by someone else meanwhile: the link stands, their status too.
            recommendation.refresh_from_db()
    return recommendation


@transaction.atomic
def unlink_event(user, recommendation: Recommendation, event: RoadmapEvent) -> Recommendation:
    _require(user, "recommendations.track_recommendation", recommendation)
    recommendation.events.remove(event)
    return recommendation


@transaction.atomic
def carry_links_to_version(roadmap) -> int:
    """A new version of ``roadmap`` came into force: each recommendation linked to an event it
    kept (unchanged, or reworded) now names the event's copy in the version in force, as the
    reports of the unchanged events moved with them (``roadmaps.versions.carry_over``); one
    linked to a removed event keeps naming it in the archived version. Not a user's act: it
    follows the approval, which was checked. Returns how many links moved."""
    from opora.roadmaps.versions import kept_events

    if not roadmap.previous_id:
        return 0
    pairs = kept_events(roadmap)
    through = Recommendation.events.through
    links = list(through.objects.filter(roadmapevent_id__in=pairs))
    through.objects.bulk_create(
        [
            through(
                recommendation_id=link.recommendation_id,
                roadmapevent_id=pairs[link.roadmapevent_id],
            )
            for link in links
        ],
        ignore_conflicts=True,
    )
    through.objects.filter(pk__in=[link.pk for link in links]).delete()
    return len(links)


@transaction.atomic
def close_through_events(user, recommendation: Recommendation) -> Recommendation:
    """Close a recommendation whose linked events are all done (or cancelled).

    The closing is recorded with who and when («История изменений»); when no confirmation
    was written, the events themselves become it.
    """
    _require(user, "recommendations.track_recommendation", recommendation)
    seen_status = recommendation.status
    if recommendation.status not in OPEN_STATES:
        raise ValidationError("Рекомендация уже закрыта.")
    events = linked_events(recommendation)
    if not events:
        raise ValidationError("Нет связанных мероприятий: закрыть через мероприятия нельзя.")
    unfinished = [e for e in events if not e.finished]
    if unfinished:
        raise ValidationError(
            "Не все мероприятия выполнены: "
            + ", ".join(f"№ {e.number or '—'} {e.text[:60]}" for e in unfinished)
            + "."
        )
    if not recommendation.evidence:
        lines = [
            f"№ {e.number.rstrip('.') or '—'} «{_shorten(e.text, 120)}» ({e.roadmap.title[:80]})"
            for e in events
        ]
        recommendation.evidence = "Исполнена через мероприятия дорожной карты:\n" + "\n".join(lines)
    _set_status(recommendation, RecommendationStatus.DONE)
    return _save_from(user, recommendation, seen_status, "evidence")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
