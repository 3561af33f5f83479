"""Notifications: who is told what, once; the list, the unread count, the digest by e-mail.

The digest goes through a real SMTP server on loopback (aiosmtpd), not a mock.
"""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opora.notifications import digests, services
from opora.notifications.deadlines import notify_deadlines, notify_overdue_recommendations
from opora.notifications.models import Digest, Notification
from opora.roadmaps import services as roadmap_services
from opora.roadmaps.models import (
    EventExecutor,
    EventPeriod,
    ExecutorRole,
    Roadmap,
    RoadmapEvent,
    RoadmapStatus,
)
from opora.testing.roadmaps import regional_school_event
from opora.testing.smtp import loopback_smtp


@pytest.fixture
def regional_event(world):
    return regional_school_event()


def _addressed_to_the_home_school(world, title, start, end):
    """A submitted municipal roadmap whose one event is addressed to the home school."""
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title=title,
        period_start=start,
        period_end=end,
        status=RoadmapStatus.SUBMITTED,
    )
    event = RoadmapEvent.objects.create(roadmap=roadmap, number="1.", text="Планы школ")
    EventExecutor.objects.create(event=event, written="ОО", role=ExecutorRole.SCHOOL)
    event.schools.add(world.home_school)
    return roadmap


def _titles(user):
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_a_report_tells_its_reviewers_and_the_verdict_tells_the_reporter(
    world, regional_event, django_capture_on_commit_callbacks
):
    users = world.users
    with django_capture_on_commit_callbacks(execute=True):
        report = roadmap_services.report_progress(
            users["school"], regional_event, status="done", school=world.home_school
        )
    # seed 003: the school's curator and the region; not the municipal coordinator
    for who in ("curator", "region", "operator"):
        assert any("Отчёт на проверку" in t for t in _titles(users[who])), who
    for who in ("municipal", "school", "observer"):
        assert _titles(users[who]) == [], who

    with django_capture_on_commit_callbacks(execute=True):
        roadmap_services.review_report(
            users["curator"], report, accept=False, comment="Приложите протокол"
        )
    told = Notification.objects.get(user=users["school"])
    assert told.title.startswith("Отчёт возвращён на доработку")
    assert told.body == "Приложите протокол" and told.read_at is None


def test_nothing_is_told_when_the_write_is_rolled_back(world, regional_event):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        roadmap_services.report_progress(
            world.users.school, regional_event, status="done", school=world.home_school
        )
        raise RuntimeError
    assert not Notification.objects.exclude(pk=9001).exists()  # 9001: the scope walk's


def test_a_submitted_roadmap_tells_its_reviewers_not_the_one_who_sent_it(
    world, django_capture_on_commit_callbacks
):
    users = world.users
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Дорожная карта Каргасокского района",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_services.submit_roadmap(users["municipal"], roadmap)
    assert _titles(users["municipal"]) == []
    assert any("на согласование" in t for t in _titles(users["curator"]))
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_services.return_roadmap(users["curator"], roadmap, "Добавьте раздел")
    assert any("возвращена на доработку" in t for t in _titles(users["municipal"]))


def test_an_approved_municipal_roadmap_tells_its_schools_as_the_municipality_s_task(
    world, django_capture_on_commit_callbacks
):
    """The walk of issue 16 found «Задачи от муниципалитета» labelled «задача от региона» and
    seed 003's title quoted as ««Дорожная карта» …»."""
    roadmap = _addressed_to_the_home_school(
        world,
        "«Дорожная карта» по реализации программы района",
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_services.approve_roadmap(
            world.users.region, roadmap, kind="приказ", number="12", day=date(2026, 2, 1)
        )
    told = Notification.objects.get(user=world.users.school)
    assert told.title == (
        "Задачи от муниципалитета: утверждена «„Дорожная карта“ по реализации программы района»"
    )
    assert "региона" not in told.get_kind_display()


def test_a_version_archived_before_its_approval_commits_sets_nobody_a_task(
    world, django_capture_on_commit_callbacks
):
    """The demo approves 2020's roadmap and archives it for this year's copy in one go; the
    school was told of tasks from a roadmap no longer in force."""
    roadmap = _addressed_to_the_home_school(
        world, "Дорожная карта на 2020 - 2021 год", date(2020, 1, 1), date(2021, 12, 31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_services.approve_roadmap(
            world.users.region, roadmap, kind="приказ", number="353", day=date(2020, 6, 8)
        )
        roadmap_services.archive_roadmap(world.users.region, roadmap)
    assert not Notification.objects.filter(user=world.users.school).exists()


def test_deadline_reminders_come_once_a_week_before_and_the_day_after(world):
    users = world.users
    today = timezone.localdate()
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Карта",
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=60),
        status=RoadmapStatus.APPROVED,
    )
    event = RoadmapEvent.objects.create(roadmap=roadmap, number="3.", text="Совещание")
    EventPeriod.objects.create(event=event, start=today, end=today + timedelta(days=7))
    EventPeriod.objects.create(
        event=event, start=today - timedelta(days=9), end=today - timedelta(days=1)
    )
    draft = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Черновик",
        period_start=today,
        period_end=today + timedelta(days=60),
    )
    other = RoadmapEvent.objects.create(roadmap=draft, number="1.", text="Черновое")
    EventPeriod.objects.create(event=other, start=today, end=today + timedelta(days=7))

    notify_deadlines(today)
    notify_deadlines(today)  # a restarted worker runs it again: nothing twice
    titles = sorted(_titles(users["municipal"]))
    assert len(titles) == 2
    assert titles[0].startswith("Срок прошёл") and titles[1].startswith("Срок через 7 дней")
    assert all("Черновое" not in t for t in titles)  # a draft has no deadlines yet
    assert _titles(users["school"]) == []


def test_the_list_marks_read_and_the_menu_counts_unread(client, world):
    user = world.users.school
    services.notify(
        [user], kind="returned", title="Отчёт возвращён", url="/roadmaps/tasks/", key="a"
    )
    services.notify([user], kind="accepted", title="Отчёт принят", url="/roadmaps/", key="b")
    client.force_login(user)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "2 непрочитанных" in html and "Чуж" not in html
    assert 'data-testid="nav-badge">2<' in client.get(reverse("home")).content.decode()

    first = Notification.objects.get(user=user, key="a")
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/roadmaps/tasks/"
    assert "1 непрочитанное" in client.get(reverse("notifications:list")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_one_cannot_open_or_read_anothers_notification(client, world):
    client.force_login(world.users.school)
    assert client.post(reverse("notifications:open", args=[9001])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.get(pk=9001).read_at is None


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback; the mailer points at it."""
    with loopback_smtp(settings) as received:
        yield received


def test_the_digest_arrives_once_at_the_smtp_server(world, smtp):
    users = world.users
    school = users["school"]
    school.email = "school@example.org"
    school.save()
    services.set_digest(users["curator"], "off")
    users["curator"].email = "curator@example.org"
    users["curator"].save()
    for who in ("school", "curator"):
        services.notify(
            [users[who]],
            kind="returned",
            title="Отчёт возвращён на доработку: 11. Разработка школьных программ",
            body="Приложите протокол",
            url="/roadmaps/events/1/",
            key="digest-test",
        )
    morning = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    assert digests.send_digests(morning.replace(hour=6)) == 0  # before the hour of digests
    noon = morning.replace(hour=12)
    assert digests.send_digests(noon) == 1
    assert digests.send_digests(noon + timedelta(minutes=5)) == 0  # a restart: nothing twice
    assert len(smtp) == 1
    letter = smtp[0]
    assert letter["To"] == "school@example.org"
    assert letter["Subject"].startswith("Опора: сводка на ")
    text = letter.get_content()
    assert "1 новость" in text and "Приложите протокол" in text
    assert "https://opora.example/roadmaps/events/1/" in text
    assert Digest.objects.get(user=school).sent_at is not None


def test_weekly_digests_go_out_on_mondays(world):
    from opora.notifications.models import DigestFrequency

    monday = timezone.make_aware(datetime(2026, 12, 7, 9, 0))
    assert digests.period_of(DigestFrequency.WEEKLY, monday) == "weekly:2026-W50"
    assert digests.period_of(DigestFrequency.WEEKLY, monday + timedelta(days=1)) is None
    assert digests.period_of(DigestFrequency.DAILY, monday) == "daily:2026-12-07"
    assert digests.period_of(DigestFrequency.OFF, monday) is None


def test_an_approved_list_tells_its_schools_and_their_coordinators(
    world, django_capture_on_commit_callbacks
):
    from opora.registry import services as registry_services

    users = world.users
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.replace_regional_list(
            users["region"],
            year=2026,
            kind="low_results",
            school_ids={world.home_school.pk},
            basis=("Распоряжение", "1234-р", date(2026, 3, 1)),
            note="Расчёт № 1",
        )
    for who in ("school", "municipal"):
        assert _titles(users[who]) == ["Утверждён список 2026 года: ШНОР"], who
    assert _titles(users["curator"]) == []


def test_a_recommendation_becoming_overdue_tells_those_who_follow_it_up_once(world):
    from opora.recommendations.models import Recommendation, RecommendationStatus

    users = world.users
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)

    def given(municipality, text, due, status=RecommendationStatus.OPEN):
        return Recommendation.objects.create(
            municipality=municipality, text=text, due_date=due, status=status
        )

    given(world.home, "Дополнить дорожную карту разделом о наставничестве", yesterday)
    given(world.home, "Провести семинар (уже выполнено)", yesterday, RecommendationStatus.DONE)
    given(world.home, "Срок ещё не прошёл", today)
    given(world.home, "Давно просрочена: о ней уже сказали", today - timedelta(days=30))
    given(world.foreign, "Чужая рекомендация", yesterday)

    notify_overdue_recommendations(today)
    notify_overdue_recommendations(today)  # a restarted worker: nothing twice

    for who in ("region", "operator", "municipal", "curator"):
        titles = _titles(users[who])
        assert len(titles) == (2 if who in ("region", "operator") else 1), who
        assert any("наставничестве" in t and "Каргасокский район" in t for t in titles), who
    assert "Чужая рекомендация" not in " ".join(_titles(users["municipal"]))
    assert "Чужая рекомендация" not in " ".join(_titles(users["curator"]))
    for who in ("school", "expert", "observer"):
        assert _titles(users[who]) == [], who
