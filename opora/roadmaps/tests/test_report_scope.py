"""Who reads a report on an event, and who reports: issue 9.

A regional roadmap is everybody's to read; the reports of its addressees are not. A report, its
comment, its history and its files are read by the reporter's scope (the school or the
municipality that reported, the curator who did), its reviewers (the school's curator and
municipal coordinator, the region) and the region-wide roles — never by another school or
another municipality. Curators report on the events addressed to them and are reviewed like
everybody else.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.accounts.models import Role
from opora.people.models import CuratorAssignment
from opora.roadmaps import selectors, services
from opora.roadmaps.models import (
    EventExecutor,
    EventPeriod,
    Evidence,
    ExecutorRole,
    ProgressReport,
    ProgressStatus,
    ReviewState,
    Roadmap,
    RoadmapEvent,
    RoadmapStatus,
)
from opora.testing.factories import PersonFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _regional_event(*roles, level="region", municipality=None):
    roadmap = Roadmap.objects.create(
        level=level,
        municipality=municipality,
        owner_name="ДОО ТО",
        title="Региональная карта на 2026 год",
        period_start=date(2026, 1, 1),
        period_end=date(2099, 12, 31),
        status=RoadmapStatus.APPROVED,
    )
    event = RoadmapEvent.objects.create(
        roadmap=roadmap, number="9.", text="Консультации для ОО", due_on=date(2026, 3, 31)
    )
    for i, role in enumerate(roles):
        EventExecutor.objects.create(event=event, order=i, written=role, role=role)
    period = EventPeriod.objects.create(event=event, start=date(2026, 3, 1), end=date(2026, 3, 31))
    return event, period


def _pdf(name):
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.fixture
def reported(world):
    """A regional event answered by two schools and the municipality of Каргасок."""
    event, period = _regional_event(ExecutorRole.SCHOOL, ExecutorRole.MUNICIPAL_AUTHORITY)
    users = world.users
    neighbour = UserFactory(username="neighbour", role=Role.SCHOOL, school=world.other_home_school)
    reports = {
        "school": services.report_progress(
            users["school"],
            event,
            status="done",
            period=period,
            done_on=date(2026, 3, 20),
            comment="Отчёт Вертикосской школы",
            files=[_pdf("акт-вертикос.pdf")],
            school=world.home_school,
        ),
        "neighbour": services.report_progress(
            neighbour,
            event,
            status="done",
            period=period,
            done_on=date(2026, 3, 20),
            comment="Отчёт Новоюгинской школы",
            files=[_pdf("акт-новоюгино.pdf")],
            school=world.other_home_school,
        ),
        "municipal": services.report_progress(
            users["municipal"],
            event,
            status="in_progress",
            period=period,
            comment="Отчёт Каргасокского района",
            municipality=world.home,
        ),
    }
    return event, period, neighbour, reports


# Which of the reports above each role reads.
READS = {
    "school": {"school"},
    "neighbour": {"neighbour"},
    "municipal": {"school", "neighbour", "municipal"},  # the coordinator reviews its schools
    "curator": {"school", "neighbour", "municipal"},  # assigned to Каргасокский район
    "region": {"school", "neighbour", "municipal"},
    "operator": {"school", "neighbour", "municipal"},
    "expert": {"school", "neighbour", "municipal"},
    "observer": {"school", "neighbour", "municipal"},
    "foreign_municipal": set(),
}


def _user(world, neighbour, who):
    if who == "neighbour":
        return neighbour
    if who == "foreign_municipal":
        return UserFactory(username="foreign-mun", role=Role.MUNICIPAL, municipality=world.foreign)
    return world.users[who]


@pytest.mark.parametrize("who", list(READS))
def test_a_report_on_a_regional_event_is_read_by_its_scope_and_reviewers(
    client, world, reported, who
):
    event, _, neighbour, reports = reported
    user = _user(world, neighbour, who)
    expected = {reports[k].pk for k in READS[who]}

    assert set(selectors.reports_of(event, user).values_list("pk", flat=True)) == expected

    client.force_login(user)
    page = client.get(reverse("roadmaps:event", args=[event.pk]))
    assert page.status_code == 200  # the regional event itself is everybody's
    html = page.content.decode()
    for key, report in reports.items():
        assert (report.comment in html) == (key in READS[who]), (who, key)
    for key in ("school", "neighbour"):
        evidence = Evidence.objects.get(report=reports[key])
        assert (evidence.original_name in html) == (key in READS[who])
        download = client.get(reverse("roadmaps:evidence", args=[evidence.pk]))
        assert download.status_code == (200 if key in READS[who] else 404), (who, key)
    history = {r.id for r in selectors.report_history_of(event, user)}
    assert history == expected


def test_another_school_cannot_review_or_download_by_guessing_ids(client, world, reported):
    event, _, neighbour, reports = reported
    client.force_login(neighbour)
    mine = Evidence.objects.get(report=reports["school"])
    assert client.get(reverse("roadmaps:evidence", args=[mine.pk])).status_code == 404
    response = client.post(
        reverse("roadmaps:report_review", args=[reports["school"].pk]),
        {"decision": "accept"},
    )
    assert response.status_code == 404
    assert ProgressReport.objects.get(pk=reports["school"].pk).review_state == ReviewState.PENDING


@pytest.mark.parametrize("reviewer", ["region", "curator"])
def test_a_school_report_on_a_regional_event_is_reviewed_by_its_reviewers(
    client, world, reported, reviewer
):
    """The region and the school's curator accept or return it (issue 16: seed 003 events
    9–11, 18); the municipal coordinator reads it but reviews the reports on municipal events."""
    event, _, _, reports = reported
    client.force_login(world.users[reviewer])
    page = client.get(reverse("roadmaps:event", args=[event.pk]))
    reviewable = {r.pk for r in page.context["reports"] if r.reviewable}
    assert reports["school"].pk in reviewable
    client.post(
        reverse("roadmaps:report_review", args=[reports["school"].pk]), {"decision": "accept"}
    )
    assert ProgressReport.objects.get(pk=reports["school"].pk).review_state == ReviewState.ACCEPTED


@pytest.mark.parametrize(
    "who", ["school", "neighbour", "observer", "foreign_municipal", "municipal"]
)
def test_others_do_not_review_a_school_report_on_a_regional_event(world, reported, who):
    from django.core.exceptions import PermissionDenied

    event, _, neighbour, reports = reported
    user = _user(world, neighbour, who)
    report = ProgressReport.objects.get(pk=reports["school"].pk)
    with pytest.raises(PermissionDenied):
        services.review_report(user, report, accept=True)
    assert ProgressReport.objects.get(pk=report.pk).review_state == ReviewState.PENDING


def test_the_foreign_report_of_the_world_is_hidden_from_home_and_shown_to_its_own(world):
    """The scope walk's regional event: the foreign school reads its own report."""
    event = RoadmapEvent.objects.get(pk=9002)
    reporter = ProgressReport.objects.get(pk=9002).reported_by
    assert selectors.reports_of(event, reporter).count() == 1
    for role in ("school", "municipal", "curator"):
        assert not selectors.reports_of(event, world.users[role]).exists()
    assert selectors.visible_evidence(world.users.school, 9002) is None
    assert selectors.visible_evidence(reporter, 9002) is not None


# --- curators report on what is addressed to them ------------------------------------------------


def _post_report(client, event, period, comment="Консультации проведены"):
    return client.post(
        reverse("roadmaps:event_report", args=[event.pk]),
        {
            "period": period.pk,
            "status": "done",
            "done_on": "2026-03-20",
            "comment": comment,
            "files": _pdf("справка-куратора.pdf"),
        },
        follow=True,
    )


def test_a_curator_reports_on_a_regional_task_addressed_to_curators(client, world):
    event, period = _regional_event(ExecutorRole.CURATOR)
    curator = world.users.curator
    assert event in selectors.regional_tasks_for(curator)  # «Задачи от региона»
    client.force_login(curator)

    page = client.get(reverse("roadmaps:event", args=[event.pk]))
    assert page.context["addressee"] == "curator"
    assert "(как куратор)" in page.content.decode()

    page = _post_report(client, event, period)
    assert "Отчёт сохранён." in [str(m) for m in page.context["messages"]]
    report = ProgressReport.objects.get(event=event)
    assert report.curator == curator.person
    assert report.school is None and report.municipality is None
    assert report.review_state == ReviewState.PENDING
    period.refresh_from_db()
    assert period.status == ProgressStatus.NOT_STARTED  # the region's own status stays its own
    task = selectors.regional_tasks_for(curator).get(pk=event.pk)
    assert task.my_reports == 1
    assert "Консультации проведены" in page.content.decode()

    # Reviewed like other reports: by the region, not by the curator who wrote it.
    page = client.post(
        reverse("roadmaps:report_review", args=[report.pk]), {"decision": "accept"}, follow=True
    )
    assert ProgressReport.objects.get(pk=report.pk).review_state == ReviewState.PENDING
    client.force_login(world.users.region)
    client.post(
        reverse("roadmaps:report_review", args=[report.pk]),
        {"decision": "return", "comment": "Приложите график консультаций"},
    )
    report.refresh_from_db()
    assert report.review_state == ReviewState.RETURNED
    assert report.review_comment == "Приложите график консультаций"
    period.refresh_from_db()
    assert period.status == ProgressStatus.NOT_STARTED

    # Nobody else's business: another curator of the same municipality, the municipality, the
    # school.
    person = PersonFactory(last_name="Другая-Кураторова")
    CuratorAssignment.objects.create(person=person, year=2026, municipality=world.home)
    other = UserFactory(username="other-curator", role=Role.CURATOR, person=person)
    for user in (other, world.users.municipal, world.users.school):
        assert not selectors.reports_of(event, user).exists()


def test_a_curator_does_not_report_on_an_event_not_addressed_to_curators(client, world):
    event, period = _regional_event(ExecutorRole.SCHOOL)
    curator = world.users.curator
    client.force_login(curator)
    assert client.get(reverse("roadmaps:event", args=[event.pk])).context["report_form"] is None
    _post_report(client, event, period)
    assert not ProgressReport.objects.filter(event=event).exists()
    with pytest.raises(Exception, match="не адресовано кураторам"):
        services.report_progress(curator, event, status="done", curator=curator.person)


def test_a_curator_reports_only_for_itself(world):
    event, _ = _regional_event(ExecutorRole.CURATOR)
    municipal = world.users.municipal
    with pytest.raises(Exception, match="только за себя"):
        services.report_progress(
            municipal, event, status="done", curator=world.users.curator.person
        )
    assert not ProgressReport.objects.filter(event=event).exists()


def test_a_curator_reports_on_a_municipal_event_and_the_coordinator_reviews(client, world):
    event, period = _regional_event(
        ExecutorRole.CURATOR, level="municipality", municipality=world.home
    )
    curator = world.users.curator
    client.force_login(curator)
    _post_report(client, event, period, comment="Куратор провёл совещание")
    report = ProgressReport.objects.get(event=event)
    assert report.curator == curator.person

    municipal = world.users.municipal
    assert list(selectors.reports_of(event, municipal)) == [report]
    assert not selectors.reports_of(event, world.users.school).exists()
    client.force_login(municipal)
    client.post(reverse("roadmaps:report_review", args=[report.pk]), {"decision": "accept"})
    assert ProgressReport.objects.get(pk=report.pk).review_state == ReviewState.ACCEPTED
    period.refresh_from_db()
    assert period.status == ProgressStatus.NOT_STARTED  # the owner's status is the owner's


def _municipal(world, municipality, status):
    return Roadmap.objects.create(
        level="municipality",
        municipality=municipality,
        title=f"Карта {municipality.name} {status}",
        period_start=date(2026, 1, 1),
        period_end=date(2099, 12, 31),
        status=status,
    )


def test_a_school_reads_its_municipalitys_roadmap_in_execution_only(world):
    """The school reports on the municipal events addressed to it (seed 002, event 11), so it
    reads its municipality's roadmap in execution; not a draft, not another municipality's."""
    school = world.users.school
    approved = _municipal(world, world.home, RoadmapStatus.APPROVED)
    draft = _municipal(world, world.home, RoadmapStatus.DRAFT)
    foreign = _municipal(world, world.foreign, RoadmapStatus.APPROVED)
    visible = set(selectors.roadmaps_for(school).values_list("pk", flat=True))
    assert approved.pk in visible
    assert draft.pk not in visible and foreign.pk not in visible
    assert school.has_perm("roadmaps.view_roadmap", approved)
    assert not school.has_perm("roadmaps.view_roadmap", draft)
    assert not school.has_perm("roadmaps.view_roadmap", foreign)
    assert not school.has_perm("roadmaps.change_roadmap", approved)


def test_a_school_reports_on_a_municipal_event_and_its_coordinator_reviews(world):
    school, municipal = world.users.school, world.users.municipal
    roadmap = _municipal(world, world.home, RoadmapStatus.APPROVED)
    event = RoadmapEvent.objects.create(roadmap=roadmap, number="11.", text="Планы школ")
    EventExecutor.objects.create(event=event, written="ОО", role=ExecutorRole.SCHOOL)
    other = RoadmapEvent.objects.create(roadmap=roadmap, number="12.", text="Только для МОУО")
    EventExecutor.objects.create(event=other, written="МОУО", role=ExecutorRole.MUNICIPAL_AUTHORITY)
    tasks = list(selectors.regional_tasks_for(school))
    assert event in tasks and other not in tasks
    report = services.report_progress(
        school, event, status=ProgressStatus.DONE, school=world.home_school
    )
    assert report.school_id == world.home_school.pk
    assert municipal.has_perm("roadmaps.review_this_report", report)
    assert not world.users.curator.has_perm("roadmaps.review_this_report", report)
    services.review_report(municipal, report, accept=True)
    report.refresh_from_db()
    assert report.review_state == ReviewState.ACCEPTED


def test_a_municipal_roadmap_in_force_tells_its_schools_of_their_tasks(world):
    from opora.roadmaps.reviewers import addressees_of

    roadmap = _municipal(world, world.home, RoadmapStatus.APPROVED)
    event = RoadmapEvent.objects.create(roadmap=roadmap, number="1.", text="Только для МОУО")
    EventExecutor.objects.create(event=event, written="МОУО", role=ExecutorRole.MUNICIPAL_AUTHORITY)
    assert not addressees_of(roadmap).exists()
    EventExecutor.objects.create(event=event, written="ОО", role=ExecutorRole.SCHOOL)
    told = set(addressees_of(roadmap).values_list("username", flat=True))
    assert "school" in told and all(
        u.school.municipality_id == world.home.pk for u in addressees_of(roadmap)
    )
