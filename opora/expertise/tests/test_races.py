"""Concurrent and stale writes of expertise (issue 9); those of monitoring and recommendations
are in their apps' ``tests/test_races.py``.

Concurrent first saves of one score or one answer gave a 500 (unique constraint), and scores
and answers could still change after the expert or the school had submitted. Now a first save
that loses the race becomes an update, the sheet or assignment row is held while it changes,
and every step is taken from the state it started from.
"""

# ruff: noqa: F811  (fixtures imported from the modules that define them)

import pytest
from django.urls import reverse

from opora.core.states import StateChanged
from opora.expertise import selectors
from opora.expertise import services as svc
from opora.expertise.models import ExpertAssignment, Expertise, ExpertiseStatus, Score
from opora.recommendations.models import Recommendation
from opora.testing.expertise import criteria, score_all
from opora.testing.racing import needs_postgres, race

THREADS = 8


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


def _errors(results):
    return [r for r in results if isinstance(r, Exception)]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_first_saves_of_one_score_give_one_score(people, expertise):
    criterion = criteria(expertise.criteria_set)[2]  # 0–5
    expert = people["expert"]
    results = race(
        THREADS,
        lambda i: Expertise.objects.get(pk=expertise.pk),
        lambda i, e: svc.save_score(expert, e, criterion, value=i % 6, comment=f"вариант {i}"),
    )
    assert not _errors(results), results
    scores = Score.objects.filter(criterion=criterion)
    assert scores.count() == 1
    assert scores.get().history.filter(history_type="+").count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_no_score_changes_after_a_parallel_submission(people, expertise):
    expert = people["expert"]
    score_all(expert, expertise, [1, 1, 1])
    last = criteria(expertise.criteria_set)[2]

    def act(i, e):
        if i == 0:
            return svc.submit_assignment(expert, e)
        return svc.save_score(expert, e, last, value=5, comment=f"поздно {i}")

    results = race(THREADS, lambda i: Expertise.objects.get(pk=expertise.pk), act)
    assert all(isinstance(e, StateChanged) for e in _errors(results)), results
    assignment = ExpertAssignment.objects.get(expertise=expertise, expert=expert)
    assert assignment.submitted_at is not None
    score = Score.objects.get(assignment=assignment, criterion=last)
    # Every change of the score was saved before the submission, none after it.
    assert all(h.history_date <= assignment.submitted_at for h in score.history.all())
    assert assignment.history.exclude(submitted_at=None).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_closings_close_once_with_one_set_of_recommendations(people, expertise):
    score_all(people["expert"], expertise, [1, 2, 5])
    score_all(people["expert2"], expertise, [1, 2, 4])
    svc.submit_assignment(people["expert"], expertise)
    svc.submit_assignment(people["expert2"], expertise)
    region = people["region"]
    results = race(
        THREADS,
        lambda i: Expertise.objects.get(pk=expertise.pk),
        lambda i, e: svc.close_expertise(
            region, e, conclusion=f"Заключение {i}", recommendations="1) провести анализ;"
        ),
    )
    errors = _errors(results)
    assert len(errors) == THREADS - 1 and all(isinstance(e, StateChanged) for e in errors)
    assert Recommendation.objects.filter(expertise=expertise).count() == 1
    assert expertise.history.filter(status=ExpertiseStatus.CLOSED).count() == 1


def test_a_score_from_a_page_shown_before_submitting_is_refused(people, expertise):
    expert = people["expert"]
    score_all(expert, expertise, [1, 2, 5])
    page = Expertise.objects.get(pk=expertise.pk)
    selectors.my_assignment(expert, page)  # the page read the assignment before it was sent
    svc.submit_assignment(expert, Expertise.objects.get(pk=expertise.pk))
    first = criteria(expertise.criteria_set)[0]
    with pytest.raises(StateChanged, match="оценки уже отправлены"):
        svc.save_score(expert, page, first, value=0)
    assert Score.objects.get(criterion=first, assignment__expert=expert).value == 1


def test_a_score_posted_after_submitting_shows_the_message(client, people, expertise):
    expert = people["expert"]
    score_all(expert, expertise, [1, 2, 5])
    svc.submit_assignment(expert, expertise)
    first = criteria(expertise.criteria_set)[0]
    client.force_login(expert)
    response = client.post(
        reverse("expertise:expertise_score", args=[expertise.pk, first.pk]),
        {f"c{first.pk}-value": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Оценки уже отправлены" in response.content.decode()
    assert Score.objects.get(criterion=first, assignment__expert=expert).value == 1


def test_closing_an_expertise_twice_is_refused_with_a_message(people, expertise):
    score_all(people["expert"], expertise, [1, 2, 5])
    score_all(people["expert2"], expertise, [1, 2, 4])
    svc.submit_assignment(people["expert"], expertise)
    svc.submit_assignment(people["expert2"], expertise)
    page = Expertise.objects.get(pk=expertise.pk)
    svc.close_expertise(people["region"], expertise, conclusion="Готово", recommendations="1) а;")
    with pytest.raises(StateChanged, match="экспертиза уже завершена"):
        svc.close_expertise(people["region"], page, conclusion="Ещё", recommendations="1) б;")
    assert Recommendation.objects.filter(expertise=expertise).count() == 1


def _token(page) -> str:
    import re

    found = re.findall(r'name="submit_once" value="([^"]+)"', page.content.decode())
    assert found, "the form carries no submit_once token"
    return found[0]


def test_an_expertise_created_twice_is_created_once(client, people, roadmap, small_set):
    client.force_login(people["operator"])
    token = _token(client.get(reverse("expertise:expertise_create")))
    data = {
        "roadmap": roadmap.pk,
        "criteria_set": small_set.pk,
        "experts": [people["expert"].pk],
        "due_date": "2026-04-30",
        "submit_once": token,
    }
    first = client.post(reverse("expertise:expertise_create"), data)
    second = client.post(reverse("expertise:expertise_create"), data)
    assert first["Location"] == second["Location"]
    assert Expertise.objects.filter(roadmap=roadmap).count() == 1
