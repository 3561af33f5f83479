"""Every write of methodical visits and lesson observations: the acting user first, the rule
checked with ``guards.require``, the author stamped, one transaction. Recommendations join the
tracker through ``recommendations.services.create_for_school`` (the path curators' visits
take), so they reach the school's «Ждут меня» like any other."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from opora.accounts.guards import require, stamp
from opora.accounts.models import Role
from opora.core.calendar import current_year
from opora.core.russian.dates import row_date
from opora.development import services as development
from opora.development.models import (
    RUBRIC_LEVELS,
    AttendedLesson,
    CompetenceArea,
    LessonObservation,
    MethodicalVisit,
    MethodicalVisitStatus,
    ObservationScore,
    ObserverKind,
    Offer,
    Route,
    RubricItem,
)
from opora.people.models import Person
from opora.recommendations import services as recommendations
from opora.registry.models import School

MAX_TEXT = 5000


def _text(value: str | None, limit: int = MAX_TEXT) -> str:
    return (value or "").strip()[:limit]


def _one_line(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


# ---------------------------------------------------------------- visits


@transaction.atomic
def plan_visit(
    user,
    school: School,
    *,
    visit_on: date,
    aim: str = "",
    team: Iterable[Person] = (),
    team_others: str = "",
) -> MethodicalVisit:
    """A methodical visit («методический десант») to a school on a date, with its team.

    Example: «МКОУ «Вертикосская СОШ»», 12 марта 2026 г., цель «Формирующее оценивание на
    уроках математики», команда: Кураторова Е. В., Методистова О. П.
    """
    require(user, "development.plan_methodicalvisit", school)
    visit = MethodicalVisit(school=school, created_by=user)
    return _fill(user, visit, visit_on=visit_on, aim=aim, team=team, team_others=team_others)


@transaction.atomic
def change_visit(
    user,
    visit: MethodicalVisit,
    *,
    visit_on: date,
    aim: str = "",
    team: Iterable[Person] = (),
    team_others: str = "",
) -> MethodicalVisit:
    visit = MethodicalVisit.objects.select_for_update().get(pk=visit.pk)
    require(user, "development.edit_methodicalvisit", visit)
    return _fill(user, visit, visit_on=visit_on, aim=aim, team=team, team_others=team_others)


def _fill(user, visit, *, visit_on, aim, team, team_others) -> MethodicalVisit:
    if visit_on is None:
        raise ValidationError("Укажите дату десанта.")
    if abs(visit_on.year - current_year()) > 1:
        raise ValidationError("Дата десанта — в этом, прошлом или следующем году.")
    team = list(team)
    if any(p.school_id == visit.school_id for p in team):
        raise ValidationError("Педагоги самой школы не входят в команду десанта.")
    visit.visit_on = visit_on
    visit.aim = _one_line(aim, 500)
    visit.team_others = _one_line(team_others, 500)
    if not team and not visit.team_others:
        raise ValidationError("Назовите хотя бы одного участника команды.")
    stamp(visit, user)
    visit.full_clean()
    visit.save()
    visit.team.set(team)
    return visit


def _managed(user, visit: MethodicalVisit) -> MethodicalVisit:
    visit = MethodicalVisit.objects.select_for_update().select_related("school").get(pk=visit.pk)
    require(user, "development.change_methodicalvisit", visit)
    return visit


@transaction.atomic
def add_lesson(
    user, visit: MethodicalVisit, *, teacher: Person, grade: str, subject: str, topic: str = ""
) -> AttendedLesson:
    """A lesson the team attended: «Учителева М. И., 7 Б, математика, «Линейная функция»»."""
    visit = _managed(user, visit)
    if teacher.school_id != visit.school_id:
        raise ValidationError("Педагог не из школы, в которую был десант.")
    grade, subject = _one_line(grade, 20), _one_line(subject, 200)
    if not grade or not subject:
        raise ValidationError("Укажите класс и предмет урока.")
    lesson = AttendedLesson(
        visit=visit, teacher=teacher, grade=grade, subject=subject, topic=_one_line(topic, 500)
    )
    stamp(lesson, user).save()
    return lesson


@transaction.atomic
def remove_lesson(user, lesson: AttendedLesson) -> None:
    _managed(user, lesson.visit)
    if LessonObservation.objects.filter(lesson=lesson).exists():
        raise ValidationError("По уроку заполнено наблюдение — урок не удаляется.")
    stamp(lesson, user).delete()


def _given_at(visit: MethodicalVisit, held_on: date) -> str:
    return f"методический десант, {row_date(held_on)}"


def _give(user, visit: MethodicalVisit, text: str, given_at: str, due_date: date | None):
    recommendation = recommendations.create_for_school(
        user, visit.school, text=text, given_at=given_at, due_date=due_date
    )
    visit.recommendations.add(recommendation)
    return recommendation


@transaction.atomic
def report_visit(
    user,
    visit: MethodicalVisit,
    *,
    held_on: date,
    consultations: str,
    findings: str,
    recommendations_text: list[str],
    due_date: date | None = None,
) -> list:
    """The visit held: the consultations, the findings and the recommendations to the school;
    each recommendation — and each observation's of the visit — joins the tracker. Returns
    the recommendations given.

    Example: findings «На уроках нет дифференцированных заданий», recommendation
    «Организовать взаимопосещение уроков учителями математики».
    """
    visit = _managed(user, visit)
    if not visit.is_planned:
        raise ValidationError("Десант уже проведён — отчёт сохранён раньше.")
    if held_on is None or held_on > timezone.localdate():
        raise ValidationError("Отчитаться можно о десанте, который уже состоялся.")
    if due_date is not None and due_date < held_on:
        raise ValidationError("Срок исполнения рекомендаций — после даты десанта.")
    findings = _text(findings)
    if not findings:
        raise ValidationError("Опишите выводы по итогам десанта.")
    given_at = _given_at(visit, held_on)
    given = [
        _give(user, visit, text, given_at, due_date)
        for text in (_one_line(line, 2000) for line in recommendations_text)
        if text
    ]
    for observation in visit.observations.filter(given=None).exclude(recommendation=""):
        given.append(_give_observation(user, visit, observation, held_on, due_date))
    visit.status = MethodicalVisitStatus.HELD
    visit.visit_on = held_on
    visit.consultations = _text(consultations)
    visit.findings = findings
    stamp(visit, user).save()
    return given


def _give_observation(user, visit, observation, held_on, due_date):
    lesson = f"урок: {observation.subject}, {observation.grade} класс"
    recommendation = _give(
        user, visit, observation.recommendation, f"{_given_at(visit, held_on)}, {lesson}", due_date
    )
    observation.given = recommendation
    stamp(observation, user).save(update_fields=["given"])
    return recommendation


# ---------------------------------------------------------------- observations


def _levels(levels: dict[int, int | None]) -> dict[int, int]:
    items = {item.pk: item for item in RubricItem.objects.filter(is_active=True)}
    if not items:
        raise ValidationError("Карта наблюдения пуста — региону нужно заполнить её.")
    missing = [items[pk].title for pk in items if levels.get(pk) is None]
    if missing:
        raise ValidationError(
            "Не выбран уровень: " + "; ".join(f"«{title}»" for title in missing) + "."
        )
    if any(levels[pk] not in RUBRIC_LEVELS for pk in items):
        raise ValidationError("Уровень — от 0 до 3.")
    return {pk: levels[pk] for pk in items}


def _check_observation(visit, school, teacher, observed_on, analysis) -> None:
    if teacher.school_id != school.pk:
        raise ValidationError("Педагог не из этой школы.")
    if observed_on is None or observed_on > timezone.localdate():
        raise ValidationError("Наблюдение заполняется после урока: дата ещё не наступила.")
    if visit is not None and visit.school_id != school.pk:
        raise ValidationError("Десант был в другую школу.")
    if not analysis:
        raise ValidationError("Напишите краткий анализ урока.")


@transaction.atomic
def record_observation(
    user,
    *,
    teacher: Person,
    observed_on: date,
    grade: str,
    subject: str,
    topic: str = "",
    analysis: str,
    recommendation: str = "",
    levels: dict[int, int | None],
    lesson: AttendedLesson | None = None,
) -> LessonObservation:
    """An observed lesson: a level (0–3) for every item of the rubric, a short analysis and
    a recommendation. Within a visit (``lesson``) the visit's team writes it and, once the
    visit is held, the recommendation joins the tracker; outside one the school's
    administration or the teacher's mentor (a pair of this year) writes it.

    Example: «Обратная связь и формирующее оценивание» — 1, «Учебный климат» — 3; анализ
    «Цель названа, но обучающиеся её не формулируют»; рекомендация «Ввести листы
    самооценки на уроках математики».
    """
    visit = lesson.visit if lesson is not None else None
    school = teacher.school
    if school is None:
        raise ValidationError("У педагога не указана школа.")
    if visit is not None:
        visit = _managed(user, visit)
        kind = ObserverKind.VISIT
        if lesson.teacher_id != teacher.pk:
            raise ValidationError("На этом уроке был другой педагог.")
        if LessonObservation.objects.filter(lesson=lesson).exists():
            raise ValidationError("Наблюдение этого урока уже заполнено.")
    else:
        if teacher.pk == user.person_id:
            raise PermissionDenied("Наблюдение своего урока не заполняется.")
        require(user, "development.observe_teacher", teacher)
        kind = ObserverKind.MENTOR if user.role == Role.TEACHER else ObserverKind.ADMINISTRATION
    analysis = _text(analysis)
    _check_observation(visit, school, teacher, observed_on, analysis)
    chosen = _levels(levels)
    observation = LessonObservation(
        school=school,
        teacher=teacher,
        kind=kind,
        visit=visit,
        lesson=lesson,
        observed_on=observed_on,
        grade=_one_line(grade, 20),
        subject=_one_line(subject, 200),
        topic=_one_line(topic, 500),
        analysis=analysis,
        recommendation=_one_line(recommendation, 2000),
        author=user,
    )
    if not observation.grade or not observation.subject:
        raise ValidationError("Укажите класс и предмет урока.")
    stamp(observation, user)
    observation.full_clean()
    observation.save()
    # With their «+» history: a later correction keeps the levels first given.
    bulk_create_with_history(
        [
            ObservationScore(observation=observation, item_id=pk, level=level)
            for pk, level in chosen.items()
        ],
        ObservationScore,
        default_user=user,
    )
    if visit is not None and visit.is_held and observation.recommendation:
        _give_observation(user, visit, observation, visit.visit_on, None)
    return observation


@transaction.atomic
def edit_observation(
    user,
    observation: LessonObservation,
    *,
    observed_on: date,
    grade: str,
    subject: str,
    topic: str = "",
    analysis: str,
    recommendation: str = "",
    levels: dict[int, int | None],
) -> LessonObservation:
    """Correct a saved observation: the lesson's date, class, subject and topic, the analysis,
    the recommendation, the levels. The teacher and the visit stay; the history keeps what
    was there before and who changed it. A recommendation already given to the tracker is
    changed there, not here (the tracker's own history follows it).

    Example: the level of «Учебный климат» 2 → 3, анализ дополнен «Работа в парах по
    критериям»."""
    observation = (
        LessonObservation.objects.select_for_update(of=("self",))
        .select_related("school", "teacher", "visit")
        .get(pk=observation.pk)
    )
    require(user, "development.change_lessonobservation", observation)
    analysis = _text(analysis)
    if observed_on is None or observed_on > timezone.localdate():
        raise ValidationError("Наблюдение заполняется после урока: дата ещё не наступила.")
    if not analysis:
        raise ValidationError("Напишите краткий анализ урока.")
    chosen = _levels(levels)
    recommendation = _one_line(recommendation, 2000)
    if observation.given_id and recommendation != observation.recommendation:
        raise ValidationError(
            "Рекомендация уже передана в трекер рекомендаций — изменить её можно только там."
        )
    observation.observed_on = observed_on
    observation.grade = _one_line(grade, 20)
    observation.subject = _one_line(subject, 200)
    observation.topic = _one_line(topic, 500)
    observation.analysis = analysis
    observation.recommendation = recommendation
    if not observation.grade or not observation.subject:
        raise ValidationError("Укажите класс и предмет урока.")
    stamp(observation, user)
    observation.full_clean()
    observation.save()
    scores = {score.item_id: score for score in observation.scores.all()}
    for pk, level in chosen.items():
        score = scores.get(pk) or ObservationScore(observation=observation, item_id=pk)
        if score.pk is None or score.level != level:
            score.level = level
            stamp(score, user).save()
    visit = observation.visit
    if visit is not None and visit.is_held and recommendation and not observation.given_id:
        _give_observation(user, visit, observation, visit.visit_on, None)
    return observation


@transaction.atomic
def attach_route_step(
    user, observation: LessonObservation, offer: Offer, area: CompetenceArea | None = None
):
    """Propose a step of the teacher's route from an observation: the offer joins this year's
    route (the route's own rule decides who may: the school head, the operator) and the
    observation shows it."""
    require(user, "development.view_lessonobservation", observation)
    route = Route.objects.filter(person_id=observation.teacher_id, year=current_year()).first()
    if route is None:
        raise ValidationError(
            "У педагога нет маршрута на этот год — сначала предложите маршруты школы."
        )
    existing = route.steps.filter(offer=offer).first()
    step = existing or development.add_step(user, route, offer, area)
    observation = LessonObservation.objects.select_for_update().get(pk=observation.pk)
    observation.route_step = step
    stamp(observation, user).save(update_fields=["route_step"])
    return step


# ---------------------------------------------------------------- the rubric


@transaction.atomic
def save_rubric_item(user, item: RubricItem | None, **fields) -> RubricItem:
    """Add or change an item of the observation rubric (the region's): its title, the four
    level descriptors, whether it is in the form. An item already used stays (switched off)."""
    require(user, "development.change_rubricitem", item)
    item = item or RubricItem(code=_new_code())
    for name, value in fields.items():
        setattr(item, name, _one_line(value, 500) if isinstance(value, str) else value)
    if not item.title:
        raise ValidationError("Назовите, что наблюдается.")
    stamp(item, user)
    item.full_clean()
    item.save()
    return item


def _new_code() -> str:
    n = RubricItem.objects.count() + 1
    while RubricItem.objects.filter(code=f"item-{n}").exists():
        n += 1
    return f"item-{n}"
