"""Shared fixtures: a small region with a home scope and a foreign one.

Every object of the foreign scope has primary key 9001 (and 9002 where two are needed) and
«Чужой»/«Чужая» in its name, so a test can request any URL with pk=9001 and look for the
marker in what comes back.
"""

import os

import pytest

os.environ.setdefault("OPORA_YEAR", "2026")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + live_server

FOREIGN_PK = 9001
FOREIGN_MARK = "Чуж"
PASSWORD = "pass-Opora-1"


@pytest.fixture
def world(db):
    from opora.accounts.models import Role
    from opora.people import models as pm
    from opora.people.tests.factories import PersonFactory
    from opora.registry import models as m
    from opora.registry.tests.factories import (
        MunicipalityFactory,
        PassportFactory,
        SchoolFactory,
        StatusFactory,
        UserFactory,
    )

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
    users = {
        "region": UserFactory(username="region", role=Role.REGION),
        "operator": UserFactory(username="operator", role=Role.OPERATOR),
        "curator": UserFactory(username="curator", role=Role.CURATOR, person=curator_person),
        "municipal": UserFactory(username="municipal", role=Role.MUNICIPAL, municipality=home),
        "school": UserFactory(username="school", role=Role.SCHOOL, school=home_school),
        "expert": UserFactory(username="expert", role=Role.EXPERT),
        "observer": UserFactory(username="observer", role=Role.OBSERVER),
    }
    result = {
        "home": home,
        "home_school": home_school,
        "other_home_school": other_home_school,
        "foreign": foreign,
        "foreign_school": f1,
        "foreign_person": foreign_person,
        "foreign_roadmap": foreign_roadmap,
        "regional_roadmap": regional_roadmap,
        "users": users,
    }
    # Each app adds its own foreign objects (pk 9001) for the scope walk: the builders it
    # contributed in its AppConfig.ready() (core.contributions), in their order.
    from opora.core import contributions

    for builder in contributions.foreign_builders():
        builder.build(result)
    return result


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shared_dir():
    """The project's shared/ folder (the seeds and samples): beside the checkout, or /work/shared."""
    from pathlib import Path

    for candidate in (Path(__file__).resolve().parent.parent / "shared", Path("/work/shared")):
        if (candidate / "samples").is_dir():
            return candidate
    raise FileNotFoundError("Не найдена папка shared/ с образцами документов")


@pytest.fixture
def samples_dir():
    return shared_dir() / "samples"


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
    from opora.registry.tests.factories import UserFactory
    from opora.roadmaps import models as r

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
