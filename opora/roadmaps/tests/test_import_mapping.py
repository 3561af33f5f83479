"""The import preview asks what it could not understand: which column is which, and whether an
executor the registry does not know should be added to it.

Issue 12, «Header wording»: a table whose header is still ambiguous gets a column-mapping step
(«какая колонка — сроки?») instead of a refusal, and the mapping is remembered per body and
reused on its next import. «Executors»: an unknown organisation is offered to the registry.
"""

from __future__ import annotations

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.registry.models import Organisation
from opora.roadmaps.models import ColumnMapping, Roadmap
from opora.testing.roadmaps import MINISTRY, ODD_HEADER, odd_roadmap


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def _upload(client, world, data, name="план.docx"):
    return client.post(
        reverse("roadmaps:import"),
        {
            "file": SimpleUploadedFile(name, data),
            "level": "municipality",
            "municipality": world.home.pk,
        },
    )


def _map(client, headers, keys):
    form = {"header": list(headers)}
    form.update({f"column_{i}": key for i, key in enumerate(keys, start=1)})
    return client.post(reverse("roadmaps:import_columns"), form, follow=True)


def _events(response):
    return [e.to_dict() for e in response.context["preview"].events]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_an_ambiguous_header_asks_which_column_is_which_instead_of_refusing(client, world):
    client.force_login(world.users.municipal)

    response = _upload(client, world, odd_roadmap())

    assert response.context["error"] is None and response.context["preview"] is None
    mapping = response.context["mapping"]
    assert [c["header"] for c in mapping["columns"]] == list(ODD_HEADER)
    assert mapping["columns"][2]["examples"][:2] == ["март 2024", "апрель 2024"]
    html = response.content.decode()
    assert "Какая колонка — что?" in html and 'data-testid="column-mapping"' in html
    assert "roadmap_import" in client.session  # the file waits for the answer


def test_the_chosen_columns_read_the_file_and_are_remembered_for_the_body(client, world):
    client.force_login(world.users.municipal)
    _upload(client, world, odd_roadmap())

    preview = _map(client, ODD_HEADER, ["number", "text", "deadline", "executors"])

    events = _events(preview)
    assert [e["text"] for e in events][0] == "Совещание с директорами школ"
    assert all(e["deadline"]["understood"] for e in events)
    assert preview.context["mapped"]
    assert not ColumnMapping.objects.exists()  # nothing is written before «Сохранить»

    saved = client.post(reverse("roadmaps:import_confirm"), follow=True)

    roadmap = Roadmap.objects.get(source_name="план.docx")
    assert roadmap.events.count() == 3
    assert "3 мероприятия" in " ".join(_messages(saved))
    mapping = ColumnMapping.objects.get(level="municipality", municipality=world.home)
    assert mapping.headers == {
        "Шифр": "number",
        "Суть дела": "text",
        "Окно": "deadline",
        "Люди": "executors",
    }


def test_the_next_file_of_the_body_is_read_with_its_remembered_mapping(client, world):
    ColumnMapping.objects.create(
        level="municipality",
        municipality=world.home,
        headers={"Суть дела": "text", "Окно": "deadline", "Люди": "executors", "Шифр": "number"},
    )
    client.force_login(world.users.municipal)

    # The same wordings, the columns in another order.
    response = _upload(client, world, odd_roadmap(order=(3, 2, 1, 0)))

    assert response.context["mapping"] is None
    assert response.context["remembered"]
    assert [e["deadline_text"] for e in _events(response)] == [
        "март 2024",
        "апрель 2024",
        "май 2024",
    ]
    assert "сохранённому при прошлом импорте" in response.content.decode()


def test_another_bodys_mapping_is_not_used(client, world):
    ColumnMapping.objects.create(level="region", headers={"Суть дела": "text", "Окно": "deadline"})
    client.force_login(world.users.municipal)

    response = _upload(client, world, odd_roadmap())

    assert response.context["mapping"] is not None


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        (["number", "", "deadline", "executors"], "Укажите колонку мероприятия"),
        (["number", "text", "", ""], "Укажите колонку мероприятия"),
        (["text", "text", "deadline", ""], "Одно и то же выбрано для нескольких колонок"),
        (["number", "text", "когда", ""], "значение из списка"),
    ],
)
def test_a_mapping_without_the_event_or_with_a_repeat_is_asked_again(client, world, keys, problem):
    client.force_login(world.users.municipal)
    _upload(client, world, odd_roadmap())

    response = _map(client, ODD_HEADER, keys)

    assert problem in " ".join(_messages(response))
    assert response.context["mapping"] is not None and response.context["preview"] is None
    assert "roadmap_import" in client.session


def test_a_recognised_table_can_be_remapped_from_the_preview(client, world):
    client.force_login(world.users.municipal)
    header = ("№", "Мероприятие", "Сроки", "Ответственные")
    _upload(client, world, odd_roadmap(header=header))

    response = client.get(reverse("roadmaps:import_preview") + "?columns=1")

    columns = response.context["mapping"]["columns"]
    assert [c["key"] for c in columns] == ["number", "text", "deadline", "executors"]
    # The user says the third column is not a deadline: it is ignored from now on.
    preview = _map(client, header, ["number", "text", "", "executors"])
    assert [e["deadline_text"] for e in _events(preview)] == ["", "", ""]


def test_mapping_or_preview_without_a_waiting_file_sends_back_to_the_upload(client, world):
    client.force_login(world.users.municipal)

    for response in (
        client.get(reverse("roadmaps:import_preview"), follow=True),
        _map(client, ODD_HEADER, ["number", "text", "deadline", "executors"]),
    ):
        assert "загрузите его ещё раз" in " ".join(_messages(response))


def test_an_unknown_executor_is_offered_to_the_registry_and_then_recognised(client, world):
    client.force_login(world.users.municipal)
    header = ("№", "Мероприятие", "Сроки", "Ответственные")
    response = _upload(client, world, odd_roadmap(header=header))
    offered = {u["written"]: u for u in response.context["unknown_executors"]}
    ministry = offered[MINISTRY]
    assert ministry["events"] == 2
    assert ministry["short_name"] == "Министерство"
    assert ministry["name"] == "Министерство просвещения и воспитания области"

    preview = client.post(
        reverse("roadmaps:import_organisation"),
        {
            "written": MINISTRY,
            "name": ministry["name"],
            "short_name": "Минпросвещения области",
            "kind": "regional_authority",
        },
        follow=True,
    )

    added = Organisation.objects.get(short_name="Минпросвещения области")
    assert added.municipality == world.home
    assert "Министерство" in added.abbreviations
    assert "добавлена в реестр" in " ".join(_messages(preview))
    executors = [x for e in _events(preview) for x in e["executors"]]
    assert {x["label"] for x in executors if x["known"]} >= {"Минпросвещения области"}
    assert MINISTRY not in {u["written"] for u in preview.context["unknown_executors"]}


def test_a_school_user_is_not_offered_to_add_organisations(client, world):
    client.force_login(world.users.school)
    header = ("№", "Мероприятие", "Сроки", "Ответственные")
    response = client.post(
        reverse("roadmaps:import"),
        {
            "file": SimpleUploadedFile("план.docx", odd_roadmap(header=header)),
            "level": "school",
            "school": world.users.school.school_id,
        },
    )
    assert response.context.get("unknown_executors") is None

    refused = client.post(
        reverse("roadmaps:import_organisation"),
        {"written": MINISTRY, "name": "Министерство", "short_name": "Мин", "kind": "other"},
        follow=True,
    )

    assert not Organisation.objects.filter(short_name="Мин").exists()
    assert refused.status_code == 200


def test_a_row_glued_to_the_event_above_is_said_not_merged_silently():
    from opora.roadmaps.table_reader import read_roadmap

    header = ("№", "Мероприятие", "Сроки", "Ответственные")
    document = docx.Document()
    document.add_paragraph("План работы на 2024 год")
    rows = [
        header,
        ("1", "Совещание с директорами школ", "март 2024", "ОО"),
        ("", "и заместителями директоров по учебной работе", "", ""),
        ("2", "Семинар для учителей", "апрель 2024", "ОО"),
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)

    first, second = read_roadmap(buffer.getvalue(), "план.docx").events

    assert first.text.endswith("и заместителями директоров по учебной работе")
    assert first.notes == ["Строка 3 файла присоединена как продолжение этого мероприятия."]
    assert (first.row_index, second.row_index) == (2, 4)
    assert second.notes == []
