"""Criteria sets and the expertise of programmes: the writes.

The loop (seed 003, events 2, 19, 31): the operator keeps criteria sets → creates an expertise of
a municipal roadmap with a set and assigns experts → each expert scores every criterion with a
comment, independently, and submits → the consolidated result shows the mean, the weighted total
and how well the experts agree → the expertise is closed with a conclusion and recommendations
(each becomes a tracked :class:`~opora.recommendations.models.Recommendation` of the municipality) →
the protocol in Word → at the end of the period an analytical report over all expertises
(«аналитическая справка по итогам 17 экспертиз»).

Every write here is a function taking the acting user, in a transaction, its permission checked
with ``accounts.guards`` (the rules are in ``expertise.rules``). The recommendations of a closed
expertise are given through ``recommendations.services``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.accounts.models import Role, User
from opora.core.states import StateChanged, change_state, stale_message, upsert
from opora.expertise.models import (
    CriteriaSet,
    Criterion,
    CriterionGroup,
    ExpertAssignment,
    Expertise,
    ExpertiseStatus,
    Score,
)
from opora.expertise.selectors import groups_of, is_locked, my_assignment
from opora.recommendations import services as recommendation_services
from opora.roadmaps.models import Roadmap


def _unlocked(user, criteria_set: CriteriaSet) -> None:
    _require(user, "expertise.manage_criteria")
    if is_locked(criteria_set):
        raise ValidationError(
            "Набор уже используется в экспертизе: его критерии изменить нельзя. "
            "Скопируйте набор и измените копию."
        )


@transaction.atomic
def create_criteria_set(
    user, *, name: str, purpose: str, year: int, description: str = "", is_active: bool = True
) -> CriteriaSet:
    _require(user, "expertise.manage_criteria")
    criteria_set = CriteriaSet(
        name=name, purpose=purpose, year=year, description=description, is_active=is_active
    )
    criteria_set.full_clean()
    _stamp(criteria_set, user).save()
    return criteria_set


@transaction.atomic
def update_criteria_set(user, criteria_set: CriteriaSet, **fields) -> CriteriaSet:
    """Name, purpose, year, description, «действует»: editable even when the set is in use."""
    _require(user, "expertise.manage_criteria")
    for key in ("name", "purpose", "year", "description", "is_active"):
        if key in fields:
            setattr(criteria_set, key, fields[key])
    criteria_set.full_clean()
    _stamp(criteria_set, user).save()
    return criteria_set


@transaction.atomic
def copy_criteria_set(user, source: CriteriaSet, *, year: int, name: str = "") -> CriteriaSet:
    """A new set for ``year`` with the same groups and criteria (the source stays as it is).

    Example: «Критерии экспертизы … (2023)» → the 2024 set the operator then edits.
    """
    _require(user, "expertise.manage_criteria")
    copy = CriteriaSet(
        name=name or source.name,
        purpose=source.purpose,
        year=year,
        description=source.description,
        is_active=True,
    )
    copy.full_clean()
    _stamp(copy, user).save()
    for group in groups_of(source):
        new_group = _stamp(
            CriterionGroup(criteria_set=copy, order=group.order, title=group.title), user
        )
        new_group.save()
        for c in group.criteria.all():
            _stamp(
                Criterion(
                    group=new_group,
                    order=c.order,
                    text=c.text,
                    guidance=c.guidance,
                    scale_max=c.scale_max,
                    weight=c.weight,
                    topic=c.topic,
                ),
                user,
            ).save()
    return copy


@transaction.atomic
def save_group(
    user, criteria_set: CriteriaSet, *, title: str, order: int | None = None, group=None
) -> CriterionGroup:
    """Add a group (``group=None``) or rename / move one."""
    _unlocked(user, criteria_set)
    if group is None:
        if order is None:
            order = (criteria_set.groups.count() or 0) + 1
        group = CriterionGroup(criteria_set=criteria_set)
    elif group.criteria_set_id != criteria_set.pk:
        raise ValidationError("Группа из другого набора.")
    group.title = title
    if order is not None:
        group.order = order
    group.full_clean()
    _stamp(group, user).save()
    return group


@transaction.atomic
def delete_group(user, group: CriterionGroup) -> None:
    _unlocked(user, group.criteria_set)
    _stamp(group, user).delete()


@transaction.atomic
def save_criterion(user, group: CriterionGroup, *, criterion=None, **fields) -> Criterion:
    """Add a criterion to ``group`` or change one: text, guidance, scale_max, weight, topic, order.

    Example: ``text="Для каждого мероприятия указаны сроки исполнения", scale_max=2``.
    """
    _unlocked(user, group.criteria_set)
    if criterion is None:
        criterion = Criterion(group=group, order=group.criteria.count() + 1)
    elif criterion.group.criteria_set_id != group.criteria_set_id:
        raise ValidationError("Критерий из другого набора.")
    criterion.group = group
    for key in ("text", "guidance", "scale_max", "weight", "topic", "order"):
        if key in fields and fields[key] is not None:
            setattr(criterion, key, fields[key])
    if not criterion.scale_max or criterion.scale_max < 1:
        raise ValidationError("Максимальный балл — не меньше 1 (шкала 0–1, 0–2 …).")
    criterion.full_clean()
    _stamp(criterion, user).save()
    return criterion


@transaction.atomic
def delete_criterion(user, criterion: Criterion) -> None:
    _unlocked(user, criterion.group.criteria_set)
    _stamp(criterion, user).delete()


def ensure_defaults(user, year: int) -> list[CriteriaSet]:
    """The region's starting sets for ``year`` (see ``expertise.defaults``), for a button."""
    from opora.expertise.defaults import ensure_default_sets

    _require(user, "expertise.manage_criteria")
    return ensure_default_sets(year)


@transaction.atomic
def create_expertise(
    user,
    roadmap: Roadmap,
    criteria_set: CriteriaSet,
    *,
    expert_users: Iterable[User] = (),
    due_date: date | None = None,
) -> Expertise:
    """Start an expertise of ``roadmap`` against ``criteria_set`` and assign the experts."""
    _require(user, "expertise.manage_expertise")
    if not user.has_perm("roadmaps.view_roadmap", roadmap):
        raise PermissionDenied("Дорожная карта недоступна.")
    if not criteria_set.is_active:
        raise ValidationError("Набор критериев не действует — выберите действующий.")
    if not Criterion.objects.filter(group__criteria_set=criteria_set).exists():
        raise ValidationError("В наборе нет критериев.")
    expertise = Expertise(
        roadmap=roadmap, criteria_set=criteria_set, due_date=due_date, created_by=user
    )
    _stamp(expertise, user).save()
    for expert in expert_users:
        assign_expert(user, expertise, expert)
    return expertise


def _locked_open(expertise: Expertise) -> Expertise:
    """The expertise as it is now, its row held until the change commits: assigning and
    closing wait for each other, so a closed expertise never gains an expert."""
    current = Expertise.objects.select_for_update().filter(pk=expertise.pk).first()
    if current is None:
        raise StateChanged(stale_message("экспертиза удалена"), code="stale")
    if current.status != ExpertiseStatus.OPEN:
        raise StateChanged(stale_message("экспертиза уже завершена"), code="stale")
    return current


@transaction.atomic
def assign_expert(user, expertise: Expertise, expert: User) -> ExpertAssignment:
    _require(user, "expertise.manage_expertise", expertise)
    if expertise.status != ExpertiseStatus.OPEN:
        raise ValidationError("Экспертиза завершена: назначать экспертов нельзя.")
    if expert.role != Role.EXPERT or not expert.is_active:
        raise ValidationError(f"{expert.display_name} — не эксперт.")
    expertise = _locked_open(expertise)
    if expertise.assignments.filter(expert=expert).exists():
        raise ValidationError(f"{expert.display_name} уже назначен(а) на эту экспертизу.")
    assignment = ExpertAssignment(expertise=expertise, expert=expert)
    _stamp(assignment, user).save()
    return assignment


@transaction.atomic
def remove_assignment(user, assignment: ExpertAssignment) -> None:
    """Withdraw an expert who has not submitted yet (their draft scores go with them)."""
    _require(user, "expertise.manage_expertise", assignment.expertise)
    if assignment.expertise.status != ExpertiseStatus.OPEN:
        raise ValidationError("Экспертиза завершена.")
    if assignment.submitted_at:
        raise ValidationError("Эксперт уже отправил оценки: снять его нельзя.")
    _locked_open(assignment.expertise)
    current = _locked_assignment(assignment)
    if current.submitted_at:
        raise StateChanged(
            stale_message("эксперт уже отправил оценки — снять его нельзя"), code="stale"
        )
    _stamp(current, user).delete()


def _locked_assignment(assignment: ExpertAssignment) -> ExpertAssignment:
    current = ExpertAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if current is None:
        raise StateChanged(stale_message("назначение эксперта снято"), code="stale")
    return current


def _my_open_assignment(user, expertise: Expertise) -> ExpertAssignment:
    """The expert's assignment read again and held until the change commits: a score saved
    while the same expert submits in another tab waits, then finds the scores sent."""
    assignment = my_assignment(user, expertise)
    if assignment is None:
        raise PermissionDenied("Вы не назначены экспертом этой экспертизы.")
    if expertise.status != ExpertiseStatus.OPEN:
        raise ValidationError("Экспертиза завершена: оценки изменить нельзя.")
    if assignment.submitted_at:
        raise ValidationError("Оценки уже отправлены: изменить их нельзя.")
    assignment = _locked_assignment(assignment)
    if assignment.submitted_at:
        raise StateChanged(
            stale_message("оценки уже отправлены — изменить их нельзя"), code="stale"
        )
    if not Expertise.objects.filter(pk=expertise.pk, status=ExpertiseStatus.OPEN).exists():
        raise StateChanged(stale_message("экспертиза уже завершена"), code="stale")
    return assignment


@transaction.atomic
def save_score(
    user, expertise: Expertise, criterion: Criterion, *, value: int, comment: str = ""
) -> Score:
    """An expert's score of one criterion (saved as they go; changeable until submitted).

    The first saves of one score from two tabs both land: the assignment row is held while
    the score changes, and an insert that still meets the unique constraint is retried as an
    update (:func:`opora.core.states.upsert`).
    """
    assignment = _my_open_assignment(user, expertise)
    if criterion.group.criteria_set_id != expertise.criteria_set_id:
        raise ValidationError("Критерий не из набора этой экспертизы.")
    if value is None or not 0 <= int(value) <= criterion.scale_max:
        raise ValidationError(f"Балл — от 0 до {criterion.scale_max}.")
    values = {"value": int(value), "comment": (comment or "").strip()}
    score = Score.objects.filter(assignment=assignment, criterion=criterion).first()
    if score is not None and (score.value, score.comment) == (values["value"], values["comment"]):
        return score  # the same click twice: no second history record
    score, _ = upsert(
        Score,
        {"assignment": assignment, "criterion": criterion},
        values,
        prepare=lambda row: _stamp(row, user),
    )
    return score


@transaction.atomic
def submit_assignment(user, expertise: Expertise) -> ExpertAssignment:
    """Send one's scores: every criterion must be scored. After this they cannot change."""
    assignment = _my_open_assignment(user, expertise)
    total = Criterion.objects.filter(group__criteria_set=expertise.criteria_set_id).count()
    scored = assignment.scores.count()
    if scored < total:
        raise ValidationError(
            f"Оценены {scored} из {total} критериев: оцените все критерии, затем отправьте."
        )
    return change_state(
        _stamp(assignment, user),
        expected={"submitted_at__isnull": True},
        changes={"submitted_at": timezone.now()},
        stale=stale_message("оценки уже отправлены"),
    )


@transaction.atomic
def close_expertise(
    user, expertise: Expertise, *, conclusion: str, recommendations: str = ""
) -> list:
    """Close the expertise with a conclusion; each recommendation line becomes a tracked
    :class:`Recommendation` of the roadmap's municipality (status «открыта»).

    Every assigned expert must have submitted. Returns the recommendations created.
    """
    _require(user, "expertise.manage_expertise", expertise)
    expertise = _locked_open(expertise)
    assignments = list(expertise.assignments.all())
    if not assignments:
        raise ValidationError("Не назначено ни одного эксперта.")
    waiting = [a for a in assignments if not a.submitted_at]
    if waiting:
        names = ", ".join(a.expert.display_name for a in waiting)
        raise ValidationError(f"Ещё не отправили оценки: {names}.")
    if not (conclusion or "").strip():
        raise ValidationError("Напишите заключение.")
    change_state(
        _stamp(expertise, user),
        expected={"status": ExpertiseStatus.OPEN},
        changes={
            "conclusion": conclusion.strip(),
            "recommendations": (recommendations or "").strip(),
            "status": ExpertiseStatus.CLOSED,
            "closed_at": timezone.now(),
        },
        stale=stale_message("экспертиза уже завершена"),
    )
    return recommendation_services.create_from_expertise(user, expertise)


# ---------------------------------------------------------------- documents


def draft_protocol(user: User, expertise: Expertise):
    """The protocol's draft (a :class:`~opora.documents.models.Document` sourced from the
    expertise), opened if one is being edited, else built from the scores now: (document,
    created). The operator edits it and fixes it with a number and a date.
    """
    from opora.documents import services as documents
    from opora.expertise.documents import protocol_draft

    _require(user, "expertise.manage_expertise", expertise)
    return documents.open_draft(
        user, lambda: protocol_draft(expertise), kind="protocol", source=expertise
    )


def draft_report(user: User, year: int, expertises: Iterable[Expertise]):
    """The analytical report of ``year`` as a draft (about the year, not one object):
    opened if one is being edited, else built over ``expertises`` now."""
    from opora.documents import services as documents
    from opora.expertise.documents import report_draft, report_topic

    _require(user, "expertise.manage_expertise")
    return documents.open_draft(
        user, lambda: report_draft(expertises, year), kind="report", topic=report_topic(year)
    )
