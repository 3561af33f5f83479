"""Views and downloads of personal data are recorded (who, what, when) and the region reads
the record on one filterable page. Issue 9.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opora.accounts.access_log import record_access
from opora.accounts.models import AccessRecord, Role
from opora.testing import FOREIGN_PK
from opora.testing.factories import PersonFactory, UserFactory

LOG = reverse("access_log")


def test_record_access_writes_who_what_and_when(world):
    region = world.users.region
    person = world.foreign_person
    before = timezone.now()
    record = record_access(region, "Карточка сотрудника", person)
    record.refresh_from_db()
    assert record.user == region
    assert record.username == "region"
    assert record.what == "Карточка сотрудника"
    assert record.object_id == str(FOREIGN_PK)
    assert "Чужакова" in record.object_repr
    assert record.object_type == "сотрудник"
    assert before <= record.at <= timezone.now()


def test_the_record_survives_the_deleted_login(db):
    user = UserFactory(username="temp")
    record_access(user, "Список сотрудников")
    user.delete()
    record = AccessRecord.objects.get()
    assert record.user is None and record.username == "temp"


def test_opening_a_person_and_the_people_list_is_recorded(client, world):
    municipal = world.users.municipal
    person = PersonFactory(last_name="Домашнева", school=world.home_school)
    client.force_login(municipal)
    assert client.get(reverse("people:people_detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("people:people_list")).status_code == 200
    rows = list(AccessRecord.objects.order_by("pk").values_list("username", "what", "object_id"))
    assert rows == [
        ("municipal", "Карточка сотрудника", str(person.pk)),
        ("municipal", "Список сотрудников", ""),
    ]


def test_a_refused_person_is_not_recorded_as_seen(client, world):
    client.force_login(world.users.school)
    client.get(reverse("people:people_detail", args=[FOREIGN_PK]))
    assert not AccessRecord.objects.filter(what="Карточка сотрудника").exists()


def test_an_evidence_download_is_recorded(client, world):
    client.force_login(world.users.region)
    response = client.get(reverse("roadmaps:evidence", args=[FOREIGN_PK]))
    assert response.status_code == 200
    record = AccessRecord.objects.get(what="Файл подтверждения к отчёту")
    assert record.username == "region" and record.object_id == str(FOREIGN_PK)


def test_the_region_reads_and_filters_the_log(client, world):
    region, school = world.users.region, world.users.school
    record_access(school, "Карточка сотрудника", world.foreign_person)
    record_access(region, "Выгрузка дорожной карты", world.foreign_roadmap)
    old = record_access(school, "Список сотрудников")
    AccessRecord.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    client.force_login(region)

    page = client.get(LOG).content.decode()
    assert "Журнал просмотра персональных данных" in page
    assert "Чужакова" in page and "Выгрузка дорожной карты" in page

    by_user = client.get(LOG, {"username": "schoo"}).content.decode()
    assert "Карточка сотрудника" in by_user and "Выгрузка дорожной карты</td>" not in by_user

    by_what = client.get(LOG, {"what": "Выгрузка дорожной карты"}).content.decode()
    assert "Чужакова" not in by_what and "Чужая дорожная карта" in by_what

    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    recent = client.get(LOG, {"since": since}).content.decode()
    assert "Список сотрудников</td>" not in recent and "Карточка сотрудника</td>" in recent


def test_a_reversed_period_gets_a_russian_message(client, world):
    client.force_login(world.users.region)
    response = client.get(LOG, {"since": "2026-05-01", "until": "2026-04-01"})
    assert response.status_code == 200
    assert "Начало периода позже его конца." in response.content.decode()


@pytest.mark.parametrize(
    "role", ["operator", "curator", "municipal", "school", "expert", "observer"]
)
def test_nobody_but_the_region_reads_the_log(client, world, role):
    record_access(world.users.region, "Карточка сотрудника", world.foreign_person)
    client.force_login(world.users[role])
    response = client.get(LOG)
    assert response.status_code == 403
    assert "Чужакова" not in response.content.decode()
    assert LOG not in client.get(reverse("home")).content.decode()


def test_the_menu_of_the_region_and_the_administrator_links_to_the_log(client, world):
    client.force_login(world.users.region)
    assert LOG in client.get(reverse("home")).content.decode()
    client.force_login(UserFactory(username="root", role=Role.OBSERVER, is_superuser=True))
    assert client.get(LOG).status_code == 200


def test_the_log_page_runs_the_same_queries_for_few_and_many_records(client, world):
    region = world.users.region
    client.force_login(region)

    def count() -> int:
        client.get(LOG)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LOG).status_code == 200
        return len(queries)

    for _ in range(3):
        record_access(region, "Карточка сотрудника", world.foreign_person)
    few = count()
    for _ in range(60):
        record_access(world.users.school, "Список сотрудников")
    assert count() == few
