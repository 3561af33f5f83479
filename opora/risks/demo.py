"""Demo data of risk profiles (idempotent): the twelve factors with the region's rules, and
the programme of «МКОУ «Вертикосская СОШ»» (demo user «school») with two priority risks —
one with a measure in the programme, one without, which the programme's pre-check reports.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from opora.accounts.models import Role
from opora.risks import services
from opora.risks.defaults import ensure_defaults
from opora.risks.models import PriorityRisk, RiskFactor
from opora.roadmaps import authoring
from opora.roadmaps import services as roadmaps
from opora.roadmaps.models import Roadmap

TITLE = "Программа повышения качества образования МКОУ «Вертикосская СОШ»"
EVENTS = [
    (
        "Проектная неделя «Зачем мне это знать»: учебные проекты 7–9 классов с выходом на "
        "предприятия района",
        "октябрь",
    ),
    (
        "Дополнительные занятия для обучающихся с трудностями в обучении по математике и "
        "русскому языку",
        "в течение года",
    ),
    ("Взаимопосещение уроков педагогами с последующим анализом", "ежемесячно"),
]


@transaction.atomic
def load(demo) -> None:
    factors = ensure_defaults()
    demo.report("risk_factors", "факторов риска", len(factors))
    user = get_user_model().objects.filter(username="school", role=Role.SCHOOL).first()
    if user is None or user.school_id is None:
        return
    school = user.school
    roadmap = Roadmap.objects.filter(level="school", school=school, title=TITLE).first()
    if roadmap is None:
        roadmap = authoring.create_roadmap(
            user,
            level="school",
            title=TITLE,
            period=(date(demo.year, 9, 1), date(demo.year + 1, 8, 31)),
            school=school,
            owner_name=school.short_name,
        )
        for text, deadline in EVENTS:
            roadmaps.add_event(user, roadmap, None, text=text, deadline_text=deadline)
    # The school's roadmap above is one more: the figure the roadmaps' demo gave is counted again.
    demo.report("roadmaps", "дорожных карт", Roadmap.objects.count())
    if PriorityRisk.objects.filter(school=school, year=demo.year).exists():
        demo.report("priority_risks", "приоритетных рисков", PriorityRisk.objects.count())
        return
    chosen = RiskFactor.objects.filter(code__in=["motivation", "parents"])
    notes = {
        f.pk: "низкий интерес к урокам по анкете обучающихся"
        if f.code == "motivation"
        else "родители редко бывают в школе"
        for f in chosen
    }
    services.set_priorities(user, school, [f.pk for f in chosen], notes)
    motivation = PriorityRisk.objects.get(school=school, year=demo.year, factor__code="motivation")
    services.add_measure(user, motivation, roadmap.events.order_by("order").first())
    demo.report("priority_risks", "приоритетных рисков", PriorityRisk.objects.count())
