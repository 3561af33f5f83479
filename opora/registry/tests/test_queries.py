"""A page runs the same number of SQL queries whatever the number of rows it shows.

Each page is counted with a few rows of everything it lists, then again after forty more:
schools with statuses and passports, pairs, curator assignments, working-group members,
coordinators, organisations and the history of the school card. Issue 3, «Measured».
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.people import models as pm
from opora.registry import models as m
from opora.testing.factories import PassportFactory, PersonFactory, SchoolFactory, StatusFactory

FEW, MANY = 3, 40


def _pages(world) -> dict[str, str]:
    return {
        "home": reverse("home"),
        "school list": reverse("registry:schools"),
        "school list, filtered": reverse("registry:schools") + "?status=any&q=СОШ",
        "school list, htmx": reverse("registry:schools") + "?page=1",
        "municipality list": reverse("registry:municipalities"),
        "curators and pairs": reverse("people:curators"),
        "working groups": reverse("people:groups"),
        "organisations": reverse("registry:organisations"),
        "municipality card": reverse("registry:municipality", args=[world.home.pk]),
        "school card": reverse("registry:school", args=[world.home_school.pk]),
        "passport form": reverse("registry:passport_edit", args=[world.home_school.pk, 2026]),
    }


def _grow(world, start: int, stop: int) -> None:
    """Rows ``start``..``stop`` of everything the pages list, all within the home district."""
    home, school = world.home, world.home_school
    region_group, _ = pm.WorkingGroup.objects.get_or_create(
        level="region", year=2023, defaults={"title": "Региональная рабочая группа"}
    )
    municipal_group, _ = pm.WorkingGroup.objects.get_or_create(
        level="municipality", municipality=home, year=2023,
        defaults={"title": "Муниципальная рабочая группа"},
    )  # fmt: skip
    organisation = m.Organisation.objects.filter(municipality=home).first()
    for i in range(start, stop):
        other = SchoolFactory(code=f"7020{i:02d}", full_name=f"МКОУ «СОШ № {i}»",
                              municipality=home)  # fmt: skip
        StatusFactory(school=other, kind=m.StatusKind.LOW_RESULTS if i % 2 else "unfavourable")
        PassportFactory(school=other)
        StatusFactory(school=school, year=1950 + i, source=m.StatusSource.FEDERAL)
        PassportFactory(school=school, year=1950 + i)
        organisation = m.Organisation.objects.create(
            short_name=f"РМО-{i}", name=f"Районное методическое объединение {i}",
            kind=m.OrganisationKind.METHODICAL_SERVICE, municipality=home, parent=organisation,
        )  # fmt: skip
        person = PersonFactory(organisation=organisation, school=other)
        pm.CuratorAssignment.objects.create(person=person, year=2026, municipality=home)
        pm.CuratorAssignment.objects.create(person=person, year=2026, school=school)
        pm.SchoolPair.objects.create(year=2026, mentor_school=other, supported_school=school,
                                    mentor_person=person)  # fmt: skip
        pm.Coordinator.objects.create(level="municipality", municipality=home, person=person,
                                     year=2026)  # fmt: skip
        pm.Coordinator.objects.create(level="region", person=person, year=2000 + i)
        for group in (region_group, municipal_group):
            pm.WorkingGroupMember.objects.create(group=group, person=person, role="member", order=i)
    passport = m.SchoolPassport.objects.get(school=school, year=2026)
    for i in range(start, stop):  # the cards' «История изменений»
        passport.pupils = 100 + i
        passport.save()
        home.aliases = [*home.aliases, f"Каргасок-{i}"]
        home.save()


def _count(client, url: str) -> int:
    client.get(url)  # sessions, content types and the like are fetched once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"HX-Request": "true"} if "page=" in url else {})
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("role", ["region", "municipal"])
def test_no_page_runs_more_queries_for_more_rows(client, world, role):
    client.force_login(world.users[role])
    pages = _pages(world)
    _grow(world, 0, FEW)
    few = {name: _count(client, url) for name, url in pages.items()}
    _grow(world, FEW, MANY)
    many = {name: _count(client, url) for name, url in pages.items()}
    assert many == few


def test_the_pages_do_show_the_grown_rows(client, world):
    """The control: the counts above are of pages that list all the rows."""
    client.force_login(world.users.municipal)
    _grow(world, 0, FEW)
    pages = _pages(world)
    card = client.get(pages["school card"]).content.decode()
    assert card.count("(закреплён за школой)") == FEW
    assert card.count("обучающихся: ") == FEW
    assert "1952/1953" in card
    groups = client.get(pages["working groups"]).content.decode()
    assert groups.count("Сотрудникова") >= 2 * FEW
    assert client.get(pages["school list"]).context["page"].paginator.count == 2 + FEW
