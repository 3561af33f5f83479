"""Demo data of coaching (idempotent), coherent with the demo year: «МКОУ «Вертикосская
СОШ»» (demo login «school») completed its self-analysis in March and the curator of Каргасокский
район (login «curator») commented on it; the curator's plan for the district with its targets,
two visits held (one with recommendations to the school, in its «Ждут меня») and two planned.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from opora.accounts.models import Role
from opora.coaching import services
from opora.coaching.models import (
    Comment,
    PracticeIndicator,
    PracticeLevel,
    SelfAnalysis,
    Visit,
    VisitKind,
    WorkPlan,
)

LEVELS = {
    "results_analysis": (
        PracticeLevel.PARTLY,
        "Результаты ВПР обсуждаются на педсовете, решения не фиксируются.",
        False,
    ),
    "vsoko": (
        PracticeLevel.PARTLY,
        "Положение о ВСОКО есть, мониторинг проводится раз в год.",
        False,
    ),
    "formative": (
        PracticeLevel.NOT_DEVELOPED,
        "Оценивание на уроках только отметками, обратной связи нет.",
        True,
    ),
    "differentiation": (PracticeLevel.NOT_DEVELOPED, "Задания одинаковые для всего класса.", True),
    "extra_classes": (
        PracticeLevel.PARTLY,
        "Консультации по математике в 9 классе; в 5–8 классах нет.",
        False,
    ),
    "mentoring": (PracticeLevel.PARTLY, "Наставник закреплён за одним молодым учителем.", True),
    "deficits": (PracticeLevel.PARTLY, "Курсы выбираются без учёта диагностики дефицитов.", False),
    "motivation": (
        PracticeLevel.NOT_DEVELOPED,
        "По анкете обучающихся интерес к урокам низкий.",
        False,
    ),
    "parents": (
        PracticeLevel.PARTLY,
        "Родительские собрания раз в четверть, явка около трети.",
        False,
    ),
    "environment": (PracticeLevel.FULLY, "Здание отремонтировано, есть точка роста.", False),
    "partners": (PracticeLevel.NOT_PRIORITY, "Школа-наставник закреплена муниципалитетом.", False),
}


def _user(username: str, role: str):
    return get_user_model().objects.filter(username=username, role=role).first()


def _analysis(school_user, curator, year: int) -> None:
    school = school_user.school
    if SelfAnalysis.objects.filter(school=school, year=year).exists():
        return
    analysis = services.start_analysis(school_user, school, year)
    indicators = {i.code: i.pk for i in PracticeIndicator.objects.all()}
    services.save_analysis(
        school_user,
        analysis,
        internal_causes="Высокая доля учителей-совместителей; нет системы работы с "
        "обучающимися с трудностями в обучении; формальный внутришкольный контроль.",
        external_causes="Удалённость от районного центра; высокая доля семей с низким "
        "доходом; нет учителя физики по основной должности.",
        goals="К концу учебного года снизить долю отметок «2» по ВПР по математике в 5–7 "
        "классах до 15 %; у каждого учителя — приёмы формирующего оценивания.",
        ratings={
            indicators[code]: services.RatingInput(level, evidence, priority)
            for code, (level, evidence, priority) in LEVELS.items()
            if code in indicators
        },
    )
    services.submit_analysis(school_user, analysis)
    if curator is not None:
        first = services.post_comment(
            curator,
            school,
            "Причины описаны честно. Предлагаю начать с формирующего оценивания: на "
            "проектной сессии разберём приёмы на уроках математики.",
            analysis=analysis,
        )
        services.post_comment(
            school_user,
            school,
            "Согласны, включим в программу. Просим порекомендовать курсы для учителей математики.",
            analysis=analysis,
            parent=first,
        )


def _plan(curator, school_user, year: int) -> WorkPlan | None:
    municipality = school_user.school.municipality
    plan = WorkPlan.objects.filter(
        curator_id=curator.person_id, municipality=municipality, year=year
    ).first()
    if plan is not None:
        return plan
    plan = services.create_plan(
        curator,
        municipality,
        note="Сопровождение разработки школьных программ, проектные сессии с управленческими "
        "командами, методические выезды в школы с посещением уроков.",
        targets={VisitKind.PROJECT_SESSION: 3, VisitKind.METHODICAL: 4},
    )
    school = school_user.school
    today = timezone.localdate()
    visits = [
        (
            VisitKind.PROJECT_SESSION,
            date(year, 4, 20),
            None,
            "Проектная сессия «Программа перехода в эффективный режим»",
        ),
        (
            VisitKind.METHODICAL,
            date(year, 10, 14),
            school,
            "Посещение уроков математики в 5–7 классах",
        ),
        (
            VisitKind.PROJECT_SESSION,
            date(year, 11, 18),
            None,
            "Промежуточные итоги реализации программ",
        ),
        (
            VisitKind.METHODICAL,
            date(year + 1, 2, 10),
            school,
            "Формирующее оценивание: повторное посещение",
        ),
    ]
    for kind, day, where, topic in visits:
        visit = services.plan_visit(
            curator, plan, kind=kind, planned_on=day, school=where, topic=topic
        )
        if day.month in (4, 10) and day <= today:
            _report(curator, visit, day)
    return plan


def _report(curator, visit: Visit, day: date) -> None:
    if visit.school is None:
        services.report_visit(
            curator,
            visit,
            held_on=day,
            findings="Проведена проектная сессия с управленческими командами 4 школ района; "
            "определены приоритеты школьных программ.",
            recommendations_text=[],
        )
        return
    services.report_visit(
        curator,
        visit,
        held_on=day,
        findings="Посещено 4 урока математики: задания одинаковые для всего класса, "
        "обратная связь ученикам только отметкой.",
        recommendations_text=[
            "Организовать взаимопосещение уроков учителями математики с анализом по единой карте",
            "Включить приёмы формирующего оценивания в планы уроков 5–7 классов",
        ],
        due_date=date(day.year, 12, 25),
    )


@transaction.atomic
def load(demo) -> None:
    demo.report("practice_indicators", "показателей самоанализа", PracticeIndicator.objects.count())
    school_user = _user("school", Role.SCHOOL)
    curator = _user("curator", Role.CURATOR)
    if school_user is None or school_user.school_id is None:
        return
    if curator is not None and curator.person_id is None:
        curator = None
    _analysis(school_user, curator, demo.year)
    if curator is not None:
        _plan(curator, school_user, demo.year)
    demo.report("self_analyses", "самоанализов школ", SelfAnalysis.objects.count())
    demo.report("curator_plans", "планов работы кураторов", WorkPlan.objects.count())
    demo.report("curator_visits", "выездов кураторов", Visit.objects.count())
    demo.report("coaching_comments", "комментариев кураторов и школ", Comment.objects.count())
