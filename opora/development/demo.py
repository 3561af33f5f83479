"""The professional-development part of ``opora demo`` (idempotent): competence areas, the
catalogue, a diagnostics file imported as the operator would, routes proposed and one
approved and under way, a calendar with a past seminar (attendance, a practice presented) and
a coming webinar, and the teacher's login «teacher» — so each role sees something on first
sign-in. Synthetic teachers, labelled «(демо)» in their position."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from opora.accounts.models import Role, User
from opora.core.contributions import Demo
from opora.development import services
from opora.development.importing import apply_diagnostics_import, plan_diagnostics_import
from opora.development.models import (
    CompetenceArea,
    Diagnostic,
    EventKind,
    Offer,
    OfferFormat,
    OfferKind,
    ParticipantRole,
    Registration,
    Route,
    RouteStatus,
    StepStatus,
    SupportEvent,
)
from opora.people.models import Person
from opora.registry.models import School

AREAS = [
    "Предметные компетенции",
    "Методические компетенции",
    "Оценивание образовательных результатов",
    "Работа с обучающимися с трудностями в обучении",
    "Читательская грамотность",
    "Цифровая образовательная среда",
    "Воспитательная работа и взаимодействие с семьёй",
    "Управление школой по результатам",
]
OFFERS = [
    (OfferKind.COURSE, "Формирующее оценивание на уроке", 36, [2], False),
    (OfferKind.COURSE, "Преподавание математики: трудные темы ОГЭ", 72, [0, 1], False),
    (
        OfferKind.COURSE,
        "Работа с обучающимися, испытывающими трудности в обучении",
        36,
        [3, 6],
        False,
    ),
    (OfferKind.COURSE, "Смысловое чтение на всех предметах", 24, [4, 1], False),
    (OfferKind.SEMINAR, "Цифровые инструменты учителя", None, [5], False),
    (OfferKind.WEBINAR, "Анализ результатов ВПР и планирование работы", None, [2, 0], False),
    (
        OfferKind.INTERNSHIP,
        "Стажировка в школе-наставнике: управление по результатам",
        16,
        [7],
        True,
    ),
    (
        OfferKind.COURSE,
        "Управление качеством образования в школе с низкими результатами",
        72,
        [7, 2],
        True,
    ),
    (OfferKind.MENTORING, "Программа наставничества «Молодой учитель»", None, [1, 6], False),
    (OfferKind.VISIT, "Методический десант ТОИПКРО", None, [1, 3], False),
]
FIRST = ["Анна", "Елена", "Ольга", "Наталья", "Ирина", "Светлана", "Марина", "Татьяна", "Юлия"]
LAST = [
    "Смирнова",
    "Кузнецова",
    "Попова",
    "Васильева",
    "Новикова",
    "Фёдорова",
    "Морозова",
    "Волкова",
    "Алексеева",
    "Лебедева",
    "Семёнова",
    "Егорова",
    "Павлова",
    "Козлова",
]
MIDDLE = ["Александровна", "Сергеевна", "Викторовна", "Николаевна", "Петровна", "Ивановна"]
POSITIONS = ["учитель"] * 6 + ["заместитель директора по УВР", "директор"]
SUBJECTS = ["математика", "русский язык", "история", "биология", "физика", "начальные классы"]
TEACHER_LOGIN = "teacher"
DEMO_TITLE = "Диагностика профессиональных компетенций (демо)"


def load(demo: Demo) -> None:
    operator = User.objects.filter(username="operator").first()
    home = School.objects.filter(full_name="МКОУ «Вертикосская СОШ»").first()
    if operator is None or home is None:
        return  # the registry's demo has not been loaded
    _areas()
    _offers(operator, demo.year)
    if not Diagnostic.objects.filter(title=DEMO_TITLE).exists():
        _diagnostics(operator, home, demo.year)
    teacher = _teacher_login(home)
    if teacher is not None:
        demo.logins.append((TEACHER_LOGIN, _password(), "Педагог"))
        _routes(home, teacher, demo.year)
    _events(operator, home, demo.year)
    demo.report(
        "teachers_diagnosed",
        "педагогов с диагностикой",
        Person.objects.filter(diagnostics__isnull=False).distinct().count(),
    )


def _password() -> str:
    from opora.registry.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


def _areas() -> None:
    for order, title in enumerate(AREAS, start=1):
        CompetenceArea.objects.get_or_create(title=title, defaults={"order": order})


def _offers(operator, year: int) -> None:
    areas = list(CompetenceArea.objects.filter(title__in=AREAS).order_by("order"))
    by_title = {a.title: a for a in areas}
    start = date(year, 9, 15)
    for n, (kind, title, hours, indices, management) in enumerate(OFFERS):
        if Offer.objects.filter(title=title).exists():
            continue
        starts = start + timedelta(days=14 * n)
        services.save_offer(
            operator,
            None,
            areas=[by_title[AREAS[i]] for i in indices],
            kind=kind,
            title=title,
            provider="ТОИПКРО"
            if n % 3
            else "Центр непрерывного повышения профессионального мастерства",
            hours=hours,
            starts_on=starts,
            ends_on=starts + timedelta(days=20 if kind == OfferKind.COURSE else 0),
            format=[OfferFormat.BLENDED, OfferFormat.ONLINE, OfferFormat.ONSITE][n % 3],
            topics="",
            for_management=management,
            is_active=True,
        )


def _diagnostics(operator, home: School, year: int) -> None:
    """A file in the operator's layout: every school of the home school's municipality and
    Томск's СОШ № 28, eight teachers each, every area."""
    rng = random.Random(14)
    schools = list(School.objects.filter(municipality=home.municipality).order_by("code")[:12])
    extra = School.objects.filter(full_name="МАОУ СОШ № 28").first()
    if extra is not None:
        schools.append(extra)
    lines = [";".join(["ФИО", "Код ОО", "Должность", "Предмет", "Область компетенций", "Балл"])]
    for s_index, school in enumerate(schools):
        for t in range(8):
            name = f"{LAST[(s_index + t) % len(LAST)]} {FIRST[t]} {MIDDLE[(s_index * 3 + t) % len(MIDDLE)]}"
            position = POSITIONS[t]
            for area in AREAS:
                if area == AREAS[7] and position == "учитель":
                    continue
                score = max(10, min(100, int(rng.gauss(62 if school != home else 52, 16))))
                lines.append(
                    ";".join([name, school.code, position, SUBJECTS[t % 6], area, str(score)])
                )
    data = "\n".join(lines).encode("utf-8")
    plan = plan_diagnostics_import(data, "диагностика-демо.csv", title=DEMO_TITLE, year=year)
    if plan.ok:
        apply_diagnostics_import(operator, plan)


def _teacher_login(home: School) -> User | None:
    person = (
        Person.objects.filter(school=home, diagnostics__isnull=False, position="учитель")
        .order_by("last_name", "first_name")
        .first()
    )
    if person is None:
        return None
    user = User.objects.filter(username=TEACHER_LOGIN).first() or User(username=TEACHER_LOGIN)
    user.role, user.person, user.school = Role.TEACHER, person, home
    user.first_name, user.last_name, user.patronymic = (
        person.first_name,
        person.last_name,
        person.patronymic,
    )
    user.set_password(_password())
    user.save()
    return user


def _routes(home: School, teacher: User, year: int) -> None:
    head = User.objects.filter(username="school").first()
    if head is None or Route.objects.filter(school=home, year=year).exists():
        return
    services.propose_routes(head, home, year)
    own = Route.objects.filter(person=teacher.person, year=year).first()
    if own is not None and own.steps.exists():
        services.approve_route(head, own, "Согласовано на методическом совете.")
        first = own.steps.order_by("pk").first()
        services.track_step(teacher, first, StepStatus.ENROLLED)
    other = (
        Route.objects.filter(school=home, year=year, status=RouteStatus.DRAFT)
        .exclude(person=None)
        .first()
    )
    if other is not None:
        Route.objects.filter(pk=other.pk).update(status=RouteStatus.SUBMITTED)


def _events(operator, home: School, year: int) -> None:
    if SupportEvent.objects.filter(title__endswith="(демо)").exists():
        return
    now = timezone.localtime()
    past_day = (now - timedelta(days=10)).date()
    seminar = services.save_event(
        operator,
        None,
        kind=EventKind.SEMINAR,
        title="Формирующее оценивание: практики школ района (демо)",
        starts_at=timezone.make_aware(datetime.combine(past_day, time(10))),
        ends_at=timezone.make_aware(datetime.combine(past_day, time(13))),
        place="Каргасок, РМК, ул. Советская, 47",
        audience="учителя и заместители директоров",
        municipality=home.municipality,
        offer=None,
        link="",
    )
    people = list(Person.objects.filter(school=home, diagnostics__isnull=False).distinct()[:5])
    for n, person in enumerate(people):
        Registration.objects.get_or_create(
            event=seminar,
            person=person,
            defaults={
                "school": home,
                "role": ParticipantRole.SPEAKER if n == 0 else ParticipantRole.LISTENER,
                "topic": "Листы самооценки на уроках математики" if n == 0 else "",
                "attended": n != 4,
            },
        )
    services.save_outcome(
        operator,
        seminar,
        "Представлены 1 практика и 2 открытых урока; решено провести серию вебинаров.",
    )
    soon = (now + timedelta(days=7)).date()
    services.save_event(
        operator,
        None,
        kind=EventKind.WEBINAR,
        title="Анализ результатов ВПР и планирование работы (демо)",
        starts_at=timezone.make_aware(datetime.combine(soon, time(15))),
        ends_at=timezone.make_aware(datetime.combine(soon, time(16, 30))),
        place="",
        link="https://toipkro.ru/",
        audience="учителя школ с низкими результатами",
        municipality=None,
        offer=Offer.objects.filter(kind=OfferKind.WEBINAR).first(),
    )
