"""What a new user finds walking the pages from their home: every link opens, no ISO date, no
English leftover; a teacher's home is their own development (issue: the role walk)."""

import pytest

from opora.testing.crawling import crawl, page_problems
from opora.testing.world import Users


def test_a_teacher_home_shows_their_development_not_the_region(client, world):
    client.force_login(world.users.teacher)
    html = client.get("/").content.decode()
    assert 'data-testid="fig-municipalities"' not in html
    assert 'data-testid="control"' not in html
    assert "списки" not in html
    assert client.get("/reviews/recommendations/").status_code == 403


def test_the_checks_catch_what_a_reader_would_see():
    html = (
        "<p>Срок 2026-06-17</p><p>None</p><input value='2026-06-17'><script>'2026-01-01'</script>"
    )
    found = page_problems("/x/", html)
    assert found == ["дата ISO на /x/: 2026-06-17", "английский на /x/: None"]


@pytest.mark.parametrize("role", Users.names())
def test_every_link_from_home_opens(client, world, role):
    client.raise_request_exception = False
    client.force_login(world.users[role])
    # A sample of each kind of page (one address of a shape, 50 pages): the whole demo is
    # walked by ``tools/crawl.py``.
    result = crawl(client, limit=50, per_pattern=1)
    assert result.problems == []
    assert len(result.visited) > 3


def test_a_school_sees_its_mentor_by_name_without_a_link_it_may_not_open(client, world):
    from opora.people.models import SchoolPair

    SchoolPair.objects.create(
        year=2026, mentor_school=world.other_home_school, supported_school=world.home_school
    )
    client.force_login(world.users.school)
    for page in (f"/registry/schools/{world.home_school.pk}/", "/registry/curators/"):
        html = client.get(page).content.decode()
        assert world.other_home_school.short_name in html
        assert f'href="/registry/schools/{world.other_home_school.pk}/"' not in html
    client.force_login(world.users.municipal)  # the municipality opens both
    html = client.get("/registry/curators/").content.decode()
    assert f'href="/registry/schools/{world.other_home_school.pk}/"' in html


def test_a_school_reads_its_recommendation_without_crumbs_to_the_tracker(client, world):
    from opora.recommendations.models import Recommendation

    recommendation = Recommendation.objects.create(
        municipality=world.home, school=world.home_school, text="Провести взаимопосещения уроков"
    )
    client.force_login(world.users.school)
    response = client.get(f"/reviews/recommendations/{recommendation.pk}/")
    assert response.status_code == 200
    assert 'href="/reviews/recommendations/"' not in response.content.decode()
