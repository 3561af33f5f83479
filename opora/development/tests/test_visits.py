"""Methodical visits («методический десант») and lesson observation: the visit's
recommendations and its observations' join the recommendation tracker and the school's «Ждут
меня»; an observation of a named teacher is read by the teacher, their head, their curator
and the operator only, every view recorded; aggregates per rubric item hide groups under
five; the rubric is the region's."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opora.accounts.models import AccessRecord, Role
from opora.core.calendar import current_year
from opora.development import visits, visits_selectors
from opora.development.models import (
    LessonObservation,
    MethodicalVisit,
    ObserverKind,
    OfferKind,
    Route,
    RubricItem,
    TeamKind,
)
from opora.development.services_mentoring import create_mentor_pair
from opora.development.visits_defaults import RUBRIC, ensure_rubric
from opora.recommendations import inbox as recommendations_inbox
from opora.recommendations.models import Recommendation
from opora.testing.development import catalogue
from opora.testing.factories import UserFactory
from opora.testing.visits import (
    levels,
    observe_by_head,
    observe_lesson,
    planned_visit,
    school_teachers,
    yesterday,
)

NAMED = ["teacher", "school", "curator", "operator"]
AGGREGATE_ONLY = ["region", "municipal", "expert", "observer"]


def _report(world, visit, **extra):
    fields = {
        "held_on": yesterday(),
        "consultations": "Заместитель директора — план внутришкольного контроля.",
        "findings": "Обратная связь на уроках сводится к отметкам.",
        "recommendations_text": ["Включить посещение уроков в план ВШК", ""],
    }
    fields.update(extra)
    return visits.report_visit(world.users.curator, visit, **fields)


# ---------------------------------------------------------------- the rubric


def test_the_default_rubric_is_reference_data_and_keeps_the_regions_edits(world):
    codes = set(RubricItem.objects.values_list("code", flat=True))
    assert {code for code, *_ in RUBRIC} <= codes
    item = RubricItem.objects.get(code="feedback")
    visits.save_rubric_item(world.users.region, item, title="Обратная связь на уроке")
    ensure_rubric()
    assert RubricItem.objects.get(code="feedback").title == "Обратная связь на уроке"
    assert RubricItem.objects.filter(code="feedback").count() == 1


@pytest.mark.parametrize("role", ["school", "curator", "municipal", "teacher", "expert"])
def test_only_the_region_and_the_operator_edit_the_rubric(client, world, role):
    item = RubricItem.objects.get(code="goals")
    with pytest.raises(PermissionDenied):
        visits.save_rubric_item(world.users[role], item, title="Другое")
    client.force_login(world.users[role])
    assert client.get(reverse("development:rubric")).status_code == 403


def test_the_operator_adds_an_item_and_switches_one_off_from_the_form(client, world):
    client.force_login(world.users.operator)
    assert client.get(reverse("development:rubric")).status_code == 200
    client.post(
        reverse("development:rubric_item_new"),
        {
            "new-order": 20,
            "new-title": "Использование цифровых ресурсов",
            "new-level0": "не используются",
            "new-level1": "только презентация",
            "new-level2": "обучающиеся работают с ресурсом",
            "new-level3": "ресурс помогает каждому",
            "new-is_active": "on",
        },
    )
    assert RubricItem.objects.filter(title="Использование цифровых ресурсов").exists()
    goals = RubricItem.objects.get(code="goals")
    client.post(
        reverse("development:rubric_item", args=[goals.pk]),
        {f"i{goals.pk}-{k}": getattr(goals, k) for k in ("order", "title", "level0")}
        | {f"i{goals.pk}-level{n}": getattr(goals, f"level{n}") for n in (1, 2, 3)},
    )
    goals.refresh_from_db()
    assert not goals.is_active
    assert goals.pk not in levels()


# ---------------------------------------------------------------- the visit and the tracker


def test_a_held_visit_gives_its_and_its_observations_recommendations_to_the_school(world):
    visit = planned_visit(world)
    lesson = visit.lessons.get()
    observation = observe_lesson(
        world.users.curator, lesson, recommendation="Ввести листы самооценки на уроках"
    )
    assert observation.kind == ObserverKind.VISIT and observation.given is None

    given = _report(world, visit)

    visit.refresh_from_db()
    observation.refresh_from_db()
    assert visit.is_held
    assert [r.text for r in given] == [
        "Включить посещение уроков в план ВШК",
        "Ввести листы самооценки на уроках",
    ]
    assert observation.given == given[1]
    assert set(visit.recommendations.all()) == set(given)
    for r in given:
        assert (r.school, r.municipality) == (world.home_school, world.home)
        assert r.given_at.startswith("методический десант")
    assert "Учителева" not in given[1].given_at  # the tracker names no teacher
    inbox = recommendations_inbox.items_for(world.users.school)
    assert {item.title for item in inbox} == {r.text for r in given}


def test_an_observation_added_after_the_visit_is_held_joins_the_tracker_at_once(world):
    visit = planned_visit(world)
    _report(world, visit, recommendations_text=[])
    lesson = visits.add_lesson(
        world.users.curator,
        visit,
        teacher=world.home_teacher,
        grade="8 А",
        subject="алгебра",
    )
    observation = observe_lesson(world.users.curator, lesson, recommendation="Дать задания")
    assert observation.given is not None and observation.given.text == "Дать задания"


def test_a_report_with_bad_input_writes_nothing(world):
    from datetime import timedelta

    visit = planned_visit(world)
    observe_lesson(world.users.curator, visit.lessons.get(), recommendation="Совет")
    before = Recommendation.objects.count()
    with pytest.raises(ValidationError, match="выводы"):
        _report(world, visit, findings="  ")
    with pytest.raises(ValidationError, match="уже состоялся"):
        _report(world, visit, held_on=yesterday() + timedelta(days=5))
    with pytest.raises(ValidationError, match="Срок"):
        _report(world, visit, due_date=yesterday() - timedelta(days=3))
    assert Recommendation.objects.count() == before
    visit.refresh_from_db()
    assert visit.is_planned and not visit.findings
    _report(world, visit)
    with pytest.raises(ValidationError, match="уже проведён"):
        _report(world, visit)


def test_an_observation_needs_a_level_for_every_item_and_an_analysis(world):
    visit = planned_visit(world)
    lesson = visit.lessons.get()
    chosen = levels(2)
    missing = next(iter(chosen))
    chosen[missing] = None
    base = {
        "teacher": world.home_teacher,
        "observed_on": yesterday(),
        "grade": "7 Б",
        "subject": "математика",
        "lesson": lesson,
    }
    with pytest.raises(ValidationError, match="Не выбран уровень"):
        visits.record_observation(world.users.curator, analysis="Анализ", levels=chosen, **base)
    with pytest.raises(ValidationError, match="анализ"):
        visits.record_observation(world.users.curator, analysis=" ", levels=levels(1), **base)
    with pytest.raises(ValidationError, match="от 0 до 3"):
        visits.record_observation(
            world.users.curator, analysis="А", levels=levels(1) | {missing: 7}, **base
        )
    assert not LessonObservation.objects.filter(school=world.home_school).exists()


@pytest.mark.parametrize(
    ("role", "may"),
    [
        ("curator", True),
        ("region", True),
        ("operator", True),
        ("municipal", False),
        ("school", False),
        ("teacher", False),
        ("expert", False),
        ("observer", False),
    ],
)
def test_who_plans_a_visit(world, role, may):
    assert world.users[role].has_perm("development.plan_methodicalvisit", world.home_school) is may
    assert not world.users[role].has_perm(
        "development.plan_methodicalvisit", world.foreign_school
    ) or role in ("region", "operator")


def test_the_school_sees_its_visits_and_no_one_elses(client, world):
    visit = planned_visit(world)
    for role in ("school", "municipal", "curator", "region", "expert"):
        assert visit in visits_selectors.visits_for(world.users[role]), role
    assert not visits_selectors.visits_for(world.users.school).filter(pk=9001).exists()
    assert not visits_selectors.visits_for(world.users.teacher).exists()
    client.force_login(world.users.school)
    page = client.get(reverse("development:visit", args=[visit.pk]))
    assert page.status_code == 200
    assert "Формирующее оценивание" in page.content.decode()
    assert client.get(reverse("development:visit", args=[9001])).status_code == 404
    card = client.get(reverse("registry:school", args=[world.home_school.pk]))
    assert "Методические десанты" in card.content.decode()


def test_the_municipality_sees_the_lessons_without_the_teachers_names(client, world):
    visit = planned_visit(world)
    client.force_login(world.users.municipal)
    page = client.get(reverse("development:visit", args=[visit.pk])).content.decode()
    assert "математика" in page and "Учителева" not in page
    client.force_login(world.users.curator)
    before = AccessRecord.objects.count()
    page = client.get(reverse("development:visit", args=[visit.pk])).content.decode()
    assert "Учителева" in page
    assert AccessRecord.objects.count() == before + 1


# ---------------------------------------------------------------- personal data


@pytest.fixture
def observed(world):
    visit = planned_visit(world)
    return observe_lesson(world.users.curator, visit.lessons.get(), recommendation="Совет")


@pytest.mark.parametrize("role", NAMED)
def test_an_observation_is_read_by_the_teacher_head_curator_and_operator_and_recorded(
    client, world, observed, role
):
    client.force_login(world.users[role])
    before = AccessRecord.objects.count()
    page = client.get(reverse("development:observation", args=[observed.pk]))
    assert page.status_code == 200
    assert "Учителева" in page.content.decode()
    record = AccessRecord.objects.order_by("-pk").first()
    assert AccessRecord.objects.count() == before + 1
    assert (record.username, record.object_id) == (world.users[role].username, str(observed.pk))


@pytest.mark.parametrize("role", AGGREGATE_ONLY)
def test_an_observation_is_closed_to_everyone_else(client, world, observed, role):
    client.force_login(world.users[role])
    assert client.get(reverse("development:observation", args=[observed.pk])).status_code == 404
    assert not visits_selectors.observations_named(world.users[role]).filter(pk=observed.pk)


def test_a_colleague_does_not_read_another_teachers_observation(world, observed):
    colleague = school_teachers(world.home_school, 1, "Коллегова")[0]
    user = UserFactory(
        username="colleague", role=Role.TEACHER, person=colleague, school=world.home_school
    )
    assert not user.has_perm("development.view_lessonobservation", observed)
    assert visits_selectors.observation_for(world.users.teacher, observed.pk) == observed


def _pair(world, mentor, mentee, year=None):
    return create_mentor_pair(
        world.users.operator, mentor=mentor, mentee=mentee, year=year or current_year()
    )


def test_a_mentor_observes_the_teacher_they_mentor_and_reads_what_they_wrote_only(world):
    colleague = school_teachers(world.home_school, 1, "Наставляемая")[0]
    mentor = world.users.teacher
    _pair(world, world.home_teacher, colleague)
    observation = observe_by_head(mentor, colleague)
    assert observation.kind == ObserverKind.MENTOR
    assert mentor.has_perm("development.view_lessonobservation", observation)
    with pytest.raises(PermissionDenied):
        observe_by_head(mentor, world.home_teacher)  # their own lesson
    with pytest.raises(PermissionDenied):
        observe_by_head(world.users.municipal, colleague)
    head_made = observe_by_head(world.users.school, colleague)
    assert head_made.kind == ObserverKind.ADMINISTRATION
    assert not mentor.has_perm("development.view_lessonobservation", head_made)


def test_the_mentor_s_edit_form_leads_back_to_a_list_the_mentor_may_open(world, client):
    """The walk of issue 16: the breadcrumb of the mentor's edit form read «?school=…»,
    a school the mentor may not open (404)."""
    colleague = school_teachers(world.home_school, 1, "Наставляемая")[0]
    _pair(world, world.home_teacher, colleague)
    observation = observe_by_head(world.users.teacher, colleague)
    client.force_login(world.users.teacher)
    html = client.get(reverse("development:observation_edit", args=[observation.pk]))
    back = f'href="{reverse("development:observations")}"'
    assert back in html.content.decode() and "?school=" not in html.content.decode()
    assert client.get(reverse("development:observations")).status_code == 200
    client.force_login(world.users.school)  # the head keeps the list of its school
    html = client.get(reverse("development:observation_edit", args=[observation.pk]))
    assert f"?school={world.home_school.pk}" in html.content.decode()


def test_a_teacher_of_the_same_school_who_is_not_the_mentor_observes_nothing(world):
    colleague, mentored_last_year = school_teachers(world.home_school, 2, "Коллегова")
    _pair(world, world.home_teacher, mentored_last_year, year=current_year() - 1)
    for teacher in (colleague, mentored_last_year):
        with pytest.raises(PermissionDenied):
            observe_by_head(world.users.teacher, teacher)
    assert not world.users.teacher.has_perm("development.observe_lesson", world.home_school)


def test_a_mentor_from_another_school_observes_their_mentee_there(client, world):
    mentee = school_teachers(world.other_home_school, 1, "Межшкольная")[0]
    _pair(world, world.home_teacher, mentee)
    assert world.users.teacher.has_perm("development.observe_lesson", world.other_home_school)
    observation = observe_by_head(world.users.teacher, mentee)
    assert (observation.school, observation.kind) == (world.other_home_school, ObserverKind.MENTOR)
    client.force_login(world.users.teacher)
    form = client.get(reverse("development:observation_new")).content.decode()
    assert "Межшкольная0" in form and "Коллегова" not in form


def test_a_teacher_mentoring_nobody_cannot_open_the_observation_form(client, world):
    client.force_login(world.users.teacher)
    assert client.get(reverse("development:observation_new")).status_code == 403


def test_the_export_names_teachers_only_for_those_entitled(client, world):
    teachers = school_teachers(world.home_school, 5)
    for teacher in teachers:
        observe_by_head(world.users.school, teacher)
    small = school_teachers(world.other_home_school, 2, "Малочисленная")
    for teacher in small:
        observe_by_head(UserFactory(role=Role.SCHOOL, school=world.other_home_school), teacher)

    def names(role):
        client.force_login(world.users[role])
        response = client.get(reverse("development:observations_export"))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert sorted(names("curator"))[0].startswith("Малочисленная")
    region = names("region")
    assert len(region) == 5  # the school of two is left out
    assert all(name.startswith("Педагог ") for name in region)
    assert AccessRecord.objects.filter(what="Выгрузка наблюдений уроков (псевдонимы)").exists()


# ---------------------------------------------------------------- aggregates


def test_the_schools_levels_show_beside_the_regions_from_five_teachers(world):
    teachers = school_teachers(world.home_school, 5)
    for teacher in teachers[:4]:
        observe_by_head(world.users.school, teacher, 2, feedback=0)
    observe_by_head(world.users.school, teachers[0], 3)  # a second observation, same teacher
    lines = {
        line.item.code: line
        for line in visits_selectors.rubric_aggregate(world.users.municipal, world.home_school)
    }
    assert lines["feedback"].teachers == 4 and lines["feedback"].hidden
    assert lines["feedback"].region_average is None  # the region has only four teachers too

    observe_by_head(world.users.school, teachers[4], 2, feedback=3)
    other = school_teachers(world.other_home_school, 5, "Другая")
    other_head = UserFactory(role=Role.SCHOOL, school=world.other_home_school)
    for teacher in other:
        observe_by_head(other_head, teacher, 1, feedback=0)
    lines = {
        line.item.code: line
        for line in visits_selectors.rubric_aggregate(world.users.municipal, world.home_school)
    }
    feedback = lines["feedback"]
    assert (feedback.teachers, feedback.region_teachers) == (5, 10)
    assert feedback.average == pytest.approx((0 * 4 + 3 + 3) / 6)
    assert feedback.region_average == pytest.approx((0 * 4 + 3 + 3) / 11)
    assert feedback.difference_text == "+0,5"


def test_a_teacher_reads_no_aggregates_and_a_foreign_school_is_out_of_scope(world):
    assert visits_selectors.rubric_aggregate(world.users.teacher, world.home_school) is None
    assert visits_selectors.rubric_aggregate(world.users.municipal, world.foreign_school) is None
    assert visits_selectors.rubric_aggregate(world.users.school, world.other_home_school) is None


def test_the_aggregate_page_names_nobody_to_the_municipality(client, world):
    teachers = school_teachers(world.home_school, 5)
    for teacher in teachers:
        observe_by_head(world.users.school, teacher)
    client.force_login(world.users.municipal)
    page = client.get(reverse("development:observations"), {"school": world.home_school.pk})
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="rubric-aggregate"' in text
    assert "Наблюдаемая" not in text
    client.force_login(world.users.school)
    text = client.get(reverse("development:observations")).content.decode()
    assert "Наблюдаемая0" in text


# ---------------------------------------------------------------- the route


def test_an_observation_proposes_a_step_of_the_teachers_route(world, observed):
    offer = catalogue(("Формирующее оценивание на уроке", ["Оценивание"], OfferKind.COURSE))[0]
    with pytest.raises(ValidationError, match="нет маршрута"):
        visits.attach_route_step(world.users.school, observed, offer)
    Route.objects.create(
        school=world.home_school, person=world.home_teacher, team=TeamKind.TEACHING, year=2026
    )
    with pytest.raises(PermissionDenied):
        visits.attach_route_step(world.users.curator, observed, offer)
    step = visits.attach_route_step(world.users.school, observed, offer)
    observed.refresh_from_db()
    assert observed.route_step == step and step.route.person == world.home_teacher
    assert MethodicalVisit.objects.filter(pk=observed.visit_id).exists()


def test_the_visit_page_does_not_query_per_lesson(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    visit = planned_visit(world)
    observe_lesson(world.users.curator, visit.lessons.get())
    client.force_login(world.users.curator)
    url = reverse("development:visit", args=[visit.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for teacher in school_teachers(world.home_school, 3):
        lesson = visits.add_lesson(
            world.users.curator, visit, teacher=teacher, grade="5 А", subject="история"
        )
        observe_lesson(world.users.curator, lesson)
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)
