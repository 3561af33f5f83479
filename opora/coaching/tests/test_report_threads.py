"""Issue 15, «Curators»: threaded comments on a school's progress report that the school
answers, with notifications to the other side. Coaching plugs into the event page through the
roadmaps' contribution (``ReportPanel``): roadmaps knows nothing of coaching.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.coaching import inbox, panels, selectors, services
from opora.notifications.models import Notification
from opora.testing.coaching import school_programme_event, school_report


def test_the_curator_comments_on_a_report_and_the_school_answers(
    world, client, django_capture_on_commit_callbacks
):
    event = school_programme_event(world)
    report = school_report(world, event)
    url = reverse("coaching:report_comment", args=[report.pk])
    client.force_login(world.users.curator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"text": "Приложите протокол семинара"})
    assert answer.status_code == 302
    assert answer.url == reverse("roadmaps:event", args=[event.pk]) + "#comment-" + str(
        selectors.report_threads([report.pk])[report.pk][0].pk
    )
    [first] = selectors.report_threads([report.pk])[report.pk]
    told = Notification.objects.get(key=f"coaching-comment:{first.pk}")
    assert told.user == world.users.school
    assert told.title.startswith("Комментарий к отчёту (")
    assert told.url.startswith(reverse("roadmaps:event", args=[event.pk]))
    waiting = [i for i in inbox.items_for(world.users.school) if i.kind.startswith("Коммент")]
    assert [i.url for i in waiting] == [told.url]

    client.force_login(world.users.school)
    page = client.get(reverse("roadmaps:event", args=[event.pk]))
    assert "Приложите протокол семинара" in page.text
    assert 'data-testid="report-comment-form"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"text": "Приложили", "parent": first.pk})
    [first] = selectors.report_threads([report.pk])[report.pk]
    [reply] = first.replies.all()
    assert reply.text == "Приложили" and reply.report_id == report.pk
    curator_told = Notification.objects.get(key=f"coaching-comment:{reply.pk}")
    assert curator_told.user == world.users.curator
    assert not [i for i in inbox.items_for(world.users.school) if i.kind.startswith("Коммент")]


def test_a_report_thread_belongs_to_the_school_of_the_report(world):
    event = school_programme_event(world)
    report = school_report(world, event)
    curator = world.users.curator
    with pytest.raises(ValidationError, match="Отчёт другой школы"):
        services.post_comment(curator, world.other_home_school, "…", report=report)
    programme_comment = services.post_comment(
        curator, world.home_school, "О программе", roadmap=event.roadmap
    )
    with pytest.raises(ValidationError, match="другому обсуждению"):
        services.post_comment(
            curator, world.home_school, "…", report=report, parent=programme_comment
        )
    for role in ("expert", "observer"):
        with pytest.raises(PermissionDenied):
            services.post_comment(world.users[role], world.home_school, "…", report=report)


def test_no_thread_for_whoever_may_not_read_the_schools_coaching(world, client):
    event = school_programme_event(world)
    report = school_report(world, event)
    services.post_comment(world.users.curator, world.home_school, "Видно своим", report=report)
    for role in ("expert", "observer"):
        client.force_login(world.users[role])
        url = reverse("coaching:report_comment", args=[report.pk])
        assert client.post(url, {"text": "Чужое мнение"}).status_code in (302, 404)
    assert len(selectors.report_threads([report.pk])[report.pk]) == 1


def test_the_threads_of_an_events_reports_are_read_at_once(world):
    event = school_programme_event(world)
    reports = [school_report(world, event, f"Отчёт {i}") for i in range(2)]
    for r in reports:
        services.post_comment(world.users.curator, world.home_school, "Вопрос", report=r)
    with CaptureQueriesContext(connection) as few:
        panels.report_threads(world.users.curator, event, reports[:1])
    more = [*reports, *(school_report(world, event, f"Ещё {i}") for i in range(3))]
    with CaptureQueriesContext(connection) as many:
        data = panels.report_threads(world.users.curator, event, more)
    assert len(many) == len(few)
    assert set(data) == {r.pk for r in more}
    assert [len(data[r.pk]["thread"]) for r in more] == [1, 1, 0, 0, 0]
