"""Every write of professional development: the acting user first, the rule checked with
``guards.require``, the author stamped, one transaction."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from opora.accounts.guards import require, stamp
from opora.accounts.models import Role
from opora.core.calendar import current_year
from opora.development import signals, summaries
from opora.development.models import (
    CalendarFeed,
    CompetenceArea,
    EventMaterial,
    Offer,
    ParticipantRole,
    Registration,
    Route,
    RouteStatus,
    RouteStep,
    StepStatus,
    SupportEvent,
    TeamKind,
)
from opora.development.proposing import choose_offers
from opora.development.selectors import latest_results
from opora.people.models import Person
from opora.registry.models import School
from opora.roadmaps.evidence import check_document_file
from opora.roadmaps.signals import send_on_commit


def _save(instance, user):
    stamp(instance, user)
    instance.full_clean()
    instance.save()
    return instance


# ---------------------------------------------------------------- areas and the offer


@transaction.atomic
def set_threshold(user, area: CompetenceArea, threshold: Decimal) -> CompetenceArea:
    """The level (per cent) under which a result in ``area`` is a deficit: «60»."""
    require(user, "development.change_competencearea", area)
    area.threshold = threshold
    _save(area, user)
    summaries.recount(area=area.pk)
    return area


@transaction.atomic
def save_offer(user, offer: Offer | None, *, areas, **fields) -> Offer:
    """Add or change an offer of the catalogue, with the areas it addresses."""
    require(user, "development.change_offer", offer)
    offer = offer or Offer()
    for name, value in fields.items():
        setattr(offer, name, value)
    if offer.starts_on and offer.ends_on and offer.ends_on < offer.starts_on:
        raise ValidationError("Окончание раньше начала.")
    _save(offer, user)
    offer.areas.set(areas)
    return offer


# ---------------------------------------------------------------- routes


@transaction.atomic
def propose_routes(user, school: School, year: int | None = None) -> list[Route]:
    """Draft routes for the school's teachers with deficits, and one for its management team,
    each from the catalogue; teachers who already have a route this year keep it."""
    require(user, "development.propose_routes", school)
    year = year or current_year()
    deficits: dict[tuple[str, int | None], list[tuple[int, float]]] = {}
    for person_id, team, area_id, score in (
        latest_results()
        .filter(school=school, score__lt=_threshold())
        .values_list("person_id", "team", "area_id", "score")
    ):
        deficits.setdefault((TeamKind.TEACHING, person_id), []).append((area_id, float(score)))
        if team == TeamKind.MANAGEMENT:
            deficits.setdefault((TeamKind.MANAGEMENT, None), []).append((area_id, float(score)))
    taken = set(Route.objects.filter(school=school, year=year).values_list("team", "person_id"))
    offers = _open_offers()
    created: list[Route] = []
    steps: list[RouteStep] = []
    for (team, person_id), found in sorted(deficits.items(), key=lambda i: (i[0][0], i[0][1] or 0)):
        if (team, person_id) in taken:
            continue
        pool = offers[team]
        choice = choose_offers(_weakest(found), pool)
        if not choice:
            continue
        route = stamp(Route(school=school, person_id=person_id, team=team, year=year), user)
        route.save()
        created.append(route)
        steps += [RouteStep(route=route, offer_id=o, area_id=a) for o, a in choice]
    RouteStep.objects.bulk_create(steps)
    return created


def _threshold():
    return F("area__threshold")


def _weakest(found: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """A team's deficit in an area is its lowest result there."""
    lowest: dict[int, float] = {}
    for area, score in found:
        lowest[area] = min(score, lowest.get(area, score))
    return list(lowest.items())


def _open_offers() -> dict[str, list[tuple[int, set[int]]]]:
    """Offers not yet over, earliest first: all of them for teachers, those for management
    teams first for a management route."""
    today = timezone.localdate()
    areas: dict[int, set[int]] = {}
    rows = (
        Offer.objects.filter(is_active=True)
        .exclude(ends_on__lt=today)
        .order_by("starts_on", "pk")
        .values_list("pk", "for_management", "areas")
    )
    management: dict[int, bool] = {}
    for pk, for_management, area in rows:
        areas.setdefault(pk, set())
        management[pk] = for_management
        if area:
            areas[pk].add(area)
    teaching = [(pk, a) for pk, a in areas.items() if not management[pk]]
    managing = [(pk, a) for pk, a in areas.items() if management[pk]] + teaching
    return {TeamKind.TEACHING: teaching, TeamKind.MANAGEMENT: managing}


def _editable(user, route: Route) -> Route:
    route = Route.objects.select_for_update().get(pk=route.pk)
    require(user, "development.change_route", route)
    return route


@transaction.atomic
def add_step(user, route: Route, offer: Offer, area: CompetenceArea | None = None) -> RouteStep:
    route = _editable(user, route)
    if route.steps.filter(offer=offer).exists():
        raise ValidationError("Это предложение уже есть в маршруте.")
    if not offer.is_active:
        raise ValidationError("Предложения нет в каталоге.")
    step = stamp(RouteStep(route=route, offer=offer, area=area), user)
    step.save()
    return step


@transaction.atomic
def remove_step(user, step: RouteStep) -> None:
    _editable(user, step.route)
    stamp(step, user)
    step.delete()


@transaction.atomic
def submit_route(user, route: Route) -> Route:
    """The teacher sends their draft to the school head."""
    route = Route.objects.select_for_update().get(pk=route.pk)
    require(user, "development.submit_route", route)
    if not route.steps.exists():
        raise ValidationError("В маршруте нет ни одного шага.")
    route.status = RouteStatus.SUBMITTED
    _save(route, user)
    send_on_commit(signals.route_submitted, Route, route=route, user=user)
    return route


@transaction.atomic
def approve_route(user, route: Route, note: str = "") -> Route:
    route = Route.objects.select_for_update().get(pk=route.pk)
    require(user, "development.approve_route", route)
    if not route.steps.exists():
        raise ValidationError("В маршруте нет ни одного шага — утверждать нечего.")
    route.status = RouteStatus.APPROVED
    route.approved_at = timezone.now()
    route.approved_by = user
    if note.strip():
        route.note = note.strip()
    _save(route, user)
    send_on_commit(signals.route_approved, Route, route=route, user=user)
    return route


@transaction.atomic
def return_route(user, route: Route, comment: str) -> Route:
    route = Route.objects.select_for_update().get(pk=route.pk)
    require(user, "development.approve_route", route)
    if route.status != RouteStatus.SUBMITTED:
        raise ValidationError("Вернуть можно маршрут, присланный на утверждение.")
    if not comment.strip():
        raise ValidationError("Напишите, что исправить.")
    route.status = RouteStatus.DRAFT
    route.note = comment.strip()
    _save(route, user)
    send_on_commit(signals.route_returned, Route, route=route, user=user, comment=route.note)
    return route


@transaction.atomic
def track_step(
    user, step: RouteStep, status: str, *, completed_on: date | None = None, certificate=None
) -> RouteStep:
    """Mark how far a step of an approved route went; a completed one carries its date and,
    for a course, its certificate (удостоверение)."""
    step = RouteStep.objects.select_for_update().select_related("route").get(pk=step.pk)
    require(user, "development.track_route", step.route)
    if status not in StepStatus.values:
        raise ValidationError("Неизвестное состояние шага.")
    step.status = status
    if status == StepStatus.COMPLETED:
        step.completed_on = completed_on or timezone.localdate()
        if completed_on and completed_on > timezone.localdate():
            raise ValidationError("Дата завершения ещё не наступила.")
    else:
        step.completed_on = None
    if certificate is not None:
        certificate, _type = check_document_file(certificate, "Удостоверение")
        step.certificate.save(certificate.name, certificate, save=False)
        step.certificate_name = certificate.name[:300]
    return _save(step, user)


# ---------------------------------------------------------------- events


@transaction.atomic
def save_event(user, event: SupportEvent | None, **fields) -> SupportEvent:
    """Add or change an event of the calendar; a municipality plans its own."""
    if event is None:
        require(user, "development.add_supportevent")
        event = SupportEvent()
    else:
        require(user, "development.change_supportevent", event)
    for name, value in fields.items():
        setattr(event, name, value)
    if user.role == Role.MUNICIPAL and event.municipality_id != user.municipality_id:
        raise PermissionDenied("Муниципалитет планирует мероприятия только для себя.")
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        raise ValidationError("Окончание раньше начала.")
    return _save(event, user)


@transaction.atomic
def register(
    user, event: SupportEvent, person: Person, *, role: str = ParticipantRole.LISTENER, topic=""
) -> Registration:
    """Register a teacher: oneself (teacher) or one of the school's people (school)."""
    require(user, "development.register_supportevent", event)
    if user.role == Role.TEACHER and person.pk != user.person_id:
        raise PermissionDenied("Педагог записывает только себя.")
    if user.role == Role.SCHOOL and person.school_id != user.school_id:
        raise PermissionDenied("Школа записывает только своих педагогов.")
    if person.school_id is None:
        raise ValidationError("У сотрудника не указана школа.")
    if event.registrations.filter(person=person).exists():
        raise ValidationError(f"{person.short_name} уже записан(а) на это мероприятие.")
    if role == ParticipantRole.SPEAKER and not topic.strip():
        raise ValidationError("Укажите тему выступления.")
    registration = Registration(
        event=event, person=person, school_id=person.school_id, role=role, topic=topic.strip()
    )
    return _save(registration, user)


@transaction.atomic
def unregister(user, registration: Registration) -> None:
    event = registration.event
    own = user.role == Role.TEACHER and registration.person_id == user.person_id
    school = user.role == Role.SCHOOL and registration.school_id == user.school_id
    if not (own or school or user.has_perm("development.change_supportevent", event)):
        raise PermissionDenied("Недостаточно прав для этого действия.")
    if registration.attended is not None:
        raise ValidationError("Посещение уже отмечено — запись не снимается.")
    stamp(registration, user)
    registration.delete()


@transaction.atomic
def mark_attendance(user, event: SupportEvent, present_ids: set[int]) -> int:
    """The organiser marks who came (the others did not); returns how many came."""
    require(user, "development.change_supportevent", event)
    if event.starts_at > timezone.now():
        raise ValidationError("Мероприятие ещё не началось — посещение отмечается после начала.")
    changed = []
    for registration in event.registrations.select_for_update():
        attended = registration.pk in present_ids
        if registration.attended != attended:
            registration.attended = attended
            stamp(registration, user)
            changed.append(registration)
    for registration in changed:
        registration.save(update_fields=["attended"])
    return event.registrations.filter(attended=True).count()


@transaction.atomic
def save_outcome(user, event: SupportEvent, outcome: str) -> SupportEvent:
    require(user, "development.change_supportevent", event)
    event.outcome = outcome.strip()
    return _save(event, user)


@transaction.atomic
def add_material(user, event: SupportEvent, upload) -> EventMaterial:
    require(user, "development.change_supportevent", event)
    upload, _type = check_document_file(upload, "Материал")
    material = EventMaterial(event=event, original_name=upload.name[:300])
    material.file.save(upload.name, upload, save=False)
    return _save(material, user)


@transaction.atomic
def calendar_feed(user, *, renew: bool = False) -> CalendarFeed:
    """The user's secret feed address; ``renew`` makes a new one (the old stops working)."""
    if not user.is_authenticated:
        raise PermissionDenied("Войдите в систему.")
    feed, created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if renew and not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "created_at"])
    return feed
