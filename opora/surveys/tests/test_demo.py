"""The demo's questionnaires and risk profiles load on the registry's schools, twice alike."""

from __future__ import annotations

from opora.core.contributions import Demo
from opora.risks import demo as risks_demo
from opora.risks.models import PriorityRisk
from opora.surveys import demo as surveys_demo
from opora.surveys.inbox import items_for
from opora.surveys.models import Campaign, Response


def test_the_demo_loads_once_and_leaves_the_heads_questionnaire_waiting(world):
    for _ in range(2):
        demo = Demo(year=2026, schools=0)
        surveys_demo.load(demo)
        risks_demo.load(demo)
    campaigns = Campaign.objects.exclude(pk=9001)
    assert campaigns.count() == 3
    families = campaigns.get(title__startswith="Анкетирование обучающихся и родителей")
    assert [a.audience for a in families.sendings] == ["pupils", "parents"]
    assert families.targets.first().links.count() == 2
    assert demo.figures["risk_factors"] == 12
    responses = Response.objects.exclude(pk=9001)
    assert responses.filter(school=world.home_school, audience="head").count() == 0
    assert responses.filter(school=world.home_school, audience="pupils").count() >= 4
    assert {i.title for i in items_for(world.users.school)} == {
        "Анкета руководителя школы",
        "Анкета для педагогов",
    }
    chosen = PriorityRisk.objects.filter(school=world.home_school)
    assert sorted(p.factor.code for p in chosen) == ["motivation", "parents"]
    assert [p.measures.count() for p in chosen.order_by("factor__order")] == [1, 0]
