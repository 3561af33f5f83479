"""Foreign objects of professional development for the project-wide scope walk.

The foreign school's teacher, their diagnostic result, route, step (with a certificate), a
foreign municipal event with a registration and a material, each with pk 9001 and «Чуж…».
Competence areas and the catalogue are shared by the region, so they carry no marker.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.utils import timezone

from opora.testing import FOREIGN_PK

if TYPE_CHECKING:
    from opora.testing.world import World


def create(world: World) -> None:
    from opora.accounts.models import Role
    from opora.development import models as d
    from opora.testing.factories import PersonFactory, UserFactory

    school = world.foreign_school
    area = d.CompetenceArea.objects.create(title="Оценивание образовательных результатов")
    offer = d.Offer.objects.create(
        kind=d.OfferKind.COURSE, title="Формирующее оценивание", hours=36
    )
    offer.areas.add(area)
    teacher = PersonFactory(
        pk=FOREIGN_PK + 10, last_name="Чужеева", first_name="Анна", school=school
    )
    diagnostic = d.Diagnostic.objects.create(pk=FOREIGN_PK, title="Чужая диагностика", year=2026)
    d.DiagnosticResult.objects.create(
        pk=FOREIGN_PK,
        diagnostic=diagnostic,
        person=teacher,
        school=school,
        team=d.TeamKind.TEACHING,
        position="Чужая должность",
        subject="Чужой предмет",
        area=area,
        score=30,
        written="Чужой балл",
    )
    route = d.Route.objects.create(
        pk=FOREIGN_PK,
        school=school,
        person=teacher,
        team=d.TeamKind.TEACHING,
        year=2026,
        status=d.RouteStatus.SUBMITTED,
        note="Чужой комментарий",
    )
    step = d.RouteStep(pk=FOREIGN_PK, route=route, offer=offer, area=area)
    step.certificate_name = "Чужое удостоверение.pdf"
    step.certificate.save("foreign.pdf", ContentFile(b"%PDF-1.4 Chuzh"), save=True)
    d.Route.objects.create(
        pk=FOREIGN_PK + 1,
        school=school,
        team=d.TeamKind.MANAGEMENT,
        year=2026,
        status=d.RouteStatus.APPROVED,
        note="Чужая команда",
    )
    start = timezone.make_aware(datetime(2026, 3, 10, 10))
    event = d.SupportEvent.objects.create(
        pk=FOREIGN_PK,
        kind=d.EventKind.SEMINAR,
        title="Чужой семинар",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        municipality=world.foreign,
        outcome="Чужие итоги",
    )
    d.Registration.objects.create(
        pk=FOREIGN_PK, event=event, person=teacher, school=school, topic="Чужая тема"
    )
    material = d.EventMaterial(pk=FOREIGN_PK, event=event, original_name="Чужой материал.pdf")
    material.file.save("foreign-material.pdf", ContentFile(b"%PDF-1.4 Chuzh"), save=True)
    foreign_user = UserFactory(
        username="foreign-teacher", role=Role.TEACHER, person=teacher, school=school
    )
    d.CalendarFeed.objects.create(pk=FOREIGN_PK, user=foreign_user, token="chuzh-token")


# ---------------------------------------------------------------- methodical visits


def create_visits(world: World) -> None:
    """A held methodical visit to the foreign school (pk 9001) with a lesson of the foreign
    teacher, its observation (scores, analysis, a recommendation in the foreign tracker) and
    a rubric item of the region (shared: no marker; out of the form, so tests keep the
    default rubric)."""
    from datetime import date

    from opora.development import models as d
    from opora.people.models import Person
    from opora.recommendations.models import Recommendation

    school = world.foreign_school
    teacher = Person.objects.get(pk=FOREIGN_PK + 10)
    item = d.RubricItem.objects.create(
        pk=FOREIGN_PK,
        code="foreign-walk",
        title="Цель урока",
        level0="нет",
        level1="названа",
        level2="сформулирована",
        level3="удерживается",
        is_active=False,
    )
    visit = d.MethodicalVisit.objects.create(
        pk=FOREIGN_PK,
        school=school,
        visit_on=date(2026, 3, 12),
        aim="Чужой десант",
        status=d.MethodicalVisitStatus.HELD,
        team_others="Чужакова Е. В.",
        consultations="Чужие консультации",
        findings="Чужие выводы",
    )
    visit.team.add(world.foreign_person)
    lesson = d.AttendedLesson.objects.create(
        pk=FOREIGN_PK, visit=visit, teacher=teacher, grade="7 Б", subject="Чужой предмет"
    )
    given = Recommendation.objects.create(
        pk=FOREIGN_PK + 50,
        municipality=world.foreign,
        school=school,
        text="Чужая рекомендация десанта",
        given_at="Чужой десант",
    )
    visit.recommendations.add(given)
    observation = d.LessonObservation.objects.create(
        pk=FOREIGN_PK,
        school=school,
        teacher=teacher,
        kind=d.ObserverKind.VISIT,
        visit=visit,
        lesson=lesson,
        observed_on=date(2026, 3, 12),
        grade="7 Б",
        subject="Чужой предмет",
        topic="Чужая тема урока",
        analysis="Чужой анализ урока",
        recommendation="Чужая рекомендация десанта",
        given=given,
        route_step_id=FOREIGN_PK,
    )
    d.ObservationScore.objects.create(pk=FOREIGN_PK, observation=observation, item=item, level=2)
