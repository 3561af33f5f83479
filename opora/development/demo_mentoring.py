"""Mentoring and professional contests in ``opora demo`` (idempotent): two mentor pairs of the
home school (the demo teacher «teacher» is mentored by «mentor», who observed one of their
lessons), a few entries in their log and in the
log of this year's pair of schools of Kargasok district, the regional «Учитель года» with its
stages and participants, a municipal «Педагогический дебют». Synthetic, labelled «(демо)»."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from opora.accounts.models import Role, User
from opora.core.contributions import Demo
from opora.development import services_contests, services_mentoring, visits
from opora.development.demo import TEACHER_LOGIN
from opora.development.models import (
    ActivityKind,
    Contest,
    ContestLevel,
    ContestResult,
    LessonObservation,
    MentorPair,
    RubricItem,
)
from opora.people.models import Person, SchoolPair
from opora.registry.demo import DEMO_PASSWORD
from opora.registry.models import School

MENTOR_LOGIN = "mentor"
ENTRIES = [
    (
        ActivityKind.LESSON_VISIT,
        "Посещение урока математики в 6 классе",
        "Разобрали этапы урока; договорились о листах самооценки.",
    ),
    (
        ActivityKind.JOINT_PLANNING,
        "Совместная разработка урока по смысловому чтению",
        "Подготовлена технологическая карта урока.",
    ),
    (
        ActivityKind.OPEN_LESSON,
        "Открытый урок наставника «Дроби на практике»",
        "Педагог посетил урок, составил анализ.",
    ),
]


def load(demo: Demo) -> None:
    operator = User.objects.filter(username="operator").first()
    teacher = User.objects.filter(username=TEACHER_LOGIN).select_related("person").first()
    if operator is None or teacher is None or teacher.person is None:
        return  # the development demo has not been loaded
    home = teacher.person.school
    _mentor_pairs(operator, home, teacher.person, demo.year)
    mentor = _mentor_login(teacher.person, demo.year)
    if mentor is not None:
        demo.logins.append((MENTOR_LOGIN, DEMO_PASSWORD, "Педагог-наставник"))
        _mentor_observation(mentor, teacher.person)
    _school_pair_log(operator, home, demo.year)
    _contests(operator, home, demo.year)
    demo.report("mentor_pairs", "пар «наставник — педагог»", MentorPair.objects.count())
    demo.report("contests", "профессиональных конкурсов", Contest.objects.count())


def _mentor_login(mentee: Person, year: int) -> User | None:
    """«mentor»: the demo teacher's mentor signs in as a teacher and sees the pair."""
    pair = MentorPair.objects.filter(mentee=mentee, year=year).select_related("mentor").first()
    if pair is None:
        return None
    person = pair.mentor
    user = User.objects.filter(username=MENTOR_LOGIN).first() or User(username=MENTOR_LOGIN)
    user.role, user.person, user.school = Role.TEACHER, person, person.school
    user.first_name, user.last_name, user.patronymic = (
        person.first_name,
        person.last_name,
        person.patronymic,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _mentor_observation(mentor: User, mentee: Person) -> None:
    """The mentor observed a lesson of the teacher they mentor (the only lessons they may)."""
    if LessonObservation.objects.filter(author=mentor, teacher=mentee).exists():
        return
    if not RubricItem.objects.filter(is_active=True).exists():
        return
    visits.record_observation(
        mentor,
        teacher=mentee,
        observed_on=_days_ago(26),
        grade="6 Б",
        subject="математика",
        topic="Сложение дробей с разными знаменателями",
        analysis="Цель урока названа учителем; самооценка по листам — у половины класса.",
        recommendation="Давать критерии до начала самостоятельной работы.",
        levels={item.pk: 2 for item in RubricItem.objects.filter(is_active=True)},
    )


def _days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def _mentor_pairs(operator, home: School, mentee: Person, year: int) -> None:
    if MentorPair.objects.filter(year=year, school=home).exists():
        return
    colleagues = list(
        Person.objects.filter(school=home, diagnostics__isnull=False)
        .exclude(pk=mentee.pk)
        .distinct()
        .order_by("last_name")
    )
    if len(colleagues) < 3:
        return
    mentor = next((p for p in colleagues if "заместитель" in p.position), colleagues[0])
    pair = services_mentoring.create_mentor_pair(
        operator, mentor=mentor, mentee=mentee, year=year, focus="Формирующее оценивание на уроке"
    )
    for n, (kind, topic, outcome) in enumerate(ENTRIES):
        services_mentoring.log_activity(
            operator,
            mentor_pair=pair,
            held_on=_days_ago(40 - 14 * n),
            kind=kind,
            topic=topic,
            outcome=outcome,
        )
    other = next(p for p in colleagues if p.pk != mentor.pk)
    neighbour = (
        Person.objects.filter(school__municipality=home.municipality, diagnostics__isnull=False)
        .exclude(school=home)
        .distinct()
        .order_by("last_name")
        .first()
    )
    if neighbour is not None:
        services_mentoring.create_mentor_pair(
            operator, mentor=neighbour, mentee=other, year=year, focus="Читательская грамотность"
        )


def _school_pair_log(operator, home: School, year: int) -> None:
    pair = SchoolPair.objects.filter(
        year=year, supported_school__municipality=home.municipality
    ).first()
    if pair is None or pair.activities.exists():
        return
    services_mentoring.log_activity(
        operator,
        school_pair=pair,
        held_on=_days_ago(30),
        kind=ActivityKind.SEMINAR,
        topic="Совместный педагогический совет «Качество образования: что меняем»",
        outcome="Приняли план взаимопосещения уроков на полугодие.",
    )
    services_mentoring.log_activity(
        operator,
        school_pair=pair,
        held_on=_days_ago(12),
        kind=ActivityKind.TEACHER_EXCHANGE,
        topic="Уроки учителя математики школы-наставника в 9 классе",
        outcome="Проведено 4 урока подготовки к ОГЭ.",
    )


def _contests(operator, home: School, year: int) -> None:
    if Contest.objects.filter(title__endswith="(демо)").exists():
        return
    regional = services_contests.save_contest(
        operator,
        None,
        title="Учитель года — региональный этап (демо)",
        level=ContestLevel.REGIONAL,
        year=year,
        municipality=None,
        organiser="ТОИПКРО",
        note="Региональный этап Всероссийского конкурса «Учитель года России».",
    )
    stages = [
        services_contests.add_stage(operator, regional, title=title, starts_on=s, ends_on=e)
        for title, s, e in (
            ("Заочный тур", date(year, 2, 1), date(year, 2, 28)),
            ("Очный тур", date(year, 3, 15), date(year, 3, 20)),
            ("Финал", date(year, 4, 10), date(year, 4, 10)),
        )
    ]
    people = list(
        Person.objects.filter(school__municipality=home.municipality, diagnostics__isnull=False)
        .distinct()
        .order_by("school__code", "last_name")[:3]
    )
    topics = [
        "Проектные задачи на уроках математики",
        "Смысловое чтение на уроках истории",
        "Цифровые тренажёры в начальной школе",
    ]
    for n, person in enumerate(people):
        entry = services_contests.enter_participant(operator, regional, person, topic=topics[n])
        if n == 0:
            services_contests.set_result(
                operator, entry, result=ContestResult.LAUREATE, reached=stages[1]
            )
    services_contests.save_contest(
        operator,
        None,
        title="Педагогический дебют (демо)",
        level=ContestLevel.MUNICIPAL,
        year=year,
        municipality=home.municipality,
        organiser="Управление образования",
        note="",
    )
