"""Concurrent and stale writes of recommendations (issue 9): parallel updates take one step, an
older page does not reopen a closed recommendation, one given twice is given once.
"""

# ruff: noqa: F811  (fixtures imported from the modules that define them)

import pytest
from django.urls import reverse

from opora.core.states import StateChanged
from opora.recommendations import services as recommendation_services
from opora.recommendations.models import Recommendation, RecommendationStatus
from opora.testing.interviews import home_recommendation
from opora.testing.racing import needs_postgres, race

THREADS = 8


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


def _errors(results):
    return [r for r in results if isinstance(r, Exception)]


def _token(page) -> str:
    import re

    found = re.findall(r'name="submit_once" value="([^"]+)"', page.content.decode())
    assert found, "the form carries no submit_once token"
    return found[0]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_recommendation_updates_take_one_step(world):
    recommendation = home_recommendation(world, evidence="Приказ № 5")
    municipal = world.users.municipal

    def act(i, r):
        status = RecommendationStatus.DONE if i % 2 else RecommendationStatus.NOT_APPLICABLE
        return recommendation_services.update_recommendation(municipal, r, status=status)

    results = race(THREADS, lambda i: Recommendation.objects.get(pk=recommendation.pk), act)
    errors = _errors(results)
    assert len(errors) == THREADS - 1 and all(isinstance(e, StateChanged) for e in errors)
    assert recommendation.history.exclude(status=RecommendationStatus.OPEN).count() == 1


def test_an_edit_from_an_older_page_does_not_reopen_a_closed_recommendation(world):
    recommendation = home_recommendation(world, evidence="Приказ № 5")
    municipal = world.users.municipal
    page = Recommendation.objects.get(pk=recommendation.pk)
    recommendation_services.update_recommendation(
        municipal, Recommendation.objects.get(pk=recommendation.pk), status="done"
    )
    with pytest.raises(StateChanged, match="рекомендация сейчас «выполнена»"):
        recommendation_services.update_recommendation(
            municipal, page, evidence="Другое подтверждение"
        )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE
    assert recommendation.evidence == "Приказ № 5"


def test_a_recommendation_added_twice_is_added_once(client, world):
    recommendation = home_recommendation(world)
    interview = recommendation.interview
    client.force_login(world.users.region)
    url = reverse("interviews:interview_add_recommendation", args=[interview.pk])
    token = _token(client.get(url))
    data = {"text": "организовать работу с кадровым резервом", "submit_once": token}
    client.post(url, data)
    client.post(url, data)
    assert interview.recommendations.filter(text__contains="кадровым резервом").count() == 1
