"""A roadmap edited in execution keeps the recommendations its events answer (issue 16): when
the new version comes into force, each link to an event it kept names the event's copy; the
link to a removed event stays with the archived version."""

from datetime import date

from opora.recommendations import services as recommendation_services
from opora.recommendations.models import Recommendation
from opora.roadmaps import authoring, services
from opora.roadmaps.models import RoadmapStatus


def test_the_version_in_force_carries_the_recommendation_links(
    client, world, django_capture_on_commit_callbacks
):
    municipal, curator = world.users.municipal, world.users.curator
    roadmap = authoring.create_roadmap(
        municipal,
        level="municipality",
        title="Карта Каргасокского района",
        period=(date(2026, 1, 1), date(2026, 12, 31)),
        municipality=world.home,
    )
    kept = services.add_event(
        municipal, roadmap, None, number="1.", text="Наставничество", deadline_text="март 2026"
    )
    reworded = services.add_event(
        municipal, roadmap, None, number="2.", text="КПК", deadline_text="май 2026"
    )
    gone = services.add_event(
        municipal, roadmap, None, number="3.", text="Выезд", deadline_text="июнь 2026"
    )
    services.submit_roadmap(municipal, roadmap)
    services.approve_roadmap(curator, roadmap, kind="приказ", number="1", day=date(2026, 1, 10))
    # Seed 000: «дополнить дорожную карту разделом о работе с педагогическими кадрами …»
    staff, courses, visit = (
        Recommendation.objects.create(municipality=world.home, order=i, text=text)
        for i, text in enumerate(
            ("дополнить дорожную карту разделом о наставничестве", "организовать КПК", "выезд"),
            start=1,
        )
    )
    for recommendation, event in ((staff, kept), (courses, reworded), (visit, gone)):
        recommendation_services.link_event(municipal, recommendation, event)

    v2 = services.copy_roadmap(municipal, roadmap, as_new_version=True)
    services.update_event(municipal, v2.events.get(origin=reworded), text="КПК для учителей")
    authoring.remove_event(municipal, v2.events.get(origin=gone))
    services.submit_roadmap(municipal, v2)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_roadmap(curator, v2, kind="приказ", number="2", day=date(2026, 4, 1))

    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.ARCHIVED
    assert list(staff.events.all()) == [v2.events.get(origin=kept)]
    assert list(courses.events.all()) == [v2.events.get(origin=reworded)]
    assert list(visit.events.all()) == [gone]  # removed: stays with the archived version

    # The event's page names the recommendations it answers, each linking to its page.
    client.force_login(municipal)
    html = client.get(f"/roadmaps/events/{v2.events.get(origin=kept).pk}/").content.decode()
    card = html[html.index('data-testid="event-recommendations"') :]
    assert f"/reviews/recommendations/{staff.pk}/" in card
    assert "дополнить дорожную карту разделом о наставничестве" in card
    assert "Чуж" not in html
    html = client.get(f"/roadmaps/events/{gone.pk}/").content.decode()
    assert f"/reviews/recommendations/{visit.pk}/" in html
