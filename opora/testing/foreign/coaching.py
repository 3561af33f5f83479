"""Foreign objects of coaching for the project-wide scope walk (pk 9001, «Чуж…» in their text):
the foreign school's self-analysis with a rating and a comment, a comment on its report, the foreign curator's plan,
its target, his target across municipalities and a visit with a recommendation to the foreign school. The indicators are the
region's reference data (not scoped), so they carry no marker."""

from opora.testing import FOREIGN_PK


def create(world: dict) -> None:
    from opora.coaching import models as m
    from opora.recommendations.models import Recommendation

    school = world.foreign_school
    analysis = m.SelfAnalysis.objects.create(
        pk=FOREIGN_PK,
        school=school,
        year=2026,
        status=m.AnalysisStatus.SUBMITTED,
        internal_causes="Чужие внутренние причины",
        external_causes="Чужие внешние причины",
        goals="Чужие цели",
    )
    m.IndicatorRating.objects.create(
        pk=FOREIGN_PK,
        analysis=analysis,
        indicator=m.PracticeIndicator.objects.order_by("order").first(),
        level=m.PracticeLevel.PARTLY,
        evidence="Чужое обоснование",
        is_priority=True,
    )
    m.Comment.objects.create(
        pk=FOREIGN_PK, school=school, analysis=analysis, text="Чужой комментарий куратора"
    )
    # On the foreign school's report on the regional roadmap everyone reads (pk 9002): the
    # event page shows the report, and its thread, only to whoever may read the report.
    m.Comment.objects.create(
        pk=FOREIGN_PK + 1,
        school=school,
        report_id=FOREIGN_PK + 1,
        text="Чужой комментарий к отчёту",
    )
    plan = m.WorkPlan.objects.create(
        pk=FOREIGN_PK,
        curator=world.foreign_person,
        municipality=world.foreign,
        year=2026,
        note="Чужой план работы",
    )
    m.PlanTarget.objects.create(
        pk=FOREIGN_PK, plan=plan, kind=m.VisitKind.METHODICAL, quantity=4, note="Чужая цель"
    )
    span = m.SpanTarget.objects.create(
        pk=FOREIGN_PK,
        curator=world.foreign_person,
        year=2026,
        kind=m.VisitKind.PROJECT_SESSION,
        quantity=6,
        note="Чужая цель по районам",
    )
    span.municipalities.set([world.foreign])
    visit = m.Visit.objects.create(
        pk=FOREIGN_PK,
        plan=plan,
        kind=m.VisitKind.METHODICAL,
        school=school,
        planned_on="2026-03-12",
        held_on="2026-03-12",
        status=m.VisitStatus.HELD,
        topic="Чужая тема выезда",
        findings="Чужие наблюдения",
    )
    recommendation = Recommendation.objects.create(
        municipality=world.foreign,
        school=school,
        text="Чужая рекомендация куратора",
        given_at="Чужой выезд",
    )
    visit.recommendations.add(recommendation)
