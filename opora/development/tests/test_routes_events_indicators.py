"""Individual routes (proposed, edited, approved, tracked), the calendar (registration,
attendance, the iCalendar feed) and the indicators that equal the rows they count."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from opora.core.contributions import inbox_for
from opora.development import indicators, services
from opora.development.importing import apply_diagnostics_import, plan_diagnostics_import
from opora.development.models import (
    EventKind,
    Measure,
    OfferKind,
    ParticipantRole,
    Route,
    RouteStatus,
    StepStatus,
)
from opora.development.proposing import MAX_STEPS, choose_offers
from opora.notifications.models import Notification
from opora.testing.development import school_file, with_catalogue


def _import(world, data):
    plan = plan_diagnostics_import(data, "d.csv", title="Д", year=2026)
    assert plan.ok, plan.rejected
    apply_diagnostics_import(world.users.operator, plan)


@pytest.fixture
def school(world):
    """Five teachers and a director of the home school with deficits in two areas; the
    world's home teacher with one; a catalogue answering them."""
    _import(
        world, school_file("700901", 5, {"Оценивание": 40, "Чтение": 50, "Цифра": 90}, manager=True)
    )
    teacher = world.home_teacher
    _import(
        world,
        f"ФИО;Код ОО;Должность;Область компетенций;Балл\n{teacher.full_name};700901;учитель;Чтение;20\n".encode(),
    )
    return with_catalogue(
        world,
        ("Формирующее оценивание", ["Оценивание"], OfferKind.COURSE),
        ("Оценивание и смысловое чтение", ["Оценивание", "Чтение"], OfferKind.COURSE),
        ("Цифровые инструменты", ["Цифра"], OfferKind.SEMINAR),
    )


def test_the_choice_covers_the_weakest_areas_with_the_broadest_offers():
    assert choose_offers([(7, 40), (3, 55)], [(1, {3}), (2, {3, 7})]) == [(2, 7)]
    assert choose_offers([(1, 10)], [(5, {2})]) == []
    many = [(area, 10) for area in range(10)]
    assert len(choose_offers(many, [(a, {a}) for a in range(10)])) == MAX_STEPS


def test_routes_are_proposed_from_deficits_and_the_catalogue(school):
    created = services.propose_routes(school.users.school, school.home_school)
    personal = [r for r in created if r.person_id]
    assert len(personal) == 6  # five teachers and the director, each with deficits
    team = [r for r in created if r.person_id is None]
    assert len(team) == 1 and team[0].team == "management"
    own = Route.objects.get(person=school.home_teacher)
    assert [s.offer.title for s in own.steps.all()] == ["Оценивание и смысловое чтение"]
    assert all(r.status == RouteStatus.DRAFT for r in created)
    # Proposing again keeps the routes already made.
    assert services.propose_routes(school.users.school, school.home_school) == []


def test_a_route_is_edited_submitted_and_approved_by_the_head_with_inbox_and_notices(
    school, django_capture_on_commit_callbacks
):
    head, teacher = school.users.school, school.users.teacher
    services.propose_routes(head, school.home_school)
    route = Route.objects.get(person=school.home_teacher)
    services.add_step(head, route, school.offers[2])
    with pytest.raises(PermissionDenied):
        services.add_step(teacher, route, school.offers[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_route(teacher, route)
    # (the head's other work, e.g. the school's self-analysis, waits beside it)
    assert [i.kind for i in inbox_for(head) if i.kind.startswith("Маршрут")] == [
        "Маршрут на утверждение"
    ]
    assert Notification.objects.filter(
        user=head, title__startswith="Маршрут на утверждение"
    ).exists()
    with pytest.raises(PermissionDenied):
        services.approve_route(school.users.curator, route)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_route(head, route, "Согласовано")
    route.refresh_from_db()
    assert route.status == RouteStatus.APPROVED and route.approved_by == head
    assert Notification.objects.filter(user=teacher, title="Ваш маршрут утверждён").exists()
    assert not [i for i in inbox_for(head) if i.kind.startswith("Маршрут")]
    with pytest.raises(PermissionDenied):
        services.add_step(head, route, school.offers[0])


def test_a_returned_route_comes_back_to_the_teacher_with_the_comment(school):
    head, teacher = school.users.school, school.users.teacher
    services.propose_routes(head, school.home_school)
    route = Route.objects.get(person=school.home_teacher)
    services.submit_route(teacher, route)
    with pytest.raises(ValidationError):
        services.return_route(head, route, "  ")
    services.return_route(head, route, "Добавьте стажировку")
    [item] = inbox_for(teacher)
    assert item.returned and item.note == "Добавьте стажировку"


def test_an_approved_route_is_tracked_to_a_certificate(school):
    head, teacher = school.users.school, school.users.teacher
    services.propose_routes(head, school.home_school)
    route = Route.objects.get(person=school.home_teacher)
    services.approve_route(head, route)
    step = route.steps.get()
    services.track_step(teacher, step, StepStatus.ENROLLED)
    pdf = SimpleUploadedFile("удостоверение.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.track_step(
        teacher, step, StepStatus.COMPLETED, completed_on=date(2026, 3, 1), certificate=pdf
    )
    step.refresh_from_db()
    assert (step.status, step.completed_on, step.certificate_name) == (
        StepStatus.COMPLETED,
        date(2026, 3, 1),
        "удостоверение.pdf",
    )
    html = SimpleUploadedFile("x.pdf", b"<html><script>1</script></html>")
    with pytest.raises(ValidationError):
        services.track_step(teacher, step, StepStatus.COMPLETED, certificate=html)
    with pytest.raises(PermissionDenied):
        services.track_step(school.users.curator, step, StepStatus.ATTENDED)


def test_the_curator_and_the_operator_read_routes_the_municipality_does_not(client, school):
    services.propose_routes(school.users.school, school.home_school)
    route = Route.objects.get(person=school.home_teacher)
    for role, status in [("curator", 200), ("operator", 200), ("municipal", 404), ("region", 404)]:
        client.force_login(school.users[role])
        assert client.get(reverse("development:route", args=[route.pk])).status_code == status


def _seminar(world, **extra):
    start = timezone.now() - timedelta(hours=3)
    return services.save_event(
        world.users.municipal,
        None,
        kind=EventKind.SEMINAR,
        title="Формирующее оценивание: практики",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        municipality=world.home,
        **extra,
    )


def test_a_teacher_registers_and_the_organiser_marks_attendance(school):
    event = _seminar(school)
    teacher, head = school.users.teacher, school.users.school
    mine = services.register(teacher, event, school.home_teacher)
    with pytest.raises(ValidationError):
        services.register(teacher, event, school.home_teacher)
    colleague = school.home_school.people.exclude(pk=school.home_teacher.pk).first()
    with pytest.raises(PermissionDenied):
        services.register(teacher, event, colleague)
    theirs = services.register(
        head, event, colleague, role=ParticipantRole.SPEAKER, topic="Листы самооценки"
    )
    with pytest.raises(PermissionDenied):
        services.mark_attendance(teacher, event, {mine.pk})
    assert services.mark_attendance(school.users.municipal, event, {theirs.pk}) == 1
    mine.refresh_from_db()
    assert mine.attended is False


def test_a_teacher_finds_oneself_chosen_in_the_register_form_a_head_picks(client, school):
    # A required blank choice in a list of one stopped a teacher's form in the browser.
    event = _seminar(school)
    client.force_login(school.users.teacher)
    form = client.get(reverse("development:event", args=[event.pk])).context["register_form"]
    assert form.fields["person"].empty_label is None
    assert form.fields["person"].initial == school.home_teacher.pk
    client.force_login(school.users.school)
    form = client.get(reverse("development:event", args=[event.pk])).context["register_form"]
    assert form.fields["person"].empty_label and form.fields["person"].initial is None


def test_a_municipality_plans_only_its_own_events(world):
    assert _seminar(world).municipality == world.home
    start = timezone.now()
    with pytest.raises(PermissionDenied):
        services.save_event(
            world.users.municipal,
            None,
            kind=EventKind.WEBINAR,
            title="Вебинар",
            starts_at=start,
            ends_at=start,
            municipality=world.foreign,
        )


def test_the_calendar_feed_is_valid_icalendar_by_a_secret_address(client, school):
    event = _seminar(school, place="Каргасок, РМК; зал №2, «малый»")
    services.register(school.users.teacher, event, school.home_teacher)
    feed = services.calendar_feed(school.users.teacher)
    client.logout()
    response = client.get(reverse("development:calendar_feed", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [item] = calendar.walk("VEVENT")
    assert str(item["SUMMARY"]) == "Семинар: Формирующее оценивание: практики"
    assert str(item["LOCATION"]) == "Каргасок, РМК; зал №2, «малый»"
    assert item.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert client.get(reverse("development:calendar_feed", args=["wrong"])).status_code == 404
    old = feed.token
    services.calendar_feed(school.users.teacher, renew=True)
    assert client.get(reverse("development:calendar_feed", args=[old])).status_code == 404


def test_the_indicators_equal_the_rows_they_count(school):
    """Courses: completed КПК among the listed school's diagnosed staff; practice: speakers
    who attended. The home school is on the low-results list of the world."""
    head, teacher = school.users.school, school.users.teacher
    services.propose_routes(head, school.home_school)
    own = Route.objects.get(person=school.home_teacher)
    services.approve_route(head, own)
    services.track_step(teacher, own.steps.get(), StepStatus.COMPLETED)
    team = Route.objects.get(school=school.home_school, person=None)
    services.approve_route(head, team)
    services.track_step(head, team.steps.first(), StepStatus.COMPLETED)

    rows = indicators.rows_behind(Measure.COURSES, school.home, 2026)
    figure = indicators.figure(Measure.COURSES, school.home, 2026)
    # Five of the fixture (the director among them) and the world's home teacher.
    assert figure.total == len(rows) == 6
    assert figure.counted == sum(r.counted for r in rows) == 2  # the teacher and the director
    assert figure.text == "33 % (2 из 6)"

    event = _seminar(school)
    speaker = services.register(
        head, event, school.home_teacher, role=ParticipantRole.SPEAKER, topic="Чтение"
    )
    services.mark_attendance(school.users.municipal, event, {speaker.pk})
    practice = indicators.rows_behind(Measure.PRACTICE, school.home, 2026)
    assert [(r.name, r.topic) for r in practice if r.counted] == [
        (school.home_teacher.full_name, "Чтение")
    ]


def test_a_computed_value_fills_the_roadmap_indicator(client, school):
    from opora.roadmaps.models import Roadmap, RoadmapIndicator

    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=school.home,
        title="Дорожная карта",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    indicator = RoadmapIndicator.objects.create(
        roadmap=roadmap, text="Доля педагогов, прошедших персонифицированные КПК"
    )
    client.force_login(school.users.region)
    client.post(reverse("development:indicator_fill", args=[indicator.pk]), {"measure": "courses"})
    indicator.refresh_from_db()
    assert indicator.actual_value == "0 % (0 из 6)"
    page = client.get(reverse("roadmaps:detail", args=[roadmap.pk])).content.decode()
    assert reverse("development:indicator_rows", args=["courses", school.home.pk]) in page
