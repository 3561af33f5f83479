"""«Ждут меня» for expertise (issue 16): an expert's unsent scores, then the region's
expertises with every score in, to close; done, they leave; a constant number of queries."""

# ruff: noqa: F811  (fixtures imported from the modules that define them)
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opora.core import contributions as c
from opora.expertise import services as svc
from opora.expertise.models import ExpertAssignment, Expertise
from opora.testing.expertise import score_all


def _kinds(user, kind_start="Экспертиза"):
    return [i.kind for i in c.inbox_for(user) if i.kind.startswith(kind_start)]


def test_scores_wait_for_each_expert_then_the_closing_for_the_region(people, expertise):
    expert, expert2, region = people["expert"], people["expert2"], people["region"]
    assert _kinds(expert) == ["Экспертиза: оценить"]
    assert _kinds(expert2) == ["Экспертиза: оценить"]
    assert _kinds(region) == []
    for who in ("municipal", "school", "curator", "observer"):
        assert _kinds(people[who]) == []
    score_all(expert, expertise, [1, 2, 5])
    svc.submit_assignment(expert, expertise)
    assert _kinds(expert) == [] and _kinds(region) == []
    score_all(expert2, expertise, [1, 2, 5])
    svc.submit_assignment(expert2, expertise)
    assert _kinds(expert2) == []
    assert _kinds(region) == ["Экспертиза: закрыть"]
    assert _kinds(people["municipal"]) == []
    svc.close_expertise(region, expertise, conclusion="Соответствует")
    assert _kinds(region) == []


def test_the_expert_inbox_reads_the_same_queries_for_3_and_30(people, expertise):
    expert = people["expert"]

    def grow(n):
        for _ in range(n):
            e = Expertise.objects.create(
                roadmap=expertise.roadmap, criteria_set=expertise.criteria_set
            )
            ExpertAssignment.objects.create(expertise=e, expert=expert)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            items = _kinds(expert)
        return len(ctx), len(items)

    grow(2)
    few, n_few = count()
    grow(27)
    many, n_many = count()
    assert (n_few, n_many) == (3, 30) and few == many
