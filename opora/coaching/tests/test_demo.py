"""The demo's self-analysis, plan and visits load on the world's school and curator, twice
alike, with dates of the demo year."""

from __future__ import annotations

from opora.coaching import demo as coaching_demo
from opora.coaching.models import AnalysisStatus, SelfAnalysis, Visit, VisitStatus, WorkPlan
from opora.core.contributions import Demo, inbox_for
from opora.recommendations.models import Recommendation


def test_the_demo_loads_once_and_leaves_the_school_a_curators_recommendation(world):
    for _ in range(2):
        demo = Demo(year=2026, schools=0)
        coaching_demo.load(demo)
    school = world.home_school
    analysis = SelfAnalysis.objects.get(school=school, year=2026)
    assert analysis.status == AnalysisStatus.SUBMITTED
    assert analysis.ratings.filter(is_priority=True).count() == 3
    assert analysis.comments.count() == 2
    plan = WorkPlan.objects.get(curator=world.users.curator.person, year=2026)
    assert plan.visits.count() == 4
    held = plan.visits.filter(status=VisitStatus.HELD)
    assert [v.held_on.month for v in held] == [4, 10]
    assert all(v.planned_on.year in (2026, 2027) for v in Visit.objects.filter(plan=plan))
    given = Recommendation.objects.filter(school=school)
    assert given.count() == 2 and all(r.due_date.year == 2026 for r in given)
    kinds = {i.kind for i in inbox_for(world.users.school)}
    assert "Рекомендация куратора" in kinds
    assert demo.figures["curator_visits"] == Visit.objects.count()
    assert demo.figures["practice_indicators"] == 11
