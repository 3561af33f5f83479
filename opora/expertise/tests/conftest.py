"""Fixtures of the expertise tests: the people of an expertise, a small criteria set, a
municipal roadmap and the expertise of it; the Kargasok roadmap of seed 002."""

from datetime import datetime

import pytest

from opora.accounts.models import Role
from opora.expertise import services as svc
from opora.expertise.models import CriteriaSet, Criterion, CriterionGroup
from opora.roadmaps.models import Roadmap
from opora.testing.expertise import import_kargasok
from opora.testing.factories import UserFactory


@pytest.fixture
def people(world):
    """The region, two experts and the author side (the Kargasok coordinator)."""
    users = world.users
    users["expert"].last_name, users["expert"].first_name = "Иванова", "Елена"
    users["expert"].save()
    second = UserFactory(
        username="expert2", role=Role.EXPERT, first_name="Олег", last_name="Петров"
    )
    return {**users.by_name(), "expert2": second}


@pytest.fixture
def small_set(db):
    """Three criteria on different scales, as the editor would build them."""
    cs = CriteriaSet.objects.create(name="Критерии 2026", purpose="municipal_expertise", year=2026)
    g1 = CriterionGroup.objects.create(criteria_set=cs, order=1, title="Оформление")
    g2 = CriterionGroup.objects.create(criteria_set=cs, order=2, title="Содержание")
    Criterion.objects.create(group=g1, order=1, text="Сроки у всех мероприятий", scale_max=1)
    Criterion.objects.create(
        group=g1, order=2, text="Ответственные у всех мероприятий", scale_max=2, weight=2
    )
    Criterion.objects.create(
        group=g2, order=1, text="Наставничество", scale_max=5, topic="наставничество"
    )
    return cs


@pytest.fixture
def roadmap(world):
    return Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Дорожная карта Каргасокского района на 2026 год",
        period_start=datetime(2026, 1, 1).date(),
        period_end=datetime(2026, 12, 31).date(),
    )


@pytest.fixture
def expertise(people, roadmap, small_set):
    return svc.create_expertise(
        people["region"], roadmap, small_set, expert_users=[people["expert"], people["expert2"]]
    )


@pytest.fixture
def kargasok(world):
    return import_kargasok(world)
