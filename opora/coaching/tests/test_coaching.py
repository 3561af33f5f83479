"""Issue 15, «School self-analysis» and «Curators»: a listed school rates itself on indicators
of effective practice, names causes and goals and moves its priorities into its programme; the
curator comments and the school answers; curators plan and report visits whose
recommendations reach the school; the region sees who has done what and gets the curators'
activity report as a document."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opora.coaching import inbox, selectors, services
from opora.coaching.models import (
    AnalysisStatus,
    PracticeIndicator,
    PracticeLevel,
    VisitKind,
    VisitStatus,
    WorkPlan,
)
from opora.core.contributions import inbox_for
from opora.documents import selectors as document_selectors
from opora.notifications.models import Notification
from opora.recommendations.models import Recommendation
from opora.roadmaps import authoring
from opora.roadmaps.models import RoadmapEvent


@pytest.fixture
def school(world):
    return world.home_school


@pytest.fixture
def users(world):
    return world.users


def _rated(users, school, priority_code="mentoring"):
    analysis = services.start_analysis(users["school"], school)
    ratings = {
        i.pk: services.RatingInput(
            PracticeLevel.PARTLY, f"обоснование {i.code}", i.code == priority_code
        )
        for i in PracticeIndicator.objects.all()
    }
    services.save_analysis(
        users["school"],
        analysis,
        internal_causes="совместители",
        external_causes="удалённость",
        goals="доля «2» по ВПР ниже 15 %",
        ratings=ratings,
    )
    return analysis


def test_the_indicators_are_seeded_once_by_the_migration(db):
    titles = list(PracticeIndicator.objects.values_list("title", flat=True))
    assert len(titles) == 11
    assert titles[0].startswith("Администрация анализирует результаты оценочных процедур")


def test_a_school_completes_its_self_analysis_only_when_everything_is_said(world, users, school):
    analysis = services.start_analysis(users["school"], school)
    assert analysis.ratings.count() == 11
    with pytest.raises(ValidationError, match="Не выбран уровень показателей"):
        services.submit_analysis(users["school"], analysis)
    analysis = _rated(users, school)
    services.submit_analysis(users["school"], analysis)
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SUBMITTED and analysis.submitted_at


def test_a_fully_developed_indicator_is_not_a_priority(world, users, school):
    analysis = services.start_analysis(users["school"], school)
    indicator = PracticeIndicator.objects.first()
    with pytest.raises(ValidationError, match="приоритетом выбирают"):
        services.save_analysis(
            users["school"],
            analysis,
            internal_causes="",
            external_causes="",
            goals="",
            ratings={indicator.pk: services.RatingInput(PracticeLevel.FULLY, "", True)},
        )


def test_only_the_school_itself_writes_its_self_analysis(world, users, school):
    for role in ("curator", "municipal", "region"):
        with pytest.raises(PermissionDenied):
            services.start_analysis(users[role], school)


def test_priorities_move_into_the_schools_programme_through_the_roadmaps(world, users, school):
    analysis = _rated(users, school, priority_code="formative")
    programme = authoring.create_roadmap(
        users["school"],
        level="school",
        title="Программа повышения качества образования",
        period=(date(2026, 9, 1), date(2027, 8, 31)),
        school=school,
    )
    assert services.move_priorities(users["school"], analysis, programme) == 1
    event = RoadmapEvent.objects.get(roadmap=programme)
    assert event.section.title == "Приоритеты по итогам самоанализа"
    assert event.text.startswith("Учителя используют формирующее оценивание")
    with pytest.raises(ValidationError, match="ещё не перенесены"):
        services.move_priorities(users["school"], analysis, programme)
    with pytest.raises(ValidationError, match="своей школы"):
        services.move_priorities(users["school"], analysis, world.foreign_roadmap)


def test_the_curator_comments_and_the_school_answers_with_notifications(
    world, users, school, django_capture_on_commit_callbacks
):
    analysis = _rated(users, school)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.post_comment(
            users["curator"], school, "Начните с наставничества", analysis=analysis
        )
    told = Notification.objects.filter(key=f"coaching-comment:{first.pk}")
    assert [n.user.username for n in told] == ["school"]
    assert [i.kind for i in inbox.items_for(users["school"])] == [
        "Самоанализ",
        "Комментарий: ответить",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.post_comment(
            users["school"], school, "Согласны", analysis=analysis, parent=first
        )
    assert reply.parent == first
    assert [n.user.username for n in Notification.objects.filter(key__endswith=f":{reply.pk}")] == [
        "curator"
    ]
    assert [i.kind for i in inbox.items_for(users["school"])] == ["Самоанализ"]
    assert [c.replies.count() for c in selectors.thread(analysis=analysis)] == [1]
    for role in ("expert", "observer"):
        with pytest.raises(PermissionDenied):
            services.post_comment(users[role], school, "…", analysis=analysis)


def test_a_curator_plans_only_for_assigned_municipalities(world, users):
    plan = services.create_plan(
        users["curator"], world.home, targets={"project_session": 3, "methodical": 4}
    )
    assert {t.kind: t.quantity for t in plan.targets.all()} == {
        "project_session": 3,
        "methodical": 4,
    }
    with pytest.raises(ValidationError, match="уже есть"):
        services.create_plan(users["curator"], world.home)
    with pytest.raises(PermissionDenied):
        services.create_plan(users["curator"], world.foreign)
    with pytest.raises(PermissionDenied):
        services.create_plan(users["municipal"], world.home)


def test_a_reported_visit_gives_the_school_recommendations_in_its_inbox(
    world, users, school, django_capture_on_commit_callbacks
):
    plan = services.create_plan(users["curator"], world.home, targets={"methodical": 4})
    visit = services.plan_visit(
        users["curator"],
        plan,
        kind=VisitKind.METHODICAL,
        planned_on=date(2026, 3, 12),
        school=school,
    )
    with pytest.raises(ValidationError, match="не из муниципалитета"):
        services.plan_visit(
            users["curator"],
            plan,
            kind=VisitKind.METHODICAL,
            planned_on=date(2026, 3, 12),
            school=world.foreign_school,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.report_visit(
            users["curator"],
            visit,
            held_on=date(2026, 3, 12),
            findings="Уроки без дифференциации",
            recommendations_text=["Организовать взаимопосещение уроков", "  "],
            due_date=date(2026, 5, 1),
        )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.HELD
    [rec] = Recommendation.objects.filter(school=school)
    assert rec.municipality == world.home
    assert rec.given_at == "методический выезд куратора, 12 марта 2026 года"
    items = [i for i in inbox_for(users["school"]) if i.kind.startswith("Рекомендация куратора")]
    assert [i.title for i in items] == ["Организовать взаимопосещение уроков"]
    assert Notification.objects.filter(user=users["school"], kind="recommendation_given").exists()
    assert users["school"].has_perm("recommendations.track_recommendation", rec)
    client_page = reverse("recommendations:recommendation_detail", args=[rec.pk])
    assert items[0].url == client_page
    progress = selectors.progress(selectors.plan_for(users["region"], plan.pk))
    assert [(k.kind, k.target, k.held) for k in progress.kinds] == [("methodical", 4, 1)]


def test_a_school_sees_only_recommendations_addressed_to_it(world, users, client):
    foreign = Recommendation.objects.get(text="Чужая рекомендация куратора")
    client.force_login(users["school"])
    response = client.get(reverse("recommendations:recommendation_detail", args=[foreign.pk]))
    assert response.status_code == 404


def test_a_visit_is_reported_only_once_held_and_with_findings(world, users, school):
    plan = services.create_plan(users["curator"], world.home)
    visit = services.plan_visit(
        users["curator"], plan, kind=VisitKind.PROJECT_SESSION, planned_on=date(2026, 4, 20)
    )
    with pytest.raises(ValidationError, match="уже состоялся"):
        services.report_visit(
            users["curator"], visit, held_on=date(2099, 1, 1), findings="x", recommendations_text=[]
        )
    with pytest.raises(ValidationError, match="даются школе"):
        services.report_visit(
            users["curator"],
            visit,
            held_on=date(2026, 4, 20),
            findings="сессия",
            recommendations_text=["что-то"],
        )
    assert not Recommendation.objects.filter(school=school).exists(), "nothing half-written"


def test_the_region_sees_who_has_done_the_self_analysis(world, users, school):
    data = selectors.analysis_overview(users["region"])
    assert data.counts == {"submitted": 1, "draft": 0, "not_started": 1, "total": 2}
    assert [r.school for r in selectors.analysis_overview(users["municipal"]).rows] == [school]
    services.submit_analysis(users["school"], _rated(users, school))
    data = selectors.analysis_overview(
        users["region"], status="submitted", municipality=world.home.pk
    )
    assert [r.school for r in data.rows] == [school]
    assert data.rows[0].priorities == 1


def test_a_curator_sees_only_his_own_plans(world, users):
    services.create_plan(users["curator"], world.home)
    assert [p.municipality for p in selectors.plans_for(users["curator"])] == [world.home]
    region = [p.plan.municipality.name for p in selectors.curators_progress(users["region"])]
    assert sorted(region) == ["Каргасокский район", "Чужой район"]
    assert list(selectors.plans_for(users["school"])) == []


def test_the_activity_report_is_a_document_in_the_register(world, users, school):
    plan = services.create_plan(users["curator"], world.home, targets={"project_session": 3})
    visit = services.plan_visit(
        users["curator"], plan, kind=VisitKind.PROJECT_SESSION, planned_on=date(2026, 4, 20)
    )
    services.report_visit(
        users["curator"],
        visit,
        held_on=date(2026, 4, 20),
        findings="сессия",
        recommendations_text=[],
    )
    with pytest.raises(PermissionDenied):
        services.prepare_activity_report(users["curator"])
    document, created = services.prepare_activity_report(users["region"])
    assert created and document.kind == "report"
    assert "| Каргасокский район | Кураторова" in document.body
    assert "Проведено 2 выезда" in document.body  # the foreign plan's visit too: region-wide
    assert document in document_selectors.register(users["region"])
    again, created = services.prepare_activity_report(users["region"])
    assert again == document and not created


def test_each_schools_last_activity(world, users, school):
    services.start_analysis(users["school"], school)
    plan = services.create_plan(users["curator"], world.home)
    visit = services.plan_visit(
        users["curator"],
        plan,
        kind=VisitKind.METHODICAL,
        planned_on=date(2026, 3, 2),
        school=school,
    )
    services.report_visit(
        users["curator"], visit, held_on=date(2026, 3, 3), findings="ок", recommendations_text=[]
    )
    [row] = selectors.schools_activity(users["municipal"])
    assert row.school == school and row.analysis_status == AnalysisStatus.DRAFT
    assert row.last_visit == date(2026, 3, 3) and row.last_school_action is not None


@pytest.mark.parametrize("role", ["region", "curator", "municipal", "school", "observer"])
def test_pages_open_for_every_role(world, users, school, client, role):
    services.submit_analysis(users["school"], _rated(users, school))
    plan = services.create_plan(users["curator"], world.home)
    client.force_login(users[role])
    urls = [
        reverse("coaching:analyses"),
        reverse("coaching:analysis", args=[school.pk]),
        reverse("coaching:plans"),
        reverse("coaching:activity"),
        reverse("coaching:plan", args=[plan.pk]),
    ]
    codes = [client.get(u, follow=True).status_code for u in urls]
    if role == "school":
        assert codes == [200, 200, 404, 404, 404]
    else:
        assert codes == [200] * 5
    assert not WorkPlan.objects.filter(municipality=world.foreign, curator=None).exists()


def test_the_overview_queries_do_not_grow_with_the_schools(
    world, users, client, django_assert_max_num_queries
):
    client.force_login(users["region"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("coaching:analyses")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("coaching:activity")).status_code == 200


def test_the_thread_under_a_schools_programme(world, users, school, client):
    programme = authoring.create_roadmap(
        users["school"],
        level="school",
        title="Программа повышения качества образования",
        period=(date(2026, 9, 1), date(2027, 8, 31)),
        school=school,
    )
    client.force_login(users["curator"])
    url = reverse("coaching:roadmap_comment", args=[programme.pk])
    response = client.post(url, {"text": "Добавьте работу с родителями"})
    assert response.status_code == 302
    assert client.post(url, {"text": "   "}).status_code == 302  # refused with a message
    page = client.get(reverse("roadmaps:detail", args=[programme.pk]))
    assert "Добавьте работу с родителями" in page.content.decode()
    [first] = selectors.thread(roadmap=programme)
    client.force_login(users["school"])
    client.post(url, {"text": "Добавили", "parent": first.pk})
    assert [r.text for r in selectors.thread(roadmap=programme)[0].replies.all()] == ["Добавили"]
    client.force_login(users["observer"])
    client.post(url, {"text": "Чужое мнение"})
    assert len(selectors.thread(roadmap=programme)) == 1


def test_the_plan_page_is_audited(world, users, client):
    from opora.accounts.models import AccessRecord

    plan = services.create_plan(users["curator"], world.home)
    client.force_login(users["region"])
    assert client.get(reverse("coaching:plan", args=[plan.pk])).status_code == 200
    assert AccessRecord.objects.filter(what="План работы куратора", user=users["region"]).exists()
