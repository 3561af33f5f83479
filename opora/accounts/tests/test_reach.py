"""Whom a reminder reaches: schools and municipalities with an active account of their role,
and the sentence the sender reads."""

import pytest

from opora.accounts.reach import Reach, reach_of, reminder_message
from opora.testing.factories import MunicipalityFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_only_schools_and_municipalities_with_an_active_account_are_reached(world):
    # The world: a school user at the home school, a municipal one of the home municipality.
    UserFactory(username="gone", role="school", school=world.other_home_school, is_active=False)
    UserFactory(username="second", role="school", school=world.home_school)
    lone = MunicipalityFactory(name="Тегульдетский район")
    schools = [
        world.home_school.pk,
        world.other_home_school.pk,
        SchoolFactory(municipality=lone).pk,
    ]
    assert reach_of(school_ids=schools) == Reach(3, 1)
    assert reach_of(municipality_ids=[world.home.pk, lone.pk]) == Reach(2, 1)
    assert reach_of() == Reach(0, 0)


@pytest.mark.parametrize(
    ("reach", "kind", "reached", "text"),
    [
        (Reach(3, 3), "school", True, "Напоминание отправлено: 3 школам."),
        (
            Reach(69, 1),
            "school",
            True,
            "Напоминание отправлено: 1 школе из 69. У 68 школ нет учётной записи в «Опоре» — "
            "сообщите им иначе.",
        ),
        (
            Reach(22, 1),
            "municipality",
            True,
            "Напоминание отправлено: 1 муниципалитету из 22. У 21 муниципалитета нет учётной "
            "записи в «Опоре» — сообщите им иначе.",
        ),
        (
            Reach(5, 0),
            "school",
            False,
            "Напоминание никому не отправлено: ни у одной из 5 школ нет учётной записи в «Опоре». "
            "Сообщите им иначе.",
        ),
        (
            Reach(2, 0),
            "municipality",
            False,
            "Напоминание никому не отправлено: ни у одного из 2 муниципалитетов нет учётной "
            "записи в «Опоре». Сообщите им иначе.",
        ),
    ],
)
def test_the_sender_reads_how_many_were_reached_and_how_many_not(reach, kind, reached, text):
    assert reminder_message(reach, kind) == (reached, text)
