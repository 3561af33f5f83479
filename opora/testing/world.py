"""The test world: a small region with a home scope and a foreign one, typed.

``build()`` makes it; the root ``conftest.py`` hands it to tests as the ``world`` fixture::

    def test_the_school_sees_its_card(client, world):
        client.force_login(world.users.school)
        client.get(f"/registry/schools/{world.home_school.pk}/")

Every object of the foreign scope has primary key 9001 (and 9002 where two are needed) and
«Чужой»/«Чужая» in its name, so a test can request any URL with pk=9001 and look for the
marker in what comes back; each app adds its own foreign objects (``opora.testing.foreign``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from opora.testing import FOREIGN_PK

if TYPE_CHECKING:
    from opora.accounts.models import User
    from opora.people.models import Person
    from opora.registry.models import Municipality, School
    from opora.roadmaps.models import Roadmap


@dataclass(frozen=True)
class Users:
    """One user of every role, in the home scope where the role has one."""

    region: User
    operator: User
    curator: User  # curates the home municipality
    municipal: User  # of the home municipality
    school: User  # of the home school
    expert: User
    observer: User
    teacher: User  # the home school's teacher (``World.home_teacher``)

    def __getitem__(self, role: str) -> User:
        """``world.users[role]`` for a test parametrised by the role's name."""
        if role not in self.names():
            raise KeyError(role)
        return getattr(self, role)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def by_name(self) -> dict[str, User]:
        return {name: getattr(self, name) for name in self.names()}


@dataclass(frozen=True)
class World:
    home: Municipality  # «Каргасокский район»
    home_school: School  # 700901 «Вертикосская СОШ», with a passport and a status
    other_home_school: School  # 700902 «Новоюгинская СОШ»
    foreign: Municipality  # pk 9001 «Чужой район»
    foreign_school: School  # pk 9001 «Чужая СОШ № 1» (and «Чужая ООШ № 2», pk 9002)
    foreign_person: Person  # pk 9001 «Чужакова», of the foreign school
    foreign_roadmap: Roadmap  # pk 9001, municipal, with an event, a report and evidence
    regional_roadmap: Roadmap  # pk 9002, regional; the foreign school reported on it
    users: Users
    home_teacher: Person  # «Учителева», of the home school


def login_as(client, world: World, role: str = "region"):
    """Signs the test client in as the world's user of ``role`` and returns that user."""
    user = world.users[role]
    client.force_login(user)
    return user


def build() -> World:
    from opora.accounts.models import Role
    from opora.people import models as pm
    from opora.registry import models as m
    from opora.testing.factories import (
        MunicipalityFactory,
        PassportFactory,
        PersonFactory,
        SchoolFactory,
        StatusFactory,
        UserFactory,
    )
    from opora.testing.foreign import BUILDERS

    home = MunicipalityFactory(name="Каргасокский район", aliases=["Каргасокский р-н"])
    home_school = SchoolFactory(
        code="700901", full_name="МКОУ «Вертикосская СОШ»", municipality=home
    )
    other_home_school = SchoolFactory(
        code="700902", full_name="МКОУ «Новоюгинская СОШ»", municipality=home
    )
    PassportFactory(school=home_school)
    StatusFactory(school=home_school)

    foreign = MunicipalityFactory(pk=FOREIGN_PK, name="Чужой район")
    f1 = SchoolFactory(
        pk=FOREIGN_PK, code="709001", full_name="Чужая СОШ № 1", municipality=foreign
    )
    f2 = SchoolFactory(
        pk=FOREIGN_PK + 1, code="709002", full_name="Чужая ООШ № 2", municipality=foreign
    )
    PassportFactory(pk=FOREIGN_PK, school=f1, external_factors="Чужие факторы")
    StatusFactory(pk=FOREIGN_PK, school=f1, note="Чужой статус")
    m.Organisation.objects.create(
        pk=FOREIGN_PK,
        short_name="Чужой МОУО",
        name="Чужое управление образования",
        kind=m.OrganisationKind.MUNICIPAL_AUTHORITY,
        municipality=foreign,
        abbreviations=["МОУО"],
    )
    foreign_person = PersonFactory(pk=FOREIGN_PK, last_name="Чужакова", school=f1)
    group = pm.WorkingGroup.objects.create(
        pk=FOREIGN_PK,
        level="municipality",
        municipality=foreign,
        year=2026,
        title="Чужая муниципальная рабочая группа",
    )
    pm.WorkingGroupMember.objects.create(
        pk=FOREIGN_PK, group=group, person=foreign_person, role="head"
    )
    pm.Coordinator.objects.create(
        pk=FOREIGN_PK, level="municipality", municipality=foreign, person=foreign_person, year=2026
    )
    pm.CuratorAssignment.objects.create(
        pk=FOREIGN_PK, person=foreign_person, year=2026, municipality=foreign
    )
    pm.SchoolPair.objects.create(
        pk=FOREIGN_PK, year=2026, mentor_school=f1, supported_school=f2, note="Чужая пара"
    )

    foreign_roadmap = _foreign_roadmap(f1, foreign, foreign_person)
    regional_roadmap = _regional_roadmap_with_foreign_report(f1)

    curator_person = PersonFactory(last_name="Кураторова")
    pm.CuratorAssignment.objects.create(person=curator_person, year=2026, municipality=home)
    users = Users(
        region=UserFactory(username="region", role=Role.REGION),
        operator=UserFactory(username="operator", role=Role.OPERATOR),
        curator=UserFactory(username="curator", role=Role.CURATOR, person=curator_person),
        municipal=UserFactory(username="municipal", role=Role.MUNICIPAL, municipality=home),
        school=UserFactory(username="school", role=Role.SCHOOL, school=home_school),
        expert=UserFactory(username="expert", role=Role.EXPERT),
        observer=UserFactory(username="observer", role=Role.OBSERVER),
        teacher=None,  # made below, after the foreign objects
    )
    world = World(
        home=home,
        home_school=home_school,
        other_home_school=other_home_school,
        foreign=foreign,
        foreign_school=f1,
        foreign_person=foreign_person,
        foreign_roadmap=foreign_roadmap,
        regional_roadmap=regional_roadmap,
        users=users,
        home_teacher=None,
    )
    # Each app adds its own foreign objects (pk 9001) for the scope walk, in their order.
    for create in BUILDERS:
        create(world)
    # The home school's teacher (the role «Педагог»), who walks every URL too.
    home_teacher = PersonFactory(last_name="Учителева", first_name="Мария", school=home_school)
    teacher = UserFactory(
        username="teacher", role=Role.TEACHER, person=home_teacher, school=home_school
    )
    _advance_sequences()
    return replace(world, users=replace(users, teacher=teacher), home_teacher=home_teacher)


def _advance_sequences():
    """The foreign objects have explicit keys (9001…); PostgreSQL's sequences do not move past
    them by themselves, so a test that then writes many rows (a results import by COPY) would
    collide with them."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    models = [m for m in apps.get_models() if m.__module__.startswith("opora.")]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _foreign_roadmap(school, municipality, person):
    """A foreign municipal roadmap with an event, a period, a report and its evidence."""
    from datetime import date

    from django.core.files.base import ContentFile

    from opora.roadmaps import models as r

    roadmap = r.Roadmap.objects.create(
        pk=FOREIGN_PK,
        level="municipality",
        municipality=municipality,
        title="Чужая дорожная карта",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    section = r.RoadmapSection.objects.create(pk=FOREIGN_PK, roadmap=roadmap, title="Чужой раздел")
    event = r.RoadmapEvent.objects.create(
        pk=FOREIGN_PK,
        roadmap=roadmap,
        section=section,
        number="1.",
        text="Чужое мероприятие",
        deadline_text="март 2026",
        deadline_understood=True,
        due_on=date(2026, 3, 31),
    )
    period = r.EventPeriod.objects.create(
        pk=FOREIGN_PK, event=event, start=date(2026, 3, 1), end=date(2026, 3, 31)
    )
    report = r.ProgressReport.objects.create(
        pk=FOREIGN_PK, event=event, period=period, status="done", comment="Чужой отчёт"
    )
    evidence = r.Evidence(pk=FOREIGN_PK, report=report, original_name="Чужой.pdf")
    evidence.file.save("foreign.pdf", ContentFile(b"%PDF-1.4 Chuzh"), save=True)
    return roadmap


def _regional_roadmap_with_foreign_report(school):
    """A regional roadmap (pk 9002), visible to everyone, addressed to the schools; the foreign
    school reported on its event with a comment and a file.

    The roadmap and its event carry no marker — every role may read them; the report, its
    reporter and its file carry «Чуж…» — only the foreign school's scope and its reviewers may.
    """
    from datetime import date

    from django.core.files.base import ContentFile

    from opora.accounts.models import Role
    from opora.roadmaps import models as r
    from opora.testing.factories import UserFactory

    pk = FOREIGN_PK + 1
    roadmap = r.Roadmap.objects.create(
        pk=pk,
        level="region",
        owner_name="ДОО ТО",
        title="Региональная дорожная карта",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        status=r.RoadmapStatus.APPROVED,
    )
    event = r.RoadmapEvent.objects.create(
        pk=pk,
        roadmap=roadmap,
        number="1.",
        text="Региональное мероприятие для школ",
        deadline_text="март 2026",
        deadline_understood=True,
        executors_text="ОО",
        due_on=date(2026, 3, 31),
    )
    r.EventExecutor.objects.create(event=event, written="ОО", role=r.ExecutorRole.SCHOOL)
    period = r.EventPeriod.objects.create(
        pk=pk, event=event, start=date(2026, 3, 1), end=date(2026, 3, 31)
    )
    reporter = UserFactory(
        username="foreign-school", role=Role.SCHOOL, school=school, last_name="Чужакова"
    )
    report = r.ProgressReport.objects.create(
        pk=pk,
        event=event,
        period=period,
        school=school,
        status="done",
        done_on=date(2026, 3, 20),
        comment="Чужой отчёт о региональном мероприятии",
        reported_by=reporter,
    )
    evidence = r.Evidence(
        pk=pk, report=report, original_name="Чужой акт.pdf", content_type="application/pdf"
    )
    evidence.file.save(
        "foreign-regional.pdf", ContentFile("%PDF-1.4 Чужой акт".encode()), save=True
    )
    return roadmap
