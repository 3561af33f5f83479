"""The methodical visits' part of ``opora demo`` (idempotent): the curator of Каргасокский
район (login «curator») held a methodical visit to «МКОУ «Вертикосская СОШ»» three weeks ago
with two observed lessons — one of them the demo teacher's (login «teacher») — whose
recommendations are in the tracker and the school's «Ждут меня»; the school's administration
observed four more lessons, so the school's levels show beside the region's; a second visit
is planned. Synthetic, marked «(демо)» in the visit's aim."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from opora.accounts.models import Role, User
from opora.core.contributions import Demo
from opora.development import visits
from opora.development.models import MethodicalVisit, RubricItem
from opora.people.models import Person
from opora.registry.models import School

AIM = "Формирующее оценивание на уроках математики и русского языка (демо)"

#: (grade, subject, topic, levels by rubric code, analysis, recommendation)
LESSONS = [
    (
        "7 Б",
        "математика",
        "Линейная функция и её график",
        {"goals": 1, "activity": 2, "differentiation": 0, "feedback": 1, "reflection": 1},
        "Цель урока названа учителем, обучающиеся её не формулируют. Задания одинаковые для "
        "всего класса; слабые ученики ждали помощи у доски. Обратная связь — отметками.",
        "Ввести на уроках математики задания трёх уровней сложности и листы самооценки",
    ),
    (
        "5 А",
        "русский язык",
        "Правописание приставок",
        {"goals": 2, "activity": 2, "differentiation": 1, "feedback": 2, "reflection": 2},
        "Работа в парах по критериям, обучающиеся проверяли друг друга. Итоги урока подвёл "
        "учитель, трудности обучающихся не обсуждались.",
        "Организовать взаимопосещение уроков русского языка и математики по формирующему "
        "оцениванию",
    ),
]
SCHOOL_LEVELS = [
    {"goals": 2, "activity": 1, "differentiation": 1, "feedback": 1, "reflection": 0},
    {"goals": 2, "activity": 2, "differentiation": 1, "feedback": 2, "reflection": 1},
    {"goals": 1, "activity": 1, "differentiation": 0, "feedback": 1, "reflection": 1},
    {"goals": 3, "activity": 2, "differentiation": 2, "feedback": 2, "reflection": 2},
]


def _levels(by_code: dict[str, int]) -> dict[int, int]:
    return {
        item.pk: by_code.get(item.code, 2) for item in RubricItem.objects.filter(is_active=True)
    }


def load(demo: Demo) -> None:
    curator = User.objects.filter(username="curator", role=Role.CURATOR).first()
    head = User.objects.filter(username="school", role=Role.SCHOOL).first()
    home = School.objects.filter(full_name="МКОУ «Вертикосская СОШ»").first()
    if curator is None or head is None or home is None or not RubricItem.objects.exists():
        return
    if not MethodicalVisit.objects.filter(aim=AIM).exists():
        _held_visit(curator, head, home)
    demo.report("methodical_visits", "методических десантов", MethodicalVisit.objects.count())


def _teachers(home: School) -> list[Person]:
    own = User.objects.filter(username="teacher", role=Role.TEACHER).first()
    people = list(
        Person.objects.filter(school=home, position="учитель").order_by("last_name", "first_name")
    )
    if own is not None and own.person in people:
        people.remove(own.person)
        people.insert(0, own.person)
    return people


def _held_visit(curator, head, home: School) -> None:
    teachers = _teachers(home)
    if len(teachers) < 2 + len(SCHOOL_LEVELS):
        return
    today = timezone.localdate()
    held_on = today - timedelta(days=21)
    team = [curator.person] if curator.person_id else []
    visit = visits.plan_visit(
        curator,
        home,
        visit_on=held_on,
        aim=AIM,
        team=team,
        team_others="Методистова О. П., ТОИПКРО; Наставникова И. А., учитель МАОУ СОШ № 28",
    )
    for teacher, (grade, subject, topic, levels, analysis, advice) in zip(
        teachers, LESSONS, strict=False
    ):
        lesson = visits.add_lesson(
            curator, visit, teacher=teacher, grade=grade, subject=subject, topic=topic
        )
        visits.record_observation(
            curator,
            teacher=teacher,
            observed_on=held_on,
            grade=grade,
            subject=subject,
            topic=topic,
            analysis=analysis,
            recommendation=advice,
            levels=_levels(levels),
            lesson=lesson,
        )
    visits.report_visit(
        curator,
        visit,
        held_on=held_on,
        consultations="Заместитель директора по УВР — план внутришкольного контроля на "
        "полугодие; учителя математики — разбор заданий ВПР с низкой решаемостью.",
        findings="Формирующее оценивание на уроках почти не используется: обратная связь "
        "сводится к отметкам, задания не дифференцированы. Учителя открыты к изменениям, "
        "в школе есть опыт работы в парах по критериям.",
        recommendations_text=[
            "Включить посещение уроков по карте наблюдения в план внутришкольного контроля"
        ],
        due_date=today + timedelta(days=60),
    )
    for n, (teacher, levels) in enumerate(zip(teachers[2:], SCHOOL_LEVELS, strict=False)):
        visits.record_observation(
            head,
            teacher=teacher,
            observed_on=today - timedelta(days=14 - n),
            grade=f"{6 + n} А",
            subject="математика" if n % 2 else "русский язык",
            analysis="Наблюдение администрации в рамках внутришкольного контроля.",
            levels=_levels(levels),
        )
    visits.plan_visit(
        curator,
        home,
        visit_on=today + timedelta(days=30),
        aim="Повторный десант: дифференциация заданий (демо)",
        team=team,
    )
