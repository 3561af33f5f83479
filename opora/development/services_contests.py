"""Writes of professional contests: the contest and its stages (the region, or the
municipality for its own contests), the participants a municipality registers, the results.
Each takes the acting user, checks the rule first, stamps the author, one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from opora.accounts.guards import require, stamp
from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region
from opora.development.models import (
    Contest,
    ContestLevel,
    ContestParticipant,
    ContestResult,
    ContestStage,
)
from opora.people.models import Person

_LOCAL = (ContestLevel.SCHOOL, ContestLevel.MUNICIPAL)


def _save(instance, user):
    stamp(instance, user)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def save_contest(user, contest: Contest | None, **fields) -> Contest:
    """Add or change a contest: «Учитель года — 2026», региональный, 2026 год. A municipal or
    school contest names its municipality; a regional or federal one names none."""
    if contest is None:
        require(user, "development.add_contest")
        contest = Contest()
    else:
        require(user, "development.change_contest", contest)
    for name, value in fields.items():
        setattr(contest, name, value)
    if contest.level not in ContestLevel.values:
        raise ValidationError("Укажите уровень конкурса.")
    if contest.level in _LOCAL and contest.municipality_id is None:
        raise ValidationError(
            "Школьный или муниципальный конкурс проводит муниципалитет — укажите его."
        )
    if contest.level not in _LOCAL:
        contest.municipality = None
    if user.role == Role.MUNICIPAL and contest.municipality_id != user.municipality_id:
        raise PermissionDenied(
            "Муниципалитет ведёт только свои конкурсы; региональные и федеральные ведёт регион."
        )
    return _save(contest, user)


@transaction.atomic
def add_stage(
    user, contest: Contest, *, title: str, starts_on: date, ends_on: date
) -> ContestStage:
    require(user, "development.change_contest", contest)
    if not title.strip():
        raise ValidationError("Назовите этап.")
    if ends_on < starts_on:
        raise ValidationError("Окончание этапа раньше его начала.")
    stage = ContestStage(contest=contest, title=title.strip(), starts_on=starts_on, ends_on=ends_on)
    return _save(stage, user)


@transaction.atomic
def remove_stage(user, stage: ContestStage) -> None:
    require(user, "development.change_contest", stage.contest)
    stamp(stage, user)
    stage.delete()


def _may_enter(user, contest: Contest, person: Person) -> None:
    school = person.school
    if school is None:
        raise ValidationError(f"У сотрудника {person.short_name} не указана школа.")
    if contest.municipality_id and school.municipality_id != contest.municipality_id:
        raise ValidationError("Это муниципальный конкурс: участвуют педагоги его муниципалитета.")
    if not can_write_region(user) and school.municipality_id != user.municipality_id:
        raise PermissionDenied("Муниципалитет записывает только педагогов своих школ.")


@transaction.atomic
def enter_participant(
    user, contest: Contest, person: Person, *, topic: str = ""
) -> ContestParticipant:
    """Register a teacher for the contest, with the experience they present."""
    require(user, "development.enter_contest", contest)
    _may_enter(user, contest, person)
    if contest.participants.filter(person=person).exists():
        raise ValidationError(f"{person.short_name} уже участвует в этом конкурсе.")
    participant = ContestParticipant(
        contest=contest, person=person, school_id=person.school_id, topic=topic.strip()
    )
    return _save(participant, user)


@transaction.atomic
def withdraw_participant(user, participant: ContestParticipant) -> None:
    contest = participant.contest
    require(user, "development.enter_contest", contest)
    _may_enter(user, contest, participant.person)
    if participant.is_awarded:
        raise ValidationError("У участника уже есть результат — запись не снимается.")
    stamp(participant, user)
    participant.delete()


@transaction.atomic
def set_result(
    user, participant: ContestParticipant, *, result: str, reached: ContestStage | None = None
) -> ContestParticipant:
    """The contest's keeper records how far a participant went and the result."""
    participant = ContestParticipant.objects.select_for_update().get(pk=participant.pk)
    require(user, "development.change_contest", participant.contest)
    if result not in ContestResult.values:
        raise ValidationError("Неизвестный результат.")
    if reached is not None and reached.contest_id != participant.contest_id:
        raise ValidationError("Этап из другого конкурса.")
    participant.result, participant.reached = result, reached
    return _save(participant, user)
