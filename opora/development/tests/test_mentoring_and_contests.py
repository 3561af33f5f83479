"""Mentoring (mentor–teacher pairs, the pairs of schools of seed 002 event 25, the log of their
joint work) and professional contests (stages, participants, results): who may do what, who
reads names, and the practice indicator that counts them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opora.accounts.models import AccessRecord
from opora.development import indicators, selectors_mentoring, services_contests, services_mentoring
from opora.development.importing import apply_diagnostics_import, plan_diagnostics_import
from opora.development.models import (
    ActivityKind,
    ContestLevel,
    ContestResult,
    Measure,
    MentoringActivity,
)
from opora.people.models import SchoolPair
from opora.testing.development import school_file
from opora.testing.factories import PersonFactory, SchoolFactory

YEAR = 2026


def _yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def staff(world):
    """The home teacher and a senior colleague of the home school; a teacher of the other home
    school."""
    mentor = PersonFactory(
        last_name="Наставникова", first_name="Ольга", position="учитель", school=world.home_school
    )
    other = PersonFactory(last_name="Соседова", first_name="Ирина", school=world.other_home_school)
    return mentor, other


# ---------------------------------------------------------------- mentor pairs


def test_the_teachers_own_page_shows_their_mentor_and_the_log_of_joint_work(client, world, staff):
    mentor, other = staff
    pair = services_mentoring.create_mentor_pair(
        world.users.school, mentor=mentor, mentee=world.home_teacher, year=YEAR, focus="Чтение"
    )
    services_mentoring.log_activity(
        world.users.school,
        mentor_pair=pair,
        held_on=_yesterday(),
        kind=ActivityKind.LESSON_VISIT,
        topic="Урок смыслового чтения",
        outcome="Разобрали приёмы",
    )
    client.force_login(world.users.teacher)
    page = client.get(reverse("development:me")).content.decode()
    mentoring = page[page.index('data-testid="my-mentoring"') :]
    assert "Мой наставник" in mentoring and "Наставникова Ольга" in mentoring
    assert world.home_school.short_name in mentoring and f"{YEAR} год" in mentoring
    assert "Урок смыслового чтения" in mentoring and "Разобрали приёмы" in mentoring


def test_the_mentor_sees_on_their_page_the_teachers_they_mentor(client, world, staff):
    _, other = staff
    services_mentoring.create_mentor_pair(
        world.users.operator, mentor=world.home_teacher, mentee=other, year=YEAR
    )
    client.force_login(world.users.teacher)
    page = client.get(reverse("development:me")).content.decode()
    mentoring = page[page.index('data-testid="my-mentoring"') :]
    assert "Я наставник" in mentoring and other.full_name in mentoring
    assert "межшкольная пара" in mentoring and world.other_home_school.short_name in mentoring
    assert "записей пока нет" in mentoring


def test_a_teacher_without_a_pair_sees_no_mentoring_on_their_page(client, world):
    client.force_login(world.users.teacher)
    assert "my-mentoring" not in client.get(reverse("development:me")).content.decode()


def test_a_school_pairs_its_teachers_and_the_teacher_logs_the_joint_work(client, world, staff):
    mentor, _ = staff
    pair = services_mentoring.create_mentor_pair(
        world.users.school, mentor=mentor, mentee=world.home_teacher, year=YEAR, focus="Чтение"
    )
    assert pair.school == pair.mentor_school == world.home_school
    assert not pair.across_schools

    client.force_login(world.users.teacher)
    listing = client.get(
        reverse(
            "development:mentoring",
        )
        + f"?year={YEAR}"
    ).content.decode()
    assert "Наставникова Ольга" in listing
    upload = SimpleUploadedFile("анализ.pdf", b"%PDF-1.4 analysis", content_type="application/pdf")
    response = client.post(
        reverse("development:mentor_pair_log", args=[pair.pk]),
        {
            "held_on": _yesterday().isoformat(),
            "kind": ActivityKind.LESSON_VISIT,
            "topic": "Урок смыслового чтения",
            "outcome": "Разобрали приёмы",
            "file": upload,
        },
    )
    assert response.status_code == 302
    entry = pair.activities.get()
    assert entry.topic == "Урок смыслового чтения" and entry.file_name == "анализ.pdf"
    page = client.get(reverse("development:mentor_pair", args=[pair.pk])).content.decode()
    assert "Урок смыслового чтения" in page
    download = client.get(reverse("development:activity_file", args=[entry.pk]))
    assert download.status_code == 200


def test_a_school_cannot_pair_a_teacher_of_another_school_a_municipality_can(world, staff):
    mentor, other = staff
    with pytest.raises(PermissionDenied):
        services_mentoring.create_mentor_pair(
            world.users.school, mentor=other, mentee=world.home_teacher, year=YEAR
        )
    pair = services_mentoring.create_mentor_pair(
        world.users.municipal, mentor=other, mentee=world.home_teacher, year=YEAR
    )
    assert pair.across_schools
    with pytest.raises(ValidationError, match="уже есть"):
        services_mentoring.create_mentor_pair(
            world.users.municipal, mentor=other, mentee=world.home_teacher, year=YEAR
        )
    with pytest.raises(ValidationError, match="один и тот же"):
        services_mentoring.create_mentor_pair(
            world.users.municipal, mentor=other, mentee=other, year=YEAR
        )
    with pytest.raises(PermissionDenied):
        services_mentoring.create_mentor_pair(
            world.users.municipal, mentor=world.foreign_person, mentee=world.home_teacher, year=YEAR
        )


def test_a_bad_entry_writes_nothing_and_says_why(client, world, staff):
    mentor, _ = staff
    pair = services_mentoring.create_mentor_pair(
        world.users.school, mentor=mentor, mentee=world.home_teacher, year=YEAR
    )
    client.force_login(world.users.school)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("development:mentor_pair_log", args=[pair.pk]),
        {"held_on": tomorrow.isoformat(), "kind": "consultation", "topic": "Консультация"},
        follow=True,
    )
    assert "дата ещё не наступила" in response.content.decode()
    html = SimpleUploadedFile("отчёт.pdf", b"<html>not a pdf</html>")
    response = client.post(
        reverse("development:mentor_pair_log", args=[pair.pk]),
        {
            "held_on": _yesterday().isoformat(),
            "kind": "consultation",
            "topic": "Консультация",
            "file": html,
        },
        follow=True,
    )
    assert "не принят" in response.content.decode()
    assert not MentoringActivity.objects.filter(mentor_pair=pair).exists()


def test_a_pair_is_read_by_its_people_and_organisers_experts_see_counts(client, world, staff):
    mentor, _ = staff
    pair = services_mentoring.create_mentor_pair(
        world.users.school, mentor=mentor, mentee=world.home_teacher, year=YEAR
    )
    services_mentoring.log_activity(
        world.users.school,
        mentor_pair=pair,
        held_on=_yesterday(),
        kind=ActivityKind.OPEN_LESSON,
        topic="Открытый урок",
    )
    for role in ("school", "municipal", "curator", "region", "operator", "teacher"):
        assert world.users[role].has_perm("development.view_mentorpair", pair), role
    for role in ("expert", "observer"):
        assert not world.users[role].has_perm("development.view_mentorpair", pair), role
        assert not selectors_mentoring.mentor_pairs_for(world.users[role], YEAR).exists()
    counts = selectors_mentoring.mentoring_counts(world.users.expert, YEAR)
    home = next(c for c in counts if c.municipality == world.home)
    assert (home.pairs, home.entries) == (1, 1)
    client.force_login(world.users.expert)
    page = client.get(reverse("development:mentoring") + f"?year={YEAR}").content.decode()
    assert "Наставникова" not in page and "Каргасокский район" in page
    assert client.get(reverse("development:mentor_pair", args=[pair.pk])).status_code == 404

    # Another teacher of the same school does not see the pair.
    from opora.accounts.models import Role
    from opora.testing.factories import UserFactory

    colleague = UserFactory(
        role=Role.TEACHER,
        person=mentor.__class__.objects.create(last_name="Коллегова", school=world.home_school),
        school=world.home_school,
    )
    assert not selectors_mentoring.mentor_pairs_for(colleague, YEAR).exists()


def test_every_view_of_a_named_pair_by_someone_else_is_recorded(client, world, staff):
    mentor, _ = staff
    pair = services_mentoring.create_mentor_pair(
        world.users.school, mentor=mentor, mentee=world.home_teacher, year=YEAR
    )
    client.force_login(world.users.curator)
    client.get(reverse("development:mentor_pair", args=[pair.pk]))
    record = AccessRecord.objects.filter(username="curator").latest("pk")
    assert record.what == "Журнал пары «наставник — педагог»" and record.object_id == str(pair.pk)
    client.force_login(world.users.teacher)
    before = AccessRecord.objects.filter(username="teacher").count()
    client.get(reverse("development:mentor_pair", args=[pair.pk]))
    assert AccessRecord.objects.filter(username="teacher").count() == before


def test_the_pair_of_schools_keeps_its_log_other_schools_do_not_write_it(client, world):
    stronger = SchoolFactory(
        code="700903", full_name="МБОУ «КСОШ-интернат № 1»", municipality=world.home
    )
    pair = SchoolPair.objects.create(
        year=YEAR, mentor_school=stronger, supported_school=world.home_school
    )
    entry = services_mentoring.log_activity(
        world.users.school,
        school_pair=pair,
        held_on=_yesterday(),
        kind=ActivityKind.TEACHER_EXCHANGE,
        topic="Уроки в школе-партнёре",
        outcome="4 урока",
    )
    client.force_login(world.users.municipal)
    page = client.get(reverse("development:school_pair", args=[pair.pk])).content.decode()
    assert "Уроки в школе-партнёре" in page
    listing = client.get(reverse("development:mentoring") + f"?year={YEAR}").content.decode()
    assert "КСОШ-интернат № 1" in listing

    from opora.accounts.models import Role
    from opora.testing.factories import UserFactory

    outsider = UserFactory(role=Role.SCHOOL, school=world.other_home_school)
    assert not outsider.has_perm("development.log_schoolpair", pair)
    client.force_login(outsider)
    assert client.get(reverse("development:school_pair", args=[pair.pk])).status_code == 404
    client.post(reverse("development:activity_remove", args=[entry.pk]))
    assert MentoringActivity.objects.filter(pk=entry.pk).exists()


# ---------------------------------------------------------------- contests


@pytest.fixture
def contest(world):
    contest = services_contests.save_contest(
        world.users.region,
        None,
        title="Учитель года — 2026",
        level=ContestLevel.REGIONAL,
        year=YEAR,
        municipality=None,
        organiser="ТОИПКРО",
        note="",
    )
    services_contests.add_stage(
        world.users.region,
        contest,
        title="Заочный тур",
        starts_on=date(YEAR, 2, 1),
        ends_on=date(YEAR, 2, 28),
    )
    return contest


def test_the_region_keeps_a_contest_a_municipality_registers_its_teachers(world, contest, staff):
    _, other = staff
    municipal = world.users.municipal
    entry = services_contests.enter_participant(
        municipal, contest, world.home_teacher, topic="Смысловое чтение"
    )
    assert entry.school == world.home_school
    with pytest.raises(PermissionDenied):
        services_contests.enter_participant(municipal, contest, world.foreign_person)
    with pytest.raises(ValidationError, match="уже участвует"):
        services_contests.enter_participant(municipal, contest, world.home_teacher)
    with pytest.raises(PermissionDenied):
        services_contests.set_result(municipal, entry, result=ContestResult.WINNER)
    with pytest.raises(PermissionDenied):
        services_contests.add_stage(
            municipal, contest, title="Финал", starts_on=date(YEAR, 4, 1), ends_on=date(YEAR, 4, 1)
        )
    stage = contest.stages.get()
    services_contests.set_result(
        world.users.region, entry, result=ContestResult.LAUREATE, reached=stage
    )
    entry.refresh_from_db()
    assert entry.is_awarded and entry.reached == stage
    with pytest.raises(ValidationError, match="уже есть результат"):
        services_contests.withdraw_participant(municipal, entry)
    with pytest.raises(PermissionDenied):
        services_contests.enter_participant(world.users.school, contest, other)


def test_a_municipality_keeps_only_its_own_contests(world):
    municipal = world.users.municipal
    with pytest.raises(PermissionDenied):
        services_contests.save_contest(
            municipal,
            None,
            title="Регион",
            level=ContestLevel.REGIONAL,
            year=YEAR,
            municipality=None,
            organiser="",
            note="",
        )
    with pytest.raises(PermissionDenied):
        services_contests.save_contest(
            municipal,
            None,
            title="Чужой",
            level=ContestLevel.MUNICIPAL,
            year=YEAR,
            municipality=world.foreign,
            organiser="",
            note="",
        )
    own = services_contests.save_contest(
        municipal,
        None,
        title="Педагогический дебют",
        level=ContestLevel.MUNICIPAL,
        year=YEAR,
        municipality=world.home,
        organiser="",
        note="",
    )
    assert own.municipality == world.home
    with pytest.raises(ValidationError, match="укажите его"):
        services_contests.save_contest(
            world.users.region,
            None,
            title="Без района",
            level=ContestLevel.SCHOOL,
            year=YEAR,
            municipality=None,
            organiser="",
            note="",
        )
    with pytest.raises(ValidationError, match="Окончание этапа раньше"):
        services_contests.add_stage(
            municipal, own, title="Этап", starts_on=date(YEAR, 3, 2), ends_on=date(YEAR, 3, 1)
        )


def test_participants_are_named_within_scope_only(client, world, contest, staff):
    _, other = staff
    services_contests.enter_participant(world.users.municipal, contest, world.home_teacher)
    services_contests.enter_participant(world.users.municipal, contest, other)
    names = lambda role: {  # noqa: E731
        p.person.last_name
        for p in selectors_mentoring.participants_shown(world.users[role], contest)
    }
    assert names("municipal") == names("region") == {"Учителева", "Соседова"}
    assert names("school") == {"Учителева"}
    assert names("teacher") == {"Учителева"}
    assert names("expert") == set()
    client.force_login(world.users.municipal)
    client.get(reverse("development:contest", args=[contest.pk]))
    assert AccessRecord.objects.filter(
        username="municipal", what="Участники профессионального конкурса"
    ).exists()
    client.force_login(world.users.expert)
    page = client.get(reverse("development:contest", args=[contest.pk])).content.decode()
    assert "Всего 2 участника" in page and "Учителева" not in page


# ---------------------------------------------------------------- the indicator they feed


def _diagnose(world):
    plan = plan_diagnostics_import(
        school_file("700901", 5, {"Оценивание": 40}), "d.csv", title="Д", year=YEAR
    )
    apply_diagnostics_import(world.users.operator, plan)
    teacher = world.home_teacher
    data = f"ФИО;Код ОО;Должность;Область компетенций;Балл\n{teacher.full_name};700901;учитель;Оценивание;30\n"
    plan = plan_diagnostics_import(data.encode(), "d.csv", title="Д", year=YEAR)
    apply_diagnostics_import(world.users.operator, plan)


def test_the_practice_indicator_counts_contests_and_mentoring_and_equals_its_rows(
    world, contest, staff
):
    """Six diagnosed people of the home school: the teacher in a contest and a mentor with an
    entry in the log count; a mentor without an entry and the others do not."""
    _diagnose(world)
    from opora.people.models import Person

    mentor = Person.objects.get(last_name="Педагогова0")
    idle = Person.objects.get(last_name="Педагогова1")
    services_contests.enter_participant(
        world.users.municipal, contest, world.home_teacher, topic="Смысловое чтение"
    )
    pair = services_mentoring.create_mentor_pair(
        world.users.school, mentor=mentor, mentee=idle, year=YEAR
    )
    services_mentoring.create_mentor_pair(world.users.school, mentor=idle, mentee=mentor, year=YEAR)
    held = _yesterday()
    services_mentoring.log_activity(
        world.users.school,
        mentor_pair=pair,
        held_on=held,
        kind=ActivityKind.OPEN_LESSON,
        topic="Открытый урок наставника",
    )
    rows = indicators.rows_behind(Measure.PRACTICE, world.home, YEAR)
    figure = indicators.figure(Measure.PRACTICE, world.home, YEAR)
    counted = [r for r in rows if r.counted]
    assert figure.total == len(rows) == 6
    assert figure.counted == len(counted) == 2
    assert figure.text == "2 чел. (33 %)"
    by_name = {r.name: (r.what, r.on, r.topic) for r in counted}
    assert by_name[world.home_teacher.full_name] == (
        "Конкурс: Учитель года — 2026",
        date(YEAR, 2, 1),
        "Смысловое чтение",
    )
    assert by_name[mentor.full_name] == (
        "Наставничество: Педагогова1 А.",
        held,
        "Открытый урок наставника",
    )
    # The rows folded per school add up to the figure too.
    per_school = indicators.by_school(rows, 5)
    assert sum(s.counted for s in per_school) == figure.counted
    assert sum(s.total for s in per_school) == figure.total


def test_the_rows_page_names_what_counted_for_the_operator(client, world, contest):
    _diagnose(world)
    services_contests.enter_participant(
        world.users.municipal, contest, world.home_teacher, topic="Смысловое чтение"
    )
    client.force_login(world.users.operator)
    page = client.get(
        reverse("development:indicator_rows", args=[Measure.PRACTICE, world.home.pk])
    ).content.decode()
    assert "Конкурс: Учитель года — 2026" in page and "«Смысловое чтение»" in page


def test_the_share_in_courses_counts_enrolled_steps_and_fills_the_roadmap_indicator(world):
    """Seed 000's «участие 100 % педагогов в КПК»: a teacher enrolled on a course of an
    approved route counts; the computed text becomes the roadmap indicator's actual value."""
    from opora.development import services
    from opora.development.models import OfferKind, Route, StepStatus
    from opora.roadmaps.models import Roadmap, RoadmapIndicator
    from opora.testing.development import catalogue

    _diagnose(world)
    catalogue(("Формирующее оценивание", ["Оценивание"], OfferKind.COURSE))
    head = world.users.school
    services.propose_routes(head, world.home_school, YEAR)
    own = Route.objects.get(person=world.home_teacher, year=YEAR)
    services.approve_route(head, own)
    services.track_step(world.users.teacher, own.steps.get(), StepStatus.ENROLLED)

    rows = indicators.rows_behind(Measure.ENROLLED, world.home, YEAR)
    figure = indicators.figure(Measure.ENROLLED, world.home, YEAR)
    assert [r.name for r in rows if r.counted] == [world.home_teacher.full_name]
    assert (figure.counted, figure.total) == (1, len(rows)) == (1, 6)
    assert indicators.figure(Measure.COURSES, world.home, YEAR).counted == 0

    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Дорожная карта",
        period_start=date(YEAR, 1, 1),
        period_end=date(YEAR, 12, 31),
    )
    indicator = RoadmapIndicator.objects.create(
        roadmap=roadmap, text="Участие 100 % педагогов в КПК"
    )
    indicators.fill_indicator(world.users.region, indicator, Measure.ENROLLED, YEAR)
    indicator.refresh_from_db()
    assert indicator.actual_value == figure.text == "17 % (1 из 6)"
    assert indicator.development_link.measure == Measure.ENROLLED
