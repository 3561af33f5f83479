"""Issue 15, «Risk profiles and anti-risk measures»: each of the twelve factors gets a level
from the region's rules, with the reason; the school chooses priority risks, names measures in
its programme, and the programme's pre-check reports a priority risk without measures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opora.assessment.models import ResultBatch
from opora.expertise.precheck import precheck_roadmap
from opora.registry.models import SchoolPassport
from opora.risks import levels, services
from opora.risks.defaults import ensure_defaults
from opora.risks.models import Level, PriorityRisk, RiskFactor, RiskRule
from opora.roadmaps.models import Roadmap, RoadmapEvent
from opora.surveys.models import Audience
from opora.surveys.synthetic import fill
from opora.testing.assessment import put_cells
from opora.testing.surveys import send, staff_questionnaire


def _factor(school, code):
    return next(f for f in levels.profiles([school.pk])[school.pk] if f.factor.code == code)


@pytest.fixture
def school(world):
    return world.home_school


def test_the_twelve_factors_of_the_500_plus_project(world):
    factors = ensure_defaults()
    assert len(factors) == 12
    assert factors[0].title == "Низкий уровень оснащения школы"
    assert factors[-1].title == "Низкий уровень дисциплины в классе"
    assert ensure_defaults() == factors, "idempotent"


def test_a_factor_without_data_says_so(world, school):
    f = _factor(school, "motivation")
    assert (f.level, f.label) == (None, "нет данных")
    assert f.readings[0].reason == "Среднее по вопросу «motivation»: анкетирования не было."


def test_the_passport_sets_a_level_and_explains_it(world, school):
    SchoolPassport.objects.filter(school=school).update(part_time_ratio=Decimal("1.3"))
    f = _factor(school, "staff_shortage")
    assert f.level == Level.MEDIUM
    assert f.readings[0].reason == (
        "Коэффициент совместительства — 1,3 (паспорт 2026/2027): средний "
        "(высокий ≥ 1,4, средний ≥ 1,25, низкий ≥ 1,1)."
    )


def test_results_set_the_level_of_pupils_at_risk_of_failure(world, school, settings, tmp_path):
    settings.OPORA_RESULTS_DIR = tmp_path / "results"
    batch = ResultBatch.objects.create(file_name="впр.csv", checksum="x", status="done")
    put_cells(
        batch,
        [
            {
                "school_code": school.code,
                "year": 2026,
                "procedure": "ВПР",
                "grade": 5,
                "subject": "Математика",
                "participants": 20,
                "n2": 6,
                "n3": 8,
                "n4": 4,
                "n5": 2,
            }
        ],
    )
    f = _factor(school, "failure")
    assert f.level == Level.HIGH
    assert f.readings[0].reason.startswith(
        "Доля отметок «2» — 30 % (результаты 2026 года, участников 20): высокий"
    )


def test_a_questionnaire_counts_from_five_respondents(world, school):
    region = world.users.region
    campaign = send(region, staff_questionnaire(region), [school])
    fill(campaign, {school.pk: 4})
    f = _factor(school, "competence")
    assert f.level is None
    assert "ответили 4 — меньше 5, ответы не учитываются" in f.readings[0].reason
    fill(campaign, {school.pk: 3}, seed=3)
    f = _factor(school, "competence")
    assert f.level is not None
    assert "анкета «Анкета для педагогов», педагоги, ответили 7" in f.readings[0].reason


def test_the_heads_own_answer_counts_alone(world, school):
    region = world.users.region
    campaign = send(region, staff_questionnaire(region, Audience.HEAD), [school])
    fill(campaign, {school.pk: 1})
    assert _factor(school, "competence").level is not None


def test_the_region_edits_a_rule_and_the_level_follows(world, school):
    SchoolPassport.objects.filter(school=school).update(part_time_ratio=Decimal("1.3"))
    region = world.users.region
    ensure_defaults()
    rule = RiskRule.objects.get(factor__code="staff_shortage", key="part_time_ratio")
    services.save_rule(
        region,
        rule.factor,
        rule=rule,
        high=Decimal("1.2"),
        medium=Decimal("1.15"),
        low=Decimal("1.1"),
    )
    assert _factor(school, "staff_shortage").level == Level.HIGH
    with pytest.raises(ValidationError, match="Пороги не по порядку"):
        services.save_rule(
            region, rule.factor, rule=rule, high=Decimal("1"), medium=Decimal("2"), low=Decimal("3")
        )
    with pytest.raises(ValidationError, match="нет такого поля"):
        services.save_rule(
            region,
            rule.factor,
            source="passport",
            key="address",
            direction="higher",
            high=1,
            medium=1,
            low=1,
        )
    for role in ("municipal", "school", "curator", "expert"):
        with pytest.raises(PermissionDenied):
            services.save_rule(world.users[role], rule.factor, rule=rule, high=Decimal("9"))


@pytest.fixture
def programme(world, school):
    roadmap = Roadmap.objects.create(
        level="school",
        school=school,
        title="Программа Вертикосской СОШ",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    RoadmapEvent.objects.create(
        roadmap=roadmap,
        order=1,
        number="1.",
        text="Проектная неделя: учебная мотивация через проекты",
    )
    RoadmapEvent.objects.create(
        roadmap=roadmap,
        order=2,
        number="2.",
        text="Родительский всеобуч и дни открытых дверей для родителей",
    )
    return roadmap


def _choose(world, school, *codes):
    ids = list(RiskFactor.objects.filter(code__in=codes).values_list("pk", flat=True))
    services.set_priorities(world.users.school, school, ids, {})
    return {p.factor.code: p for p in PriorityRisk.objects.filter(school=school)}


def test_the_school_chooses_its_priorities_others_cannot(world, school):
    ensure_defaults()
    chosen = _choose(world, school, "motivation", "parents")
    assert set(chosen) == {"motivation", "parents"}
    ids = list(RiskFactor.objects.values_list("pk", flat=True)[:6])
    with pytest.raises(ValidationError, match="не больше 5"):
        services.set_priorities(world.users.school, school, ids, {})
    for role in ("municipal", "region", "curator"):
        with pytest.raises(PermissionDenied):
            services.set_priorities(world.users[role], school, ids[:1], {})
    _choose(world, school, "parents")
    chosen = PriorityRisk.objects.filter(school=school)
    assert list(chosen.values_list("factor__code", flat=True)) == ["parents"]


def test_a_measure_is_an_event_of_the_schools_own_programme(world, school, programme):
    ensure_defaults()
    chosen = _choose(world, school, "motivation")
    event = programme.events.get(number="1.")
    services.add_measure(world.users.school, chosen["motivation"], event)
    foreign_event = RoadmapEvent.objects.get(pk=9001)
    with pytest.raises(ValidationError, match="программы своей школы"):
        services.add_measure(world.users.school, chosen["motivation"], foreign_event)
    with pytest.raises(PermissionDenied):
        services.add_measure(world.users.municipal, chosen["motivation"], event)


def test_the_precheck_reports_a_priority_risk_without_measures(world, school, programme):
    ensure_defaults()
    chosen = _choose(world, school, "motivation", "parents")
    services.add_measure(
        world.users.school, chosen["motivation"], programme.events.get(number="1.")
    )
    result = precheck_roadmap(programme)
    rows = {r["factor"]: r for r in result["risks"]}
    assert result["summary"]["risks_without_measures"] == 1
    assert rows["Низкая учебная мотивация обучающихся"]["events"][0]["number"] == "1"
    parents = rows["Низкий уровень вовлечённости родителей"]
    assert parents["events"] == []
    assert [e["number"] for e in parents["closest"]][:1] == ["2"], "the parents' event is offered"


def test_the_profile_page_shows_levels_reasons_and_the_priorities_form(client, world, school):
    SchoolPassport.objects.filter(school=school).update(share_special_needs=Decimal("0.2"))
    client.force_login(world.users.school)
    page = client.get(reverse("risks:profile", args=[school.pk]))
    assert page.status_code == 200
    assert "Доля обучающихся с ОВЗ — 20 % (паспорт 2026/2027): высокий" in page.text
    assert page.text.count('data-testid="factor"') == 12
    assert "Сохранить приоритетные риски" in page.text
    client.force_login(world.users.municipal)
    page = client.get(reverse("risks:profile", args=[school.pk]))
    assert page.status_code == 200 and "Сохранить приоритетные риски" not in page.text
    assert client.get(reverse("risks:profile", args=[9001])).status_code == 404


def test_the_overview_lists_the_listed_schools_of_the_scope(client, world):
    client.force_login(world.users.municipal)
    page = client.get(reverse("risks:overview"))
    schools = [r.school for r in page.context["rows"]]
    assert schools == [world.home_school]
    client.force_login(world.users.school)
    assert client.get(reverse("risks:overview"))["Location"] == reverse(
        "risks:profile", args=[world.home_school.pk]
    )
