"""People moved out of the registry without losing a row: a database made before the move
migrates forward with every person, group, coordinator, curator, pair and history row where
it was, and the content types (so permissions and admin log entries) follow the models."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("registry", "0002_registry_import"),
    ("accounts", "0003_access_record"),
    ("roadmaps", "0003_progress_report_curator"),
    ("people", None),
]
TABLES = [
    "registry_person",
    "registry_workinggroup",
    "registry_workinggroupmember",
    "registry_coordinator",
    "registry_curatorassignment",
    "registry_schoolpair",
    "registry_historicalperson",
    "registry_historicalworkinggroup",
    "registry_historicalworkinggroupmember",
    "registry_historicalcoordinator",
    "registry_historicalcuratorassignment",
    "registry_historicalschoolpair",
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (names above)
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_every_row():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    region = old.get_model("registry", "Region").objects.create(name="Томская область")
    muni = old.get_model("registry", "Municipality").objects.create(
        region=region, name="Каргасокский район", kind="district"
    )
    school_model = old.get_model("registry", "School")
    mentor = school_model.objects.create(code="700101", full_name="Школа 1", municipality=muni)
    supported = school_model.objects.create(code="700102", full_name="Школа 2", municipality=muni)
    person_model = old.get_model("registry", "Person")
    person = person_model.objects.create(last_name="Кирсанова", initials="М.А.", school=mentor)
    old.get_model("registry", "HistoricalPerson").objects.create(
        id=person.pk, last_name="Кирсанова", history_date="2026-01-01T00:00Z", history_type="+"
    )
    group = old.get_model("registry", "WorkingGroup").objects.create(
        level="municipality", municipality=muni, year=2026, title="Рабочая группа"
    )
    old.get_model("registry", "WorkingGroupMember").objects.create(
        group=group, person=person, role="head"
    )
    old.get_model("registry", "Coordinator").objects.create(
        level="municipality", municipality=muni, person=person, year=2026
    )
    old.get_model("registry", "CuratorAssignment").objects.create(
        person=person, year=2026, municipality=muni
    )
    old.get_model("registry", "SchoolPair").objects.create(
        year=2026, mentor_school=mentor, supported_school=supported, mentor_person=person
    )
    user = old.get_model("accounts", "User").objects.create(
        username="curator", role="curator", person=person
    )
    content_type = old.get_model("contenttypes", "ContentType")
    # The content types as an old database has them (those of the test database moved back).
    assert content_type.objects.filter(app_label="registry", model="person").exists()
    assert not content_type.objects.filter(app_label="people").exists()
    old_person_type = content_type.objects.get(app_label="registry", model="person").pk
    before = _counts()

    new = _migrate(leaves)

    assert _counts() == before
    assert all(before[table] for table in TABLES[:7]), before
    moved = content_type.objects.filter(app_label="people")
    assert sorted(moved.values_list("model", flat=True)) == sorted(t[9:] for t in TABLES)
    assert not content_type.objects.filter(app_label="registry", model="person").exists()
    assert content_type.objects.get(app_label="people", model="person").pk == old_person_type
    # The relations of other apps reach the same rows through the moved models.
    assert new.get_model("accounts", "User").objects.get(pk=user.pk).person.last_name == (
        "Кирсанова"
    )
    person_now = new.get_model("people", "Person").objects.get(pk=person.pk)
    assert person_now.curatorships.count() == 1
    history = new.get_model("people", "HistoricalPerson").objects.filter(id=person.pk)
    assert history.count() == 1
