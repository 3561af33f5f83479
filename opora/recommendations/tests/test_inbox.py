"""«Ждут меня» for recommendations (issue 16): the open recommendations of the user's scope
due within two weeks or overdue; done, they leave; nothing foreign; constant queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opora.core import contributions as c
from opora.recommendations.models import Recommendation, RecommendationStatus


def _recs(user):
    return [i for i in c.inbox_for(user) if i.kind.startswith("Рекомендация")]


def _rec(municipality, days, text="Рекомендация", status=RecommendationStatus.OPEN):
    return Recommendation.objects.create(
        municipality=municipality,
        text=text,
        due_date=timezone.localdate() + timedelta(days=days),
        status=status,
    )


def test_due_and_overdue_recommendations_wait_in_their_scope_until_done(world):
    users = world.users
    late = _rec(world.home, -3, "Провести семинар")
    _rec(world.home, 10, "Обновить положение")
    _rec(world.home, 40, "Не скоро")
    _rec(world.foreign, -3, "Чужая рекомендация")
    kinds = sorted(i.kind for i in _recs(users["municipal"]))
    assert kinds == ["Рекомендация: просрочена", "Рекомендация: срок скоро"]
    assert all("Чуж" not in i.title for i in _recs(users["municipal"]))
    for who in ("school", "expert", "observer"):
        assert _recs(users[who]) == []
    region = {i.title for i in _recs(users["region"])}
    assert {"Провести семинар", "Обновить положение", "Чужая рекомендация"} <= region
    assert "Не скоро" not in region
    late.status = RecommendationStatus.DONE
    late.save()
    assert [i.title for i in _recs(users["municipal"])] == ["Обновить положение"]


def test_the_inbox_reads_the_same_queries_for_3_and_30(world):
    municipal = world.users.municipal

    def count():
        with CaptureQueriesContext(connection) as ctx:
            n = len(_recs(municipal))
        return len(ctx), n

    for _ in range(3):
        _rec(world.home, -1)
    few, n_few = count()
    for _ in range(27):
        _rec(world.home, 5)
    many, n_many = count()
    assert (n_few, n_many) == (3, 30) and few == many
