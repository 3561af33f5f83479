"""Demo data of questionnaires (idempotent): four questionnaires of seed 003's event 6 — the
head, teachers, pupils and parents — sent to this year's listed schools in three campaigns
(the pupils and their parents in one, each audience with its own questionnaire and link),
with synthetic answers (labelled as such) so that results, tracking and risk profiles have
something to show.

The head's questionnaire of «МКОУ «Вертикосская СОШ»» is left unanswered: the demo user
«school» finds it in «Ждут меня». A few schools have no answers, so tracking shows who is
missing.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from opora.registry.models import School, SchoolStatus
from opora.surveys import synthetic
from opora.surveys.models import (
    ANONYMOUS,
    Audience,
    Campaign,
    CampaignAudience,
    CampaignSchool,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    SchoolLink,
    Section,
)

K = QuestionKind
FREQUENCY = ["Никогда", "Редко", "Иногда", "Часто"]
YES_PARTLY_NO = ["Да", "Частично", "Нет"]

# title, audience, description, [(section, [question dicts])]
QUESTIONNAIRES = [
    (
        "Анкета руководителя школы",
        Audience.HEAD,
        "Анкета заполняется руководителем один раз за школу. Ответы помогают рассчитать "
        "рисковый профиль школы.",
        [
            (
                "Ресурсы школы",
                [
                    {
                        "kind": K.SINGLE,
                        "text": "Оснащены ли учебные кабинеты современным оборудованием?",
                        "options": YES_PARTLY_NO,
                        "code": "equipment",
                    },
                    {
                        "kind": K.NUMBER,
                        "text": "Сколько педагогических вакансий в школе сейчас?",
                        "scale_min": 0,
                        "scale_max": 50,
                        "code": "vacancies",
                    },
                ],
            ),
            (
                "Методическая работа",
                [
                    {
                        "kind": K.SINGLE,
                        "text": "Работают ли в школе методические объединения и наставничество?",
                        "options": ["Да", "Нет"],
                        "code": "inschool_pd",
                    },
                    {
                        "kind": K.TEXT,
                        "text": "Какая поддержка региона нужна школе в первую очередь?",
                        "required": False,
                        "show_if": 1,
                        "show_if_option": "Нет",
                    },
                ],
            ),
        ],
    ),
    (
        "Анкета для педагогов",
        Audience.TEACHERS,
        "Анкета анонимна: школа видит только обобщённые ответы педагогов. Заполнение займёт 5 минут.",
        [
            (
                "Профессиональная уверенность",
                [
                    {
                        "kind": K.SCALE,
                        "text": "Насколько вы уверены в методиках преподавания своего предмета?",
                        "scale_min": 1,
                        "scale_max": 5,
                        "code": "methodical_confidence",
                    },
                    {
                        "kind": K.SCALE,
                        "text": "Насколько часто вы даёте ученикам задания разного уровня сложности?",
                        "scale_min": 1,
                        "scale_max": 5,
                        "code": "differentiation",
                    },
                    {
                        "kind": K.MATRIX,
                        "text": "Как часто вы используете на уроках:",
                        "options": FREQUENCY,
                        "rows": ["формирующее оценивание", "групповую работу", "цифровые ресурсы"],
                    },
                ],
            ),
            (
                "Что нужно",
                [
                    {
                        "kind": K.MULTIPLE,
                        "text": "Какие формы повышения квалификации вам полезны?",
                        "options": [
                            "Курсы (КПК)",
                            "Методический десант",
                            "Наставничество",
                            "Взаимопосещение уроков",
                        ],
                    },
                    {"kind": K.TEXT, "text": "Какая помощь вам нужна?", "required": False},
                ],
            ),
        ],
    ),
    (
        "Анкета для обучающихся 7–9 классов",
        Audience.PUPILS,
        "Анкета анонимная: мы не спрашиваем имя. Ответь честно — это поможет сделать школу лучше.",
        [
            (
                "Учёба",
                [
                    {
                        "kind": K.SCALE,
                        "text": "Насколько тебе интересно на уроках?",
                        "scale_min": 1,
                        "scale_max": 5,
                        "code": "motivation",
                    },
                    {
                        "kind": K.SCALE,
                        "text": "Насколько ты чувствуешь себя в школе в безопасности?",
                        "scale_min": 1,
                        "scale_max": 5,
                        "code": "safety",
                    },
                    {
                        "kind": K.SINGLE,
                        "text": "Как часто шум и нарушения на уроках мешают учиться?",
                        "options": list(reversed(FREQUENCY)),
                        "code": "discipline",
                    },
                    {
                        "kind": K.TEXT,
                        "text": "Что больше всего мешает на уроках?",
                        "required": False,
                        "show_if": 3,
                        "show_if_option": "Часто",
                    },
                    {
                        "kind": K.MULTIPLE,
                        "text": "Что помогает тебе учиться?",
                        "options": [
                            "Объяснения учителя",
                            "Помощь одноклассников",
                            "Дополнительные занятия",
                            "Видеоуроки",
                        ],
                    },
                ],
            ),
        ],
    ),
    (
        "Анкета для родителей обучающихся",
        Audience.PARENTS,
        "Анкета анонимная. Ответы помогут школе лучше работать с семьями.",
        [
            (
                "Школа и семья",
                [
                    {
                        "kind": K.SCALE,
                        "text": "Насколько вы вовлечены в школьную жизнь ребёнка?",
                        "scale_min": 1,
                        "scale_max": 5,
                        "code": "involvement",
                    },
                    {
                        "kind": K.SINGLE,
                        "text": "Как часто вы бываете на родительских собраниях?",
                        "options": ["Всегда", "Иногда", "Никогда"],
                    },
                    {
                        "kind": K.NUMBER,
                        "text": "Сколько минут в день ребёнок тратит на домашние задания?",
                        "scale_min": 0,
                        "scale_max": 300,
                    },
                    {
                        "kind": K.TEXT,
                        "text": "Что мешает вам бывать на собраниях?",
                        "required": False,
                        "show_if": 2,
                        "show_if_option": "Никогда",
                    },
                ],
            ),
        ],
    ),
]


#: The demo's campaigns: the pupils and their parents are asked in one.
CAMPAIGNS = [
    ("Анкетирование руководителей", [Audience.HEAD]),
    ("Анкетирование педагогов", [Audience.TEACHERS]),
    ("Анкетирование обучающихся и родителей", [Audience.PUPILS, Audience.PARENTS]),
]


def build_questionnaire(title, audience, description, sections) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        title=title, audience=audience, description=description
    )
    for s_order, (section_title, questions) in enumerate(sections, start=1):
        section = Section.objects.create(
            questionnaire=questionnaire, order=s_order, title=section_title
        )
        made: list[Question] = []
        for q_order, spec in enumerate(questions, start=1):
            spec = dict(spec)
            parent = spec.pop("show_if", None)
            made.append(
                Question.objects.create(
                    section=section,
                    order=q_order,
                    show_if=made[parent - 1] if parent else None,
                    **spec,
                )
            )
    return questionnaire


@transaction.atomic
def load(demo) -> None:
    schools = list(
        School.objects.filter(
            pk__in=SchoolStatus.objects.filter(year=demo.year).values("school_id")
        ).order_by("pk")
    )
    if not schools:
        return
    today = timezone.localdate()
    rng = random.Random(15)
    home = School.objects.filter(full_name="МКОУ «Вертикосская СОШ»").first()
    questionnaires = {
        audience: Questionnaire.objects.filter(title=title).first()
        or build_questionnaire(title, audience, description, sections)
        for title, audience, description, sections in QUESTIONNAIRES
    }
    for name, audiences in CAMPAIGNS:
        title = f"{name}: школы ШНОР и ШНСУ, {demo.year} год"
        if Campaign.objects.filter(title=title).exists():
            continue
        campaign = Campaign.objects.create(
            title=title, starts_on=today - timedelta(days=7), ends_on=today + timedelta(days=14)
        )
        CampaignAudience.objects.bulk_create(
            CampaignAudience(campaign=campaign, audience=a, questionnaire=questionnaires[a])
            for a in audiences
        )
        targets = CampaignSchool.objects.bulk_create(
            CampaignSchool(campaign=campaign, school=s) for s in schools
        )
        SchoolLink.objects.bulk_create(
            SchoolLink(target=t, audience=a, token=secrets.token_urlsafe(24))
            for t in targets
            for a in audiences
            if a in ANONYMOUS
        )
        for audience in audiences:
            # One school in eight has not answered yet: tracking and the reminder show it.
            counts = {}
            for i, s in enumerate(schools):
                if i % 8 == 7 or (audience == Audience.HEAD and s == home):
                    continue
                counts[s.pk] = 1 if audience == Audience.HEAD else rng.randint(4, 30)
            synthetic.fill(
                campaign,
                counts,
                seed=len(questionnaires[audience].title),
                day=today - timedelta(days=3),
                audience=audience,
            )
    demo.report("survey_campaigns", "анкетирований", Campaign.objects.count())
    demo.report("survey_responses", "анкет (синтетические ответы)", Response.objects.count())
