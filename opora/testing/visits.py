"""Builders for the tests of methodical visits and lesson observation."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from opora.development import visits
from opora.development.models import AttendedLesson, MethodicalVisit, RubricItem
from opora.people.models import Person


def levels(level: int = 2, **by_code: int) -> dict[int, int]:
    """A level for every active rubric item: ``level`` unless ``by_code`` names another."""
    return {
        item.pk: by_code.get(item.code, level) for item in RubricItem.objects.filter(is_active=True)
    }


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def planned_visit(world, user=None) -> MethodicalVisit:
    """The curator's visit to the home school yesterday, with a lesson of the home teacher."""
    user = user or world.users.curator
    visit = visits.plan_visit(
        user,
        world.home_school,
        visit_on=yesterday(),
        aim="Формирующее оценивание",
        team=[user.person] if user.person_id else [],
        team_others="" if user.person_id else "Методистова О. П.",
    )
    visits.add_lesson(
        user,
        visit,
        teacher=world.home_teacher,
        grade="7 Б",
        subject="математика",
        topic="Линейная функция",
    )
    return visit


def observe_lesson(user, lesson: AttendedLesson, recommendation: str = "", level: int = 2):
    return visits.record_observation(
        user,
        teacher=lesson.teacher,
        observed_on=lesson.visit.visit_on,
        grade=lesson.grade,
        subject=lesson.subject,
        topic=lesson.topic,
        analysis="Цель урока названа учителем, обучающиеся её не формулируют.",
        recommendation=recommendation,
        levels=levels(level),
        lesson=lesson,
    )


def school_teachers(school, n: int, name: str = "Наблюдаемая") -> list[Person]:
    return [
        Person.objects.create(last_name=f"{name}{i}", first_name="Анна", school=school)
        for i in range(n)
    ]


def observe_by_head(head, teacher: Person, level: int = 2, **by_code: int):
    return visits.record_observation(
        head,
        teacher=teacher,
        observed_on=yesterday(),
        grade="6 А",
        subject="русский язык",
        analysis="Работа в парах по критериям.",
        levels=levels(level, **by_code),
    )
