"""Concurrent and stale workflow steps: one transition wins, the others get a Russian message.

The probe of issue 9 sent 30 parallel approvals of one roadmap and got two approvals with two
order numbers on PostgreSQL; on SQLite an approval sent from an older page brought an archived
roadmap back. Each step now claims the roadmap in the status it started from.
"""

from datetime import date

import pytest
from django.test import Client

from opora.core.states import StateChanged
from opora.roadmaps import services
from opora.roadmaps.models import (
    EventPeriod,
    ProgressReport,
    ReviewState,
    Roadmap,
    RoadmapStatus,
    RoadmapTransition,
)
from opora.testing.racing import needs_postgres, race

THREADS = 10


def _roadmap(world, status=RoadmapStatus.DRAFT) -> Roadmap:
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Карта Каргасокского района",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    services.add_event(world.users.municipal, roadmap, None, text="Совещание")
    Roadmap.objects.filter(pk=roadmap.pk).update(status=status)
    return Roadmap.objects.get(pk=roadmap.pk)


def _approve(user, roadmap, number):
    return services.approve_roadmap(
        user, roadmap, kind="приказ УООиП", number=number, day=date(2026, 6, 8)
    )


def _outcome(results):
    won = [r for r in results if isinstance(r, Roadmap | ProgressReport)]
    lost = [r for r in results if isinstance(r, Exception)]
    return won, lost


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_give_one_approval_with_one_number(world):
    roadmap = _roadmap(world, RoadmapStatus.SUBMITTED)
    municipal = world.users.municipal
    results = race(
        THREADS,
        lambda i: Roadmap.objects.get(pk=roadmap.pk),
        lambda i, r: _approve(municipal, r, f"{100 + i}"),
    )
    won, lost = _outcome(results)
    assert len(won) == 1, results
    assert all(isinstance(e, StateChanged) for e in lost), lost
    assert all("Состояние уже изменилось" in e.messages[0] for e in lost)
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.APPROVED
    assert roadmap.approval_number == won[0].approval_number
    assert RoadmapTransition.objects.filter(roadmap=roadmap, to_status="approved").count() == 1
    assert roadmap.history.filter(status="approved").count() == 1
    assert set(roadmap.history.values_list("approval_number", flat=True)) == {
        "",
        won[0].approval_number,
    }


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_approve_and_archive_take_one_step(world):
    roadmap = _roadmap(world, RoadmapStatus.DRAFT)
    municipal = world.users.municipal

    def act(i, r):
        if i % 2:
            return services.archive_roadmap(municipal, r)
        return _approve(municipal, r, f"{i}")

    results = race(THREADS, lambda i: Roadmap.objects.get(pk=roadmap.pk), act)
    won, lost = _outcome(results)
    assert len(won) == 1 and all(isinstance(e, StateChanged) for e in lost), results
    roadmap.refresh_from_db()
    steps = list(
        RoadmapTransition.objects.filter(roadmap=roadmap).exclude(
            from_status="draft", to_status="draft"
        )
    )
    assert len(steps) == 1 and steps[0].to_status == roadmap.status


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_reviews_of_a_report_decide_once(world):
    roadmap = _roadmap(world, RoadmapStatus.APPROVED)
    event = roadmap.events.get()
    period = EventPeriod.objects.create(event=event, start=date(2026, 3, 1), end=date(2026, 3, 31))
    report = services.report_progress(
        world.users.municipal, event, status="done", period=period, done_on=date(2026, 3, 5)
    )
    curator = world.users.curator

    def act(i, r):
        return services.review_report(curator, r, accept=i % 2 == 0, comment=f"замечание {i}")

    results = race(THREADS, lambda i: ProgressReport.objects.get(pk=report.pk), act)
    won, lost = _outcome(results)
    assert len(won) == 1 and all(isinstance(e, StateChanged) for e in lost), results
    report.refresh_from_db()
    assert report.review_state == won[0].review_state
    assert report.history.exclude(review_state=ReviewState.PENDING).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_through_the_page_give_messages_not_errors(world):
    roadmap = _roadmap(world, RoadmapStatus.SUBMITTED)
    url = f"/roadmaps/{roadmap.pk}/approve/"

    def load(i):
        client = Client(raise_request_exception=False)
        client.force_login(world.users.municipal)
        return client

    def act(i, client):
        return client.post(
            url,
            {"kind": "приказ", "number": str(i), "day": "08.06.2026", "seen_status": "submitted"},
            follow=True,
        )

    responses = race(THREADS, load, act)
    assert all(getattr(r, "status_code", None) == 200 for r in responses), responses
    pages = [r.content.decode() for r in responses]
    assert sum("Карта утверждена." in p for p in pages) == 1
    assert sum("Состояние уже изменилось" in p for p in pages) == THREADS - 1
    assert RoadmapTransition.objects.filter(roadmap=roadmap, to_status="approved").count() == 1


# ---------------------------------------------------------------- stale pages (both databases)


def test_an_approval_from_an_older_page_never_revives_an_archived_roadmap(world):
    roadmap = _roadmap(world, RoadmapStatus.SUBMITTED)
    municipal = world.users.municipal
    first, stale = Roadmap.objects.get(pk=roadmap.pk), Roadmap.objects.get(pk=roadmap.pk)
    _approve(municipal, first, "353")
    services.archive_roadmap(municipal, Roadmap.objects.get(pk=roadmap.pk))
    with pytest.raises(StateChanged, match="Состояние уже изменилось: карта сейчас «в архиве»"):
        _approve(municipal, stale, "354")
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.ARCHIVED and roadmap.approval_number == "353"
    assert RoadmapTransition.objects.filter(roadmap=roadmap, to_status="approved").count() == 1
    assert roadmap.history.filter(status="approved").count() == 1


def test_a_second_submission_from_the_same_page_is_refused(world):
    roadmap = _roadmap(world)
    municipal, curator = world.users.municipal, world.users.curator
    stale = Roadmap.objects.get(pk=roadmap.pk)
    services.submit_roadmap(municipal, Roadmap.objects.get(pk=roadmap.pk))
    services.return_roadmap(curator, Roadmap.objects.get(pk=roadmap.pk), "Добавьте сроки")
    with pytest.raises(StateChanged, match="«возвращена на доработку»"):
        services.submit_roadmap(municipal, stale)
    assert Roadmap.objects.get(pk=roadmap.pk).status == RoadmapStatus.RETURNED


def test_an_edit_from_a_page_shown_before_submission_is_refused(world):
    roadmap = _roadmap(world)
    municipal = world.users.municipal
    event = roadmap.events.select_related("roadmap").get()  # the page's copy: «черновик»
    services.submit_roadmap(municipal, Roadmap.objects.get(pk=roadmap.pk))
    with pytest.raises(Exception, match="не редактируется"):
        services.update_event(municipal, event, text="Другое")
    assert roadmap.events.get().text == "Совещание"


def test_a_new_version_is_made_once(world):
    roadmap = _roadmap(world, RoadmapStatus.APPROVED)
    municipal = world.users.municipal
    services.copy_roadmap(municipal, roadmap, as_new_version=True)
    with pytest.raises(StateChanged, match="новая версия 2 этой карты уже создана"):
        services.copy_roadmap(municipal, Roadmap.objects.get(pk=roadmap.pk), as_new_version=True)
    assert roadmap.next_versions.count() == 1


def test_a_review_from_an_older_page_does_not_overwrite_the_first(world):
    roadmap = _roadmap(world, RoadmapStatus.APPROVED)
    event = roadmap.events.get()
    report = services.report_progress(world.users.municipal, event, status="in_progress")
    curator = world.users.curator
    stale = ProgressReport.objects.get(pk=report.pk)
    services.review_report(curator, ProgressReport.objects.get(pk=report.pk), accept=True)
    with pytest.raises(StateChanged, match="отчёт уже принят"):
        services.review_report(curator, stale, accept=False, comment="Нет файла")
    report.refresh_from_db()
    assert report.review_state == ReviewState.ACCEPTED and report.review_comment == ""


def test_a_stale_transition_post_shows_the_message(world, client):
    roadmap = _roadmap(world, RoadmapStatus.SUBMITTED)
    municipal = world.users.municipal
    _approve(municipal, Roadmap.objects.get(pk=roadmap.pk), "353")
    client.force_login(municipal)
    response = client.post(
        f"/roadmaps/{roadmap.pk}/approve/",
        {"kind": "приказ", "number": "999", "day": "08.06.2026", "seen_status": "submitted"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Состояние уже изменилось: карта сейчас «утверждена»" in page
    roadmap.refresh_from_db()
    assert roadmap.approval_number == "353"


def test_a_stale_review_post_shows_the_message(world, client):
    roadmap = _roadmap(world, RoadmapStatus.APPROVED)
    report = services.report_progress(
        world.users.municipal, roadmap.events.get(), status="in_progress"
    )
    curator = world.users.curator
    services.review_report(curator, report, accept=True)
    client.force_login(curator)
    response = client.post(
        f"/roadmaps/reports/{report.pk}/review/",
        {"decision": "return", "comment": "Нет файла", "seen_state": "pending"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Состояние уже изменилось: отчёт уже принят" in response.content.decode()


# ---------------------------------------------------------------- double submits


def _token(page) -> str:
    import re

    found = re.findall(r'name="submit_once" value="([^"]+)"', page.content.decode())
    assert found, "the form carries no submit_once token"
    return found[0]


@pytest.fixture
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_report_sent_twice_is_saved_once(world, client, _data_dir):
    roadmap = _roadmap(world, RoadmapStatus.APPROVED)
    event = roadmap.events.get()
    client.force_login(world.users.municipal)
    token = _token(client.get(f"/roadmaps/events/{event.pk}/"))
    data = {"status": "in_progress", "comment": "Проведено совещание", "submit_once": token}
    first = client.post(f"/roadmaps/events/{event.pk}/report/", data)
    second = client.post(f"/roadmaps/events/{event.pk}/report/", data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "Эта форма уже отправлена" in second.content.decode()
    assert ProgressReport.objects.filter(event=event).count() == 1


def test_a_copy_asked_twice_is_made_once(world, client, _data_dir):
    roadmap = _roadmap(world, RoadmapStatus.APPROVED)
    client.force_login(world.users.municipal)
    token = _token(client.get(f"/roadmaps/{roadmap.pk}/"))
    data = {"years": "1", "seen_status": "approved", "submit_once": token}
    first = client.post(f"/roadmaps/{roadmap.pk}/copy/", data)
    second = client.post(f"/roadmaps/{roadmap.pk}/copy/", data)
    assert second["Location"] == first["Location"]  # the copy the first click made
    assert Roadmap.objects.filter(municipality=world.home).count() == 2


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_copies_of_one_report_form_save_one_report(world, _data_dir):
    roadmap = _roadmap(world, RoadmapStatus.APPROVED)
    event = roadmap.events.get()
    url = f"/roadmaps/events/{event.pk}/report/"
    token = "t" * 24
    data = {"status": "in_progress", "comment": "Двойной щелчок", "submit_once": token}

    def load(i):
        client = Client(raise_request_exception=False)
        client.force_login(world.users.municipal)
        return client

    responses = race(THREADS, load, lambda i, c: c.post(url, data, follow=True))
    assert all(getattr(r, "status_code", None) == 200 for r in responses), responses
    assert ProgressReport.objects.filter(event=event).count() == 1
