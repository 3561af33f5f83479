"""A saved lesson observation is corrected by whoever wrote it, the regional operator and —
outside a visit — the school's head; never by the observed teacher or anyone else. The
history keeps every version and its author; opening the form and saving are recorded in the
access log; a recommendation already in the tracker is changed there, not here."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opora.accounts.models import AccessRecord
from opora.development import visits, visits_selectors
from opora.development.models import ObservationScore, RubricItem
from opora.testing.visits import (
    levels,
    observe_by_head,
    observe_lesson,
    planned_visit,
    school_teachers,
    yesterday,
)


def _edit(user, observation, level=3, **fields):
    values = {
        "observed_on": observation.observed_on,
        "grade": observation.grade,
        "subject": observation.subject,
        "topic": observation.topic,
        "analysis": observation.analysis,
        "recommendation": observation.recommendation,
        "levels": levels(level),
    }
    values.update(fields)
    return visits.edit_observation(user, observation, **values)


@pytest.fixture
def by_head(world):
    """An observation the school's head wrote outside a visit."""
    return observe_by_head(world.users.school, school_teachers(world.home_school, 1)[0])


def test_the_author_corrects_the_analysis_and_levels_and_the_history_keeps_both(world, by_head):
    _edit(world.users.school, by_head, level=3, analysis="Работа в парах по критериям; рефлексия.")
    by_head.refresh_from_db()
    assert by_head.analysis == "Работа в парах по критериям; рефлексия."
    assert set(by_head.scores.values_list("level", flat=True)) == {3}
    first, corrected = by_head.history.order_by("history_id")
    assert first.analysis == "Работа в парах по критериям."
    assert (corrected.history_type, corrected.history_user) == ("~", world.users.school)
    feedback = RubricItem.objects.get(code="feedback")
    earlier = ObservationScore.history.filter(observation_id=by_head.pk, item=feedback)
    assert sorted(earlier.values_list("level", flat=True)) == [2, 3]
    changes = visits_selectors.observation_changes(by_head)
    assert [c.created for c in changes] == [False, True]


@pytest.mark.parametrize("role", ["operator"])
def test_the_operator_corrects_any_observation(world, by_head, role):
    _edit(world.users[role], by_head, grade="7 Б")
    by_head.refresh_from_db()
    assert by_head.grade == "7 Б"


@pytest.mark.parametrize("role", ["teacher", "curator", "municipal", "region", "expert"])
def test_nobody_else_corrects_it(world, by_head, role):
    with pytest.raises(PermissionDenied):
        _edit(world.users[role], by_head)


def test_a_visits_observation_is_corrected_by_its_author_not_by_the_school(world):
    visit = planned_visit(world)
    observation = observe_lesson(world.users.curator, visit.lessons.get(), recommendation="Совет")
    with pytest.raises(PermissionDenied):
        _edit(world.users.school, observation)
    _edit(world.users.curator, observation, topic="Дроби")
    observation.refresh_from_db()
    assert observation.topic == "Дроби"


def test_a_correction_is_checked_as_the_first_writing(world, by_head):
    with pytest.raises(ValidationError, match="анализ"):
        _edit(world.users.school, by_head, analysis="  ")
    with pytest.raises(ValidationError, match="Не выбран уровень"):
        _edit(world.users.school, by_head, levels={})
    by_head.refresh_from_db()
    assert by_head.analysis == "Работа в парах по критериям."
    assert by_head.history.count() == 1


def _given_to_the_tracker(world):
    """A curator's observation whose advice «Совет» went to the tracker with the visit held."""
    visit = planned_visit(world)
    observe_lesson(world.users.curator, visit.lessons.get(), recommendation="Совет")
    visits.report_visit(
        world.users.curator,
        visit,
        held_on=yesterday(),
        consultations="",
        findings="Выводы",
        recommendations_text=[],
    )
    return visit.observations.get()


def test_a_recommendation_given_to_the_tracker_is_not_rewritten_here(world):
    from opora.development.models import LessonObservation

    observation = LessonObservation.objects.get(pk=_given_to_the_tracker(world).pk)
    assert observation.given_id
    with pytest.raises(ValidationError, match="трекер"):
        _edit(world.users.curator, observation, recommendation="Другой совет")
    _edit(world.users.curator, observation, analysis="Дополненный анализ урока.")


def test_the_form_opens_for_the_author_and_each_opening_and_saving_is_recorded(
    client, world, by_head
):
    client.force_login(world.users.school)
    url = reverse("development:observation_edit", args=[by_head.pk])
    before = AccessRecord.objects.count()
    form = client.get(url)
    assert form.status_code == 200 and "Изменение наблюдения урока" in form.content.decode()
    data = {
        "observed_on": by_head.observed_on.isoformat(),
        "grade": "6 А",
        "subject": "русский язык",
        "topic": "Причастный оборот",
        "analysis": "Дополненный анализ.",
        "recommendation": "",
        **{f"item-{item.pk}": "3" for item in RubricItem.objects.filter(is_active=True)},
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert AccessRecord.objects.count() == before + 2
    detail = client.get(reverse("development:observation", args=[by_head.pk])).content.decode()
    assert "Причастный оборот" in detail and 'data-testid="observation-history"' in detail
    assert 'data-testid="observation-edit"' in detail


@pytest.mark.parametrize("role", ["teacher", "curator"])
def test_the_form_is_not_found_for_those_who_only_read_it(client, world, by_head, role):
    client.force_login(world.users[role])
    detail = client.get(reverse("development:observation", args=[by_head.pk])).content.decode()
    assert 'data-testid="observation-edit"' not in detail
    url = reverse("development:observation_edit", args=[by_head.pk])
    assert client.get(url).status_code == 404


def test_the_observed_teacher_reads_the_given_advice_without_a_link_out_of_scope(world, client):
    """The walk of issue 16: the teacher's observation page linked to the school's tracker,
    which answers the teacher «не найдена» (404)."""
    observation = _given_to_the_tracker(world)
    tracker = reverse("recommendations:recommendation_detail", args=[observation.given_id])
    page = reverse("development:observation", args=[observation.pk])

    client.force_login(world.users.teacher)
    html = client.get(page).content.decode()
    assert "Совет" in html and "в трекере рекомендаций школы: открыта" in html
    assert tracker not in html
    assert client.get(tracker).status_code == 404  # why there is no link

    client.force_login(world.users.curator)
    assert tracker in client.get(page).content.decode()
