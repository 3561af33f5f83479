"""A person the roadmap names is one executor with the position beside the name, linked to the
people registry by surname and initials, and offered to the registry from the preview when it is
not there (issue 12, «Executors»). ``people`` plugs into the import through the
``PersonDirectory`` contribution: neither app imports the other."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.core.russian.names import find_person, is_position
from opora.people.models import Person
from opora.registry.models import Organisation
from opora.roadmaps.executors import ROLE_ENTRIES, resolve_executors
from opora.testing.roadmap_people import people_plan


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


@pytest.mark.parametrize(
    ("cell", "people", "positions"),
    [
        ("Сорокина А.В., методист", ["Сорокина А.В."], ["методист"]),
        ("Сорокина А.В. – методист ИМЦ", ["Сорокина А.В."], ["методист ИМЦ"]),
        ("старший методист Сорокина А.В.", ["Сорокина А.В."], ["старший методист"]),
        ("А.В. Сорокина, Б.Г. Дёмин", ["Сорокина А.В.", "Дёмин Б.Г."], ["", ""]),
        ("Сорокина Анна Викторовна, педагог-организатор", ["Сорокина А.В."], ["педагог-организатор"]),
        ("директор Дёмин Б.Г.\nсоциальный педагог Сорокина А.В.", ["Дёмин Б.Г.", "Сорокина А.В."], ["директор", "социальный педагог"]),
    ],
)  # fmt: skip
def test_a_person_and_the_position_beside_the_name_are_one_executor(cell, people, positions):
    resolved = resolve_executors(cell, ROLE_ENTRIES)

    assert [r.person for r in resolved] == people
    assert [r.qualifier for r in resolved] == positions


@pytest.mark.parametrize(
    "cell", ["Сорокина А.В.; руководители ОО", "ОО, Сорокина А.В.", "кураторы, Сорокина А.В."]
)
def test_a_group_beside_a_person_stays_a_separate_executor(cell):
    resolved = resolve_executors(cell, ROLE_ENTRIES)

    assert len(resolved) == 2
    assert [r.person for r in resolved].count("Сорокина А.В.") == 1


@pytest.mark.parametrize(
    "text", ["Управление образования", "ДОО ТО", "МБОУ «СОШ № 5»", "ИРО, ЦОКО", "Дорожная карта"]
)
def test_bodies_are_not_taken_for_people(text):
    assert find_person(text) is None


def test_a_position_is_one_person_not_a_group():
    assert is_position("заместитель директора по УВР")
    assert not is_position("заместители директоров")
    assert not is_position("Управление образования")


def _upload(client, world):
    Organisation.objects.get_or_create(
        short_name="Вертикосская СОШ (орг.)",
        defaults={"name": "Школа", "municipality": world.home, "kind": "other"},
    )
    return client.post(
        reverse("roadmaps:import"),
        {
            "file": SimpleUploadedFile("план.docx", people_plan()),
            "level": "municipality",
            "municipality": world.home.pk,
        },
    )


def test_an_unknown_person_is_offered_added_and_then_recognised(client, world):
    client.force_login(world.users.municipal)
    response = _upload(client, world)
    offered = {u["name"]: u for u in response.context["unknown_people"]}
    assert set(offered) == {"Корнилова Е.Д.", "Лаптев С.Г."}
    assert offered["Корнилова Е.Д."]["events"] == 2
    assert offered["Корнилова Е.Д."]["position"] == "заместитель директора по УВР"
    # A person is not offered as an organisation.
    assert not response.context["unknown_executors"]
    place = Organisation.objects.get(municipality=world.home)
    assert place in response.context["person_places"]

    preview = client.post(
        reverse("roadmaps:import_person"),
        {
            "name": "Корнилова Е.Д.",
            "position": "заместитель директора по УВР",
            "organisation": place.pk,
        },
        follow=True,
    )

    person = Person.objects.get(last_name="Корнилова")
    assert (person.initials, person.position, person.organisation) == (
        "Е.Д.",
        "заместитель директора по УВР",
        place,
    )
    assert "Сотрудник «Корнилова Е.Д.» добавлен в реестр." in [
        str(m) for m in preview.context["messages"]
    ]
    executors = [x for e in preview.context["preview"].events for x in e.executors]
    kornilova = [x for x in executors if x.person == "Корнилова Е.Д."]
    assert len(kornilova) == 2 and all(x.known for x in kornilova)
    assert kornilova[0].key == f"person:{person.pk}"
    assert {u["name"] for u in preview.context["unknown_people"]} == {"Лаптев С.Г."}


def test_an_organisation_of_another_municipality_is_refused(client, world):
    client.force_login(world.users.municipal)
    _upload(client, world)

    response = client.post(
        reverse("roadmaps:import_person"),
        {"name": "Лаптев С.Г.", "position": "учитель", "organisation": world.foreign.pk},
        follow=True,
    )

    assert not Person.objects.filter(last_name="Лаптев").exists()
    assert "Выберите организацию из списка." in [str(m) for m in response.context["messages"]]


def test_a_user_who_may_not_add_people_is_not_offered_and_is_refused(client, world):
    client.force_login(world.users.school)
    response = client.post(
        reverse("roadmaps:import"),
        {"file": SimpleUploadedFile("план.docx", people_plan()), "level": "school"},
    )
    assert response.context.get("unknown_people") is None

    refused = client.post(reverse("roadmaps:import_person"), {"name": "Лаптев С.Г."})

    assert refused.status_code == 403
    assert not Person.objects.filter(last_name="Лаптев").exists()


def test_a_name_that_is_no_person_is_refused_in_russian(client, world):
    client.force_login(world.users.municipal)
    _upload(client, world)

    response = client.post(
        reverse("roadmaps:import_person"), {"name": "Управление образования"}, follow=True
    )

    assert "не похоже на фамилию с инициалами" in " ".join(
        str(m) for m in response.context["messages"]
    )
