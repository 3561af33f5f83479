"""People, working groups, coordinators, curators and school pairs: managed from pages.

The region manages all of it; a municipal coordinator manages the people of its municipality,
its municipal working group's members and its municipal coordinator, nothing else.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.people import models as m
from opora.people import services
from opora.registry.models import Organisation, OrganisationKind
from opora.testing import FOREIGN_PK
from opora.testing.factories import PersonFactory


@pytest.fixture
def region_group(world):
    return m.WorkingGroup.objects.create(
        level="region", year=2026, title="Региональная рабочая группа"
    )


@pytest.fixture
def home_group(world):
    return m.WorkingGroup.objects.create(
        level="municipality",
        municipality=world.home,
        year=2026,
        title="Муниципальная рабочая группа Каргасокского района",
    )


@pytest.fixture
def home_person(world):
    return PersonFactory(last_name="Домашняя", school=world.home_school)


# --- services ------------------------------------------------------------------------------


def test_region_creates_a_person_with_history(world):
    region = world.users.region
    person = services.create_person(
        region,
        last_name="Неверова",
        first_name="Виктория",
        patronymic="Владимировна",
        position="начальник отдела",
        email="neverova@example.ru",
    )
    assert person.short_name == "Неверова В.В."
    record = person.history.get()
    assert record.history_user == region


def test_school_staff_are_added_in_bulk_with_their_history(world):
    region = world.users.region
    rows = [
        (world.home_school.pk, "Иванова", "Мария", "Петровна", "учитель"),
        (world.foreign_school.pk, "Петров", "Пётр", "", "директор"),
    ]
    with CaptureQueriesContext(connection) as queries:
        ids = services.add_school_staff_rows(region, rows)
    assert len(queries) <= 6  # savepoints, the people, their history — not a query a person
    people = m.Person.objects.in_bulk(ids)
    assert [(people[pk].school_id, people[pk].last_name) for pk in ids] == [
        (world.home_school.pk, "Иванова"),
        (world.foreign_school.pk, "Петров"),
    ]
    record = people[ids[0]].history.get()
    assert (record.history_type, record.history_user, record.position) == (
        "+",
        region,
        "учитель",
    )
    assert services.add_school_staff_rows(region, []) == []


def test_a_municipal_coordinator_adds_staff_only_to_its_own_schools(world):
    municipal = world.users.municipal
    home = (world.home_school.pk, "Своя", "", "", "учитель")
    foreign = (world.foreign_school.pk, "Чужая", "", "", "учитель")
    with pytest.raises(PermissionDenied):
        services.add_school_staff_rows(municipal, [home, foreign])
    assert not m.Person.objects.filter(last_name__in=["Своя", "Чужая"]).exists()
    assert len(services.add_school_staff_rows(municipal, [home])) == 1
    with pytest.raises(PermissionDenied):
        services.add_school_staff_rows(world.users.teacher, [home])


def test_the_person_service_keeps_only_the_minimal_fields(world):
    with pytest.raises(ValueError):
        services.create_person(world.users.region, last_name="Иванова", birth_date="1980")


def test_a_group_has_at_most_one_head(world, region_group, home_person):
    region = world.users.region
    services.add_group_member(region, region_group, person=home_person, role="head")
    other = PersonFactory(last_name="Второва")
    with pytest.raises(ValidationError) as exc:
        services.add_group_member(region, region_group, person=other, role="head")
    assert "только один руководитель" in str(exc.value)
    member = services.add_group_member(region, region_group, person=other, role="deputy")
    with pytest.raises(ValidationError):
        services.update_group_member(region, member, role="head")
    assert region_group.members.filter(role="head").count() == 1


def test_members_are_reordered(world, region_group):
    region = world.users.region
    a, b, c = (
        services.add_group_member(region, region_group, person=PersonFactory(), role="member")
        for _ in range(3)
    )
    services.move_group_member(region, c, "up")
    order = list(region_group.members.order_by("order").values_list("pk", flat=True))
    assert order == [a.pk, c.pk, b.pk]
    services.move_group_member(region, a, "up")  # already first: nothing moves
    assert list(region_group.members.order_by("order").values_list("pk", flat=True)) == order


def test_pair_schools_must_differ(world):
    school = world.home_school
    with pytest.raises(ValidationError) as exc:
        services.create_pair(
            world.users.region,
            year=2026,
            kind="pair",
            mentor_school=school,
            supported_school=school,
        )
    assert "должны различаться" in str(exc.value)


def test_curator_goes_to_a_municipality_or_a_school(world, home_person):
    region = world.users.region
    with pytest.raises(ValidationError):
        services.assign_curator(region, person=home_person, year=2026)
    assignment = services.assign_curator(
        region, person=home_person, year=2026, school=world.home_school
    )
    assert assignment.history.get().history_user == region
    services.remove_curator(region, assignment)
    assert not m.CuratorAssignment.objects.filter(pk=assignment.pk).exists()


def test_municipal_coordinator_manages_only_its_own(world, region_group, home_group, home_person):
    municipal = world.users.municipal
    member = services.add_group_member(municipal, home_group, person=home_person, role="head")
    assert member.history.get().history_user == municipal
    with pytest.raises(PermissionDenied):
        services.add_group_member(municipal, region_group, person=home_person, role="member")
    foreign_group = m.WorkingGroup.objects.get(pk=FOREIGN_PK)
    with pytest.raises(PermissionDenied):
        services.add_group_member(municipal, foreign_group, person=home_person, role="member")
    coordinator = services.assign_coordinator(
        municipal, level="municipality", municipality=world.home, person=home_person, year=2026
    )
    with pytest.raises(PermissionDenied):
        services.assign_coordinator(
            municipal, level="municipality", municipality=world.foreign,
            person=home_person, year=2026,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.assign_coordinator(
            municipal, level="region", municipality=None, person=home_person, year=2026
        )
    services.unassign_coordinator(municipal, coordinator)
    with pytest.raises(PermissionDenied):
        services.assign_curator(municipal, person=home_person, year=2026, school=world.home_school)
    with pytest.raises(PermissionDenied):
        services.save_working_group(municipal, title="Новая", level="region", year=2026)
    with pytest.raises(PermissionDenied):
        services.create_person(municipal, last_name="Чужая", school=world.foreign_school)


@pytest.mark.parametrize("role", ["curator", "school", "expert", "observer"])
def test_other_roles_manage_nothing(world, region_group, home_person, role):
    user = world.users[role]
    with pytest.raises(PermissionDenied):
        services.create_person(user, last_name="Новая", first_name="Анна")
    with pytest.raises(PermissionDenied):
        services.add_group_member(user, region_group, person=home_person, role="member")
    with pytest.raises(PermissionDenied):
        services.create_pair(
            user, year=2026, kind="pair", mentor_school=world.home_school,
            supported_school=world.other_home_school,
        )  # fmt: skip


# --- pages ---------------------------------------------------------------------------------


def test_region_adds_a_member_on_the_group_page(client, world, region_group, home_person):
    client.force_login(world.users.region)
    url = reverse("people:group_member_add", args=[region_group.pk])
    response = client.post(
        url, {"person": home_person.pk, "role": "head", "position_text": "начальник отдела"}
    )
    assert response.status_code == 302
    page = client.get(reverse("people:group_detail", args=[region_group.pk]))
    text = page.content.decode()
    assert home_person.full_name in text and "руководитель" in text
    assert "История изменений" in text and "член рабочей группы" in text
    second = client.post(url, {"person": PersonFactory().pk, "role": "head"})
    assert second.status_code == 200
    assert "только один руководитель" in second.content.decode()
    assert region_group.members.count() == 1


def test_person_page_shows_history(client, world, home_person):
    client.force_login(world.users.region)
    response = client.post(
        reverse("people:people_edit", args=[home_person.pk]),
        {"last_name": "Домашняя", "first_name": "Ольга", "position": "учитель"},
    )
    assert response.status_code == 302
    page = client.get(reverse("people:people_detail", args=[home_person.pk])).content.decode()
    assert "История изменений" in page and "должность: — → учитель" in page


def test_the_pair_form_answers_in_russian(client, world):
    client.force_login(world.users.operator)
    school = world.home_school.pk
    response = client.post(
        reverse("people:pair_create"),
        {"year": 2026, "kind": "pair", "mentor_school": school, "supported_school": school},
    )
    assert response.status_code == 200
    assert "должны различаться" in response.content.decode()
    assert not m.SchoolPair.objects.filter(mentor_school_id=school).exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"year": "abc", "level": "nonsense"},
        {"year": 1, "level": "region", "municipality": "x", "title": "x" * 900},
        {"level": "municipality", "year": 2026, "title": "Без муниципалитета"},
    ],
)
def test_bad_input_is_a_form_error_not_a_500(client, world, data):
    client.force_login(world.users.region)
    for name in ("group_create", "coordinator_create", "curator_create", "pair_create",
                 "people_create"):  # fmt: skip
        response = client.post(reverse(f"people:{name}"), data)
        assert response.status_code == 200, name
    assert not m.WorkingGroup.objects.filter(title="Без муниципалитета").exists()


def test_municipal_posting_foreign_ids_changes_nothing(client, world, home_group, home_person):
    client.force_login(world.users.municipal)
    before = m.WorkingGroupMember.objects.count(), m.Coordinator.objects.count()
    foreign_person = world.foreign_person.pk
    response = client.post(
        reverse("people:group_member_add", args=[home_group.pk]),
        {"person": foreign_person, "role": "member"},
    )
    assert response.status_code == 200  # the foreign person is not a valid choice
    assert (
        client.post(
            reverse("people:group_member_add", args=[FOREIGN_PK]),
            {"person": home_person.pk, "role": "member"},
        ).status_code
        == 404
    )
    response = client.post(
        reverse("people:coordinator_create"),
        {"level": "municipality", "municipality": FOREIGN_PK, "person": home_person.pk,
         "year": 2026},
    )  # fmt: skip
    assert response.status_code == 200
    assert client.post(reverse("people:coordinator_remove", args=[FOREIGN_PK])).status_code == 404
    assert client.post(reverse("people:curator_remove", args=[FOREIGN_PK])).status_code == 403
    assert client.post(reverse("people:pair_delete", args=[FOREIGN_PK])).status_code == 403
    assert client.get(reverse("people:people_edit", args=[FOREIGN_PK])).status_code == 404
    assert client.get(reverse("people:group_create")).status_code == 403
    assert (m.WorkingGroupMember.objects.count(), m.Coordinator.objects.count()) == before


def test_municipal_manages_its_group_on_the_page(client, world, home_group, home_person):
    client.force_login(world.users.municipal)
    response = client.post(
        reverse("people:group_member_add", args=[home_group.pk]),
        {"person": home_person.pk, "role": "secretary"},
    )
    assert response.status_code == 302
    member = home_group.members.get()
    client.post(reverse("people:group_member_remove", args=[home_group.pk, member.pk]))
    assert not home_group.members.exists()


def test_people_list_is_scoped_and_searchable(client, world, home_person):
    PersonFactory(last_name="Регионова")  # no organisation: region-level
    client.force_login(world.users.municipal)
    text = client.get(reverse("people:people_list")).content.decode()
    assert "Домашняя" in text and "Регионова" not in text and "Чуж" not in text
    client.force_login(world.users.region)
    text = client.get(reverse("people:people_list") + "?q=домашн").content.decode()
    assert "Домашняя" in text and "Регионова" not in text


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_people_list_runs_constant_queries(client, world):
    organisation = Organisation.objects.create(
        short_name="РМО", name="Районное методическое объединение",
        kind=OrganisationKind.METHODICAL_SERVICE, municipality=world.home,
    )  # fmt: skip
    url = reverse("people:people_list")
    client.force_login(world.users.region)

    def grow(n):
        for i in range(n):
            PersonFactory(
                organisation=organisation if i % 2 else None,
                school=world.home_school if i % 3 else None,
            )

    grow(5)
    few = _count(client, url)
    grow(45)
    assert _count(client, url) == few


# --- membership gives no write access (issue 9) -------------------------------------------------


@pytest.fixture
def foreign_member(world, home_group):
    """A person of the foreign municipality that the region put into Каргасок's group."""
    person = world.foreign_person
    services.add_group_member(world.users.region, home_group, person=person, role="member")
    return person


def test_a_coordinator_sees_but_does_not_change_a_foreign_member_of_its_group(
    world, foreign_member
):
    municipal = world.users.municipal
    from opora.people.selectors import person_for

    assert person_for(municipal, foreign_member.pk) is not None  # seen: it sits in the group
    assert not municipal.has_perm("people.change_person", foreign_member)
    with pytest.raises(PermissionDenied):
        services.update_person(municipal, foreign_member, school=world.home_school)
    with pytest.raises(PermissionDenied):
        services.update_person(municipal, foreign_member, position="учитель")
    foreign_member.refresh_from_db()
    assert foreign_member.school == world.foreign_school and foreign_member.position == ""


def test_the_edit_page_of_a_foreign_member_is_refused(client, world, foreign_member):
    client.force_login(world.users.municipal)
    page = client.get(reverse("people:people_detail", args=[foreign_member.pk]))
    assert page.status_code == 200 and page.context["can_edit"] is False
    url = reverse("people:people_edit", args=[foreign_member.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {"last_name": "Своякова", "first_name": "Анна", "school": world.home_school.pk},
    )
    assert response.status_code == 403
    foreign_member.refresh_from_db()
    assert foreign_member.last_name == "Чужакова"
    assert foreign_member.school == world.foreign_school


def test_a_coordinator_still_edits_its_own_people_and_a_member_of_a_regional_body_is_not_its(
    world, home_group, home_person
):
    municipal = world.users.municipal
    services.update_person(municipal, home_person, position="учитель")
    assert m.Person.objects.get(pk=home_person.pk).position == "учитель"
    regional = PersonFactory(last_name="Региональная")  # no organisation, no school
    services.add_group_member(world.users.region, home_group, person=regional, role="member")
    assert not municipal.has_perm("people.change_person", regional)
