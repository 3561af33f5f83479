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
    from opora.development import summaries
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
    summaries.recount(schools=[school.pk])  # as the import would
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


def create_mentoring(world: World) -> None:
    """Mentoring and contests of the foreign scope: a mentor pair of two foreign teachers with
    an entry (and its file), an entry in the log of the world's foreign pair of schools, a
    foreign municipal contest with a stage and a participant, and a foreign participant of a
    regional contest every role may open (pk 9002) — whose name must stay hidden."""
    from datetime import date

    from opora.development import models as d
    from opora.people.models import Person, SchoolPair

    school = world.foreign_school
    teacher = Person.objects.get(pk=FOREIGN_PK + 10)
    pair = d.MentorPair.objects.create(
        pk=FOREIGN_PK,
        year=2026,
        mentor=teacher,
        mentor_school=school,
        mentee=world.foreign_person,
        school=school,
        focus="Чужое направление",
    )
    entry = d.MentoringActivity(
        pk=FOREIGN_PK,
        mentor_pair=pair,
        held_on=date(2026, 2, 10),
        kind=d.ActivityKind.LESSON_VISIT,
        topic="Чужой урок",
        outcome="Чужой итог",
        file_name="Чужой анализ урока.pdf",
    )
    entry.file.save("foreign-entry.pdf", ContentFile(b"%PDF-1.4 Chuzh"), save=True)
    d.MentoringActivity.objects.create(
        pk=FOREIGN_PK + 1,
        school_pair=SchoolPair.objects.get(pk=FOREIGN_PK),
        held_on=date(2026, 2, 11),
        kind=d.ActivityKind.SEMINAR,
        topic="Чужой совместный семинар",
    )
    contest = d.Contest.objects.create(
        pk=FOREIGN_PK,
        title="Чужой конкурс",
        level=d.ContestLevel.MUNICIPAL,
        year=2026,
        municipality=world.foreign,
        note="Чужое положение",
    )
    stage = d.ContestStage.objects.create(
        pk=FOREIGN_PK,
        contest=contest,
        title="Чужой этап",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 2, 20),
    )
    regional = d.Contest.objects.create(
        pk=FOREIGN_PK + 1, title="Учитель года", level=d.ContestLevel.REGIONAL, year=2026
    )
    d.ContestParticipant.objects.create(
        pk=FOREIGN_PK, contest=regional, person=teacher, school=school, topic="Чужая практика"
    )
    d.ContestParticipant.objects.create(
        pk=FOREIGN_PK + 1,
        contest=contest,
        person=world.foreign_person,
        school=school,
        topic="Чужая тема",
        reached=stage,
        result=d.ContestResult.WINNER,
    )


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
