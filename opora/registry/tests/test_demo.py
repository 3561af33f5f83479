"""The Tomsk Oblast demo, as the seed documents describe it. Issue 3, «The demo».

The demo is loaded once for the module (at a small scale, 120 schools, to stay fast); the
tests read it and roll nothing back between them, so none of them writes.
"""

import json
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from opora.accounts.models import Role, User
from opora.people.models import Coordinator, GroupRole, Person, SchoolPair, WorkingGroup
from opora.registry.demo import DEMO_PASSWORD
from opora.registry.matching import municipality_matcher
from opora.registry.models import (
    Municipality,
    Organisation,
    School,
    SchoolPassport,
    SchoolStatus,
    StatusKind,
)

KARGASOK_SCHOOLS = {
    "МКОУ «Вертикосская СОШ»",
    "МБОУ «Каргасокская СОШ-интернат №1»",
    "МБОУ «Нововасюганская СОШ»",
    "МКОУ «Средневасюганская СОШ»",
    "МКОУ «Среднетымская СОШ»",
    "МБОУ «Каргасокская СОШ№2»",
    "МКОУ «Новоюгинская СОШ»",
    "МКОУ «Березовская ООШ»",
    "МКОУ «Сосновская ООШ»",
    "МКОУ «Усть-Тымская ООШ»",
    "МКОУ «Павловская ООШ»",
    "МКОУ «Староюгинская ООШ»",
}
TOMSK_SCHOOLS = {
    "МАОУ СОШ № 5 имени А.К. Ерохина",
    "МАОУ СОШ № 11 имени В.И. Смирнова",
    "МАОУ СОШ № 28",
    "МАОУ СОШ № 41",
    "МАОУ СОШ № 44",
    "МАОУ ООШ № 38",
    "МБОУ ООШ № 66",
}


def _demo() -> dict:
    out = StringIO()
    call_command("demo", "--json", schools=120, stdout=out)
    return json.loads(out.getvalue())


def _everything() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"registry", "accounts"}
    }


# Every test uses the database: this also makes pytest-django create the test database when
# this module runs alone (without it, a module-scoped fixture reaches the real one).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded twice: the second run must find everything in place and add nothing."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        assert not School.objects.exists(), "the demo test needs an empty test database"
        first = _demo()
        after_first = _everything()
        second = _demo()
        yield {
            "first": first,
            "second": second,
            "after_first": after_first,
            "after_second": _everything(),
        }
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo):
    return demo


def test_the_command_prints_what_it_loaded_as_json(loaded):
    counts = loaded["first"]
    assert set(counts) >= {"municipalities", "schools", "listed_schools", "people", "users"}
    assert (counts["municipalities"], counts["schools"]) == (20, 120)
    assert counts["listed_schools"] > 0
    assert counts["people"] == Person.objects.count() > 0
    assert counts["users"] == User.objects.count() >= 10
    assert counts["listed_schools"] == (
        SchoolStatus.objects.filter(year=2026).values("school").distinct().count()
    )


def test_loading_the_demo_again_changes_no_counts(loaded):
    assert loaded["second"] == loaded["first"]
    assert loaded["after_second"] == loaded["after_first"]


def test_the_twenty_municipalities_of_seed_000(loaded):
    names = set(Municipality.objects.values_list("name", flat=True))
    assert len(names) == 20
    assert {"Каргасокский район", "Бакчарский район", "ЗАТО Северск", "Город Томск"} <= names


def test_the_twelve_kargasok_schools_of_seed_002_event_10(loaded):
    kargasok = School.objects.filter(municipality__name="Каргасокский район")
    assert set(kargasok.values_list("full_name", flat=True)) >= KARGASOK_SCHOOLS
    listed_2020 = SchoolStatus.objects.filter(
        year=2020, kind=StatusKind.LOW_RESULTS, school__full_name__in=KARGASOK_SCHOOLS
    )
    assert listed_2020.count() == 12
    assert {s.basis for s in listed_2020} == {"распоряжение ДОО ТО от 13.04.2020 № 293-р"}


def test_the_two_school_pairs_of_seed_002_event_25(loaded):
    pairs = {
        (p.mentor_school.full_name, p.supported_school.full_name)
        for p in SchoolPair.objects.filter(year=2020).select_related(
            "mentor_school", "supported_school"
        )
    }
    assert pairs == {
        ("МБОУ «Каргасокская СОШ-интернат №1»", "МБОУ «Нововасюганская СОШ»"),
        ("МКОУ «Вертикосская СОШ»", "МКОУ «Новоюгинская СОШ»"),
    }


def test_the_seven_tomsk_schools_of_seed_004_with_their_status(loaded):
    tomsk = School.objects.filter(municipality__name="Город Томск", full_name__in=TOMSK_SCHOOLS)
    assert tomsk.count() == 7
    assert School.objects.get(full_name="МАОУ СОШ № 28").number == 28
    low_results = SchoolStatus.objects.filter(
        school__in=tomsk, year=2020, kind=StatusKind.LOW_RESULTS
    )
    assert low_results.count() == 7


def test_the_regional_working_group_of_2023_from_seed_003(loaded):
    group = WorkingGroup.objects.get(level="region", year=2023)
    assert (group.basis_number, group.basis_date.isoformat()) == ("352-р", "2023-03-13")
    roles = {m.person.last_name: m.role for m in group.members.select_related("person")}
    assert roles["Неверова"] == GroupRole.HEAD
    assert roles["Замятина"] == GroupRole.DEPUTY
    assert len(roles) == 6


def test_the_regional_coordinator_of_seed_003(loaded):
    coordinator = Coordinator.objects.select_related("person__organisation").get(
        level="region", year=2023
    )
    assert coordinator.person.full_name == "Бутакова Екатерина Сергеевна"
    assert coordinator.person.organisation.short_name == "ТОИПКРО"


def test_the_organisations_keep_the_abbreviations_of_the_seeds(loaded):
    abbreviations = {
        a for o in Organisation.objects.all() for a in o.abbreviations
    }  # a handful of rows
    assert {"ДОО ТО", "ТОИПКРО", "УООиП", "МАУ ИМЦ", "РМО", "ЦОКО"} <= abbreviations


@pytest.mark.parametrize(
    ("written", "registry_name"),
    [
        ("Бакcharский район", "Бакчарский район"),
        ("ЗАО «Северск»", "ЗАТО Северск"),
        ("г.Томск", "Город Томск"),
        ("г. Кедровый", "Город Кедровый"),
        ("МО «Каргасокский район»", "Каргасокский район"),
        ("Каргасокский", "Каргасокский район"),
    ],
)
def test_names_written_as_in_the_seeds_find_their_municipality(loaded, written, registry_name):
    match = municipality_matcher(list(Municipality.objects.all())).match(written)
    assert match.target is not None, written
    assert match.target.name == registry_name


def test_generated_schools_are_marked_as_demo_and_have_passports(loaded):
    seeds = KARGASOK_SCHOOLS | TOMSK_SCHOOLS
    generated = School.objects.exclude(full_name__in=seeds)
    assert generated.count() == 120 - len(seeds)
    assert not generated.exclude(full_name__contains="демо").exists()
    assert not School.objects.exclude(passports__year=2026).exists()
    assert SchoolPassport.objects.filter(year=2026).count() == 120


DEMO_LOGINS = {
    "admin": Role.REGION,
    "region": Role.REGION,
    "operator": Role.OPERATOR,
    "curator": Role.CURATOR,
    "kargasok": Role.MUNICIPAL,
    "tomsk": Role.MUNICIPAL,
    "school": Role.SCHOOL,
    "school28": Role.SCHOOL,
    "expert": Role.EXPERT,
    "observer": Role.OBSERVER,
    # added by professional development's part of the demo
    "teacher": Role.TEACHER,
    "mentor": Role.TEACHER,  # the demo teacher's mentor, who observed one of their lessons
}


def test_there_are_the_demo_logins_of_the_readme_one_for_every_role(loaded):
    users = dict(User.objects.filter(username__in=DEMO_LOGINS).values_list("username", "role"))
    assert users == DEMO_LOGINS
    assert set(users.values()) == set(Role.values)
    assert User.objects.get(username="admin").is_superuser
    school = User.objects.get(username="school")
    assert school.school.full_name == "МКОУ «Вертикосская СОШ»"
    assert User.objects.get(username="kargasok").municipality.name == "Каргасокский район"
    assert User.objects.get(username="region").check_password(DEMO_PASSWORD)
    # The walk of issue 16: the curator signed as «Соколова Ирина» and visited as «Соколова С.В.»
    curator = User.objects.get(username="curator")
    assert curator.person.short_name.endswith(f" {curator.first_name[0]}.{curator.patronymic[0]}.")


def test_the_demo_passports_come_from_the_same_context_as_its_results(loaded):
    """Issue 13: the fair view means something on the demo only if the schools in harder social
    conditions are the ones with weaker results, as in a real region."""
    import numpy as np

    from opora.assessment.selectors import school_year_totals

    totals = {}
    for school_id, years in school_year_totals(School.objects.values_list("pk", flat=True)).items():
        n2 = sum(y["n2"] for y in years.values())
        participants = sum(y["participants"] for y in years.values())
        if participants:
            totals[school_id] = n2 / participants
    low_income = dict(
        SchoolPassport.objects.filter(year=2026, school_id__in=list(totals)).values_list(
            "school_id", "share_low_income"
        )
    )
    schools = sorted(low_income)
    assert len(schools) > 100
    share_2 = np.array([totals[s] for s in schools])
    poverty = np.array([float(low_income[s]) for s in schools])
    assert np.corrcoef(poverty, share_2)[0, 1] > 0.2


def test_each_role_finds_work_waiting_on_first_sign_in(loaded):
    """Issue 16: the demo's working day puts something in every role's «Ждут меня»."""
    from opora.core.contributions import inbox_for

    def inbox(username):
        return inbox_for(User.objects.get(username=username))

    school = inbox("school")
    assert any(i.returned and "ВПР 5–8 классов" in i.note for i in school)
    assert any(i.kind.startswith("Рекомендация") for i in inbox("kargasok"))
    curator = {i.kind for i in inbox("curator")}
    assert "Рекомендация: просрочена" in curator and "Рекомендация: срок скоро" in curator
    region = {i.kind for i in inbox("region")}
    assert {"Отчёт на проверку", "Дорожная карта на согласование"} <= region
    assert inbox("expert")


def test_the_demo_dates_agree_with_its_year(loaded):
    """No recommendation years overdue, no report waiting on a past year's roadmap."""
    from datetime import timedelta

    from django.utils import timezone

    from opora.recommendations.models import Recommendation
    from opora.recommendations.selectors import OPEN_STATES
    from opora.roadmaps.models import ProgressReport, ReviewState

    today = timezone.localdate()
    open_ones = Recommendation.objects.filter(status__in=OPEN_STATES)
    assert open_ones.exists()
    assert not open_ones.filter(due_date__lt=today - timedelta(days=60)).exists()
    waiting = ProgressReport.objects.filter(review_state=ReviewState.PENDING)
    assert waiting.exists()
    assert not waiting.exclude(event__roadmap__status="approved").exists()


def test_generated_names_decline_the_district_as_the_seeds_write_it(loaded):
    """«Бакчарского района», not «Бакчарсого района» (issue 16)."""
    names = list(
        School.objects.filter(full_name__contains="района (демо)").values_list(
            "full_name", flat=True
        )
    )
    assert names
    assert all("ского района (демо)" in name for name in names), names[:5]


def test_generated_village_schools_are_whole_adjectives(loaded):
    """«Троицкая ООШ», «Сосновская СОШ» — not «Троицая», «Сосновкая» (issue 16)."""
    villages = set()
    for name in School.objects.filter(full_name__contains="района (демо)").values_list(
        "full_name", flat=True
    ):
        villages.add(re.search(r"«(\S+) ", name).group(1))
    assert villages
    assert all(v.endswith(("ская", "цкая", "ная")) for v in villages), sorted(villages)
