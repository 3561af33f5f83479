"""The registry pages by role: who creates, edits and reads schools, what the history shows,
the home page figures, the school list with its filters, and the Excel export.

Issue 3, «The registry», «Roles, scopes, audit», «The user interface».
"""

import io
import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import openpyxl
import pytest
from django.urls import reverse

from opora.registry.export import HEADERS
from opora.registry.importing import plan_school_import
from opora.registry.models import (
    School,
    SchoolKind,
    SchoolPassport,
    SchoolStatus,
    StatusKind,
    StatusSource,
)
from opora.testing.factories import PassportFactory, SchoolFactory, StatusFactory
from opora.testing.registry_files import written


def _school_data(municipality, **changes) -> dict:
    data = {
        "code": "700555", "full_name": "МКОУ «Киндальская СОШ»", "short_name": "Киндальская СОШ",
        "kind": "sosh", "municipality": municipality.pk, "address": "с. Киндал",
        "is_active": "on",
    }  # fmt: skip
    return {**data, **changes}


def _passport_data(**changes) -> dict:
    return {"pupils": "130", "teachers": "14", "share_special_needs": "0,125", **changes}


def _login(client, world, role):
    user = world.users[role]
    client.force_login(user)
    return user


# --- creating and editing by role -------------------------------------------------------------


def test_the_region_creates_a_school_in_any_municipality(client, world):
    _login(client, world, "region")
    response = client.post(reverse("registry:school_create"), _school_data(world.foreign))
    school = School.objects.get(code="700555")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:school", args=[school.pk])
    assert school.municipality == world.foreign
    card = client.get(response["Location"]).content.decode()
    assert "МКОУ «Киндальская СОШ»" in card
    assert "Школа «Киндальская СОШ» добавлена в реестр." in card


def test_a_municipal_coordinator_creates_a_school_in_own_municipality(client, world):
    _login(client, world, "municipal")
    form = client.get(reverse("registry:school_create")).content.decode()
    assert f'<option value="{world.home.pk}" selected>' in form
    assert "Чужой район" not in form

    response = client.post(reverse("registry:school_create"), _school_data(world.home))
    assert response.status_code == 302
    assert School.objects.get(code="700555").municipality == world.home


def test_a_municipal_coordinator_cannot_create_a_school_elsewhere(client, world):
    _login(client, world, "municipal")
    before = written()
    response = client.post(reverse("registry:school_create"), _school_data(world.foreign))
    assert response.status_code == 200
    assert "Выберите корректный вариант." in response.content.decode()
    assert written() == before


def test_a_municipal_coordinator_cannot_move_a_school_to_another_municipality(client, world):
    _login(client, world, "municipal")
    school = world.other_home_school
    data = _school_data(world.foreign, code=school.code, full_name=school.full_name)
    response = client.post(reverse("registry:school_edit", args=[school.pk]), data)
    assert response.status_code == 200
    school.refresh_from_db()
    assert school.municipality == world.home


def test_a_school_edits_its_passport(client, world):
    _login(client, world, "school")
    school = world.home_school
    url = reverse("registry:passport_edit", args=[school.pk, 2026])
    assert client.get(url).status_code == 200
    response = client.post(url, _passport_data())
    assert response.status_code == 302
    passport = SchoolPassport.objects.get(school=school, year=2026)
    assert (passport.pupils, passport.share_special_needs) == (130, Decimal("0.125"))


def test_a_school_may_not_set_its_own_status_nor_edit_its_card(client, world):
    _login(client, world, "school")
    school = world.home_school
    before = written(), SchoolStatus.objects.count()
    status_url = reverse("registry:status_add", args=[school.pk])
    assert client.get(status_url).status_code == 403
    assert client.post(status_url, {"year": 2026, "kind": "unfavourable"}).status_code == 403
    assert client.get(reverse("registry:school_edit", args=[school.pk])).status_code == 403
    assert client.get(reverse("registry:school_create")).status_code == 403
    assert (written(), SchoolStatus.objects.count()) == before


def test_a_school_does_not_reach_the_passport_of_its_neighbour(client, world):
    _login(client, world, "school")
    url = reverse("registry:passport_edit", args=[world.other_home_school.pk, 2026])
    assert client.get(url).status_code == 404
    assert client.post(url, _passport_data()).status_code == 404
    assert not SchoolPassport.objects.filter(school=world.other_home_school).exists()


def test_a_curator_reads_the_school_but_changes_nothing(client, world):
    _login(client, world, "curator")
    school = world.home_school
    before = written(), SchoolStatus.objects.count()
    assert client.get(reverse("registry:school", args=[school.pk])).status_code == 200
    for url, data in [
        (reverse("registry:school_edit", args=[school.pk]), _school_data(world.home)),
        (reverse("registry:passport_edit", args=[school.pk, 2026]), _passport_data()),
        (reverse("registry:status_add", args=[school.pk]), {"year": 2026, "kind": "unfavourable"}),
        (reverse("registry:school_create"), _school_data(world.home)),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert (written(), SchoolStatus.objects.count()) == before


def test_the_card_shows_edit_links_only_to_those_who_may_use_them(client, world):
    school = world.home_school
    edit = reverse("registry:school_edit", args=[school.pk])
    status = reverse("registry:status_add", args=[school.pk])
    passport = reverse("registry:passport_edit", args=[school.pk, 2026])
    expected = {
        "region": {edit, status, passport},
        "municipal": {edit, passport},
        "school": {passport},
        "curator": set(),
        "observer": set(),
    }
    for role, links in expected.items():
        _login(client, world, role)
        card = client.get(reverse("registry:school", args=[school.pk])).content.decode()
        shown = {url for url in (edit, status, passport) if f'href="{url}"' in card}
        assert shown == links, role


def test_the_region_puts_a_school_on_a_list_with_its_basis(client, world):
    _login(client, world, "region")
    school = world.other_home_school
    response = client.post(
        reverse("registry:status_add", args=[school.pk]),
        {"year": 2026, "kind": "unfavourable", "source": "decision",
         "basis_kind": "распоряжение ДОО ТО", "basis_number": "352-р",
         "basis_date": "2023-03-13"},
    )  # fmt: skip
    assert response.status_code == 302
    status = SchoolStatus.objects.get(school=school, year=2026)
    assert (status.kind, status.basis_date) == ("unfavourable", date(2023, 3, 13))
    card = client.get(reverse("registry:school", args=[school.pk])).content.decode()
    assert "распоряжение ДОО ТО от 13.03.2023 № 352-р" in card


# --- «История изменений» ----------------------------------------------------------------------


def test_every_change_appears_in_the_history_with_who_made_it_and_what_changed(client, world):
    users = world.users
    for user, names in [
        (users["region"], ("Неверова", "Валентина", "Викторовна")),
        (users["school"], ("Иванова", "Ольга", "Петровна")),
    ]:
        user.last_name, user.first_name, user.patronymic = names
        user.save()
    school = world.home_school

    client.force_login(users["region"])
    data = _school_data(world.home, code=school.code, full_name=school.full_name,
                        short_name=school.short_name, address="с. Вертикос, ул. Школьная, 1")  # fmt: skip
    assert client.post(reverse("registry:school_edit", args=[school.pk]), data).status_code == 302
    status_url = reverse("registry:status_add", args=[school.pk])
    status = {"year": 2026, "kind": "unfavourable", "source": "regional"}
    client.post(status_url, status)
    client.post(status_url, {**status, "basis_number": "352-р"})

    client.force_login(users["school"])
    client.post(reverse("registry:passport_edit", args=[school.pk, 2026]), _passport_data())

    client.force_login(users["observer"])
    card = client.get(reverse("registry:school", args=[school.pk])).content.decode()
    history = card[card.index('data-testid="history"') :]
    assert "История изменений" in card
    rows = re.findall(r"<tr><td class=\"text-nowrap\">.*?</tr>", history, flags=re.S)

    def row_with(text):
        found = [r for r in rows if text in r]
        assert found, f"no history row with «{text}»"
        return found[0]

    address = row_with("адрес: — → с. Вертикос, ул. Школьная, 1")
    assert "Неверова Валентина Викторовна" in address
    assert "изменение · образовательная организация" in address
    assert "Неверова Валентина Викторовна" in row_with("создание · статус школы: ШНСУ 2026")
    assert "Неверова Валентина Викторовна" in row_with("номер документа: — → 352-р")
    pupils = row_with("обучающихся: 120 → 130")
    assert "Иванова Ольга Петровна" in pupils
    assert "педагогов: 12 → 14" in pupils
    assert "изменение · паспорт школы: МКОУ «Вертикосская СОШ» — 2026/2027" in pupils
    assert " as of " not in history


def test_a_move_to_another_municipality_is_shown_by_name_not_by_number(client, world):
    _login(client, world, "region")
    school = world.other_home_school
    data = _school_data(world.foreign, code=school.code, full_name=school.full_name,
                        short_name=school.short_name)  # fmt: skip
    client.post(reverse("registry:school_edit", args=[school.pk]), data)
    card = client.get(reverse("registry:school", args=[school.pk])).content.decode()
    assert "муниципалитет: Каргасокский район → Чужой район" in card


def test_a_school_without_changes_says_so(client, world):
    _login(client, world, "region")
    school = SchoolFactory(municipality=world.home)
    School.history.filter(id=school.pk).delete()
    card = client.get(reverse("registry:school", args=[school.pk])).content.decode()
    assert "Изменений пока не было." in card


# --- the home page ----------------------------------------------------------------------------


def _figures(client) -> dict[str, int]:
    page = client.get(reverse("home")).content.decode()
    return {k: int(v) for k, v in re.findall(r'data-testid="fig-(\w+)">(\d+)<', page)}


def test_the_region_sees_the_figures_of_the_whole_region(client, world):
    _login(client, world, "region")
    assert _figures(client) == {"municipalities": 2, "schools": 4, "listed": 2, "curators": 2}


def test_the_region_figures_follow_the_registry(client, world):
    _login(client, world, "region")
    StatusFactory(school=world.other_home_school, kind=StatusKind.UNFAVOURABLE)
    StatusFactory(school=world.other_home_school, year=2025)  # last year's list: not counted
    SchoolFactory(municipality=world.home, is_active=False)
    assert _figures(client) == {"municipalities": 2, "schools": 4, "listed": 3, "curators": 2}


def test_a_municipal_coordinator_sees_the_figures_of_own_municipality(client, world):
    _login(client, world, "municipal")
    page = client.get(reverse("home")).content.decode()
    assert "Каргасокский район" in page
    assert _figures(client) == {"municipalities": 1, "schools": 2, "listed": 1, "curators": 1}


def test_a_school_sees_its_own_status(client, world):
    _login(client, world, "school")
    page = client.get(reverse("home")).content.decode()
    assert "Статус в 2026 году:" in page
    assert '<span class="badge badge-lowres">ШНОР</span>' in page
    assert 'data-testid="fig-municipalities"' not in page
    SchoolStatus.objects.filter(school=world.home_school).delete()
    assert "не входит в списки" in client.get(reverse("home")).content.decode()


# --- the school list --------------------------------------------------------------------------


def _listed(client, query: str = "", **headers) -> list[str]:
    response = client.get(reverse("registry:schools") + query, headers=headers)
    assert response.status_code == 200
    return [s.code for s in response.context["page"].object_list]


@pytest.fixture
def region_list(client, world):
    """Four schools of the fixture plus a gymnasium and a school on last year's list."""
    _login(client, world, "region")
    SchoolFactory(code="700950", full_name="МАОУ «Гимназия № 1»", kind=SchoolKind.GYMNASIUM,
                  municipality=world.home, address="с. Каргасок, ул. Пушкина, 5")  # fmt: skip
    StatusFactory(school=world.other_home_school, year=2025, kind=StatusKind.UNFAVOURABLE)
    return client


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", ["700901", "700902", "700950", "709001", "709002"]),
        ("?q=Вертикос", ["700901"]),
        ("?q=7009", ["700901", "700902", "700950"]),
        ("?q=709002", ["709002"]),
        ("?q=вертикосская", ["700901"]),
        ("?q=ГИМНАЗИЯ", ["700950"]),
        ("?q=ул.+Пушкина", ["700950"]),
        ("?q=гимназия+каргасок", ["700950"]),
        ("?kind=gymnasium", ["700950"]),
        ("?kind=oosh", []),
        ("?status=low_results", ["700901", "709001"]),
        ("?status=unfavourable", []),
        ("?status=none", ["700902", "700950", "709002"]),
        ("?status=any&year=2025", ["700902"]),
        ("?status=unfavourable&year=2025", ["700902"]),
    ],
)
def test_the_school_list_filters(region_list, query, codes):
    assert sorted(_listed(region_list, query)) == codes


@pytest.mark.parametrize(
    "typed",
    ["Ёлочка", "ЕЛОЧКА", "«елочка»", '"Ёлочка" сош', "ёлочка  СОШ", "„Ёлочка“", "ёлочк"],
)
def test_the_search_ignores_case_yo_and_quotes(region_list, world, typed):
    """Issue 16: the name as officials type it — capitals or not, «е» for «ё» either way, with
    or without quotes — is found through the stored search form (both databases)."""
    SchoolFactory(code="700960", full_name="МКОУ «Ёлочкинская СОШ»", short_name="«Ёлочка» СОШ",
                  municipality=world.home)  # fmt: skip
    assert _listed(region_list, "?" + urlencode({"q": typed})) == ["700960"]


def test_the_search_form_follows_a_renamed_school(region_list, world):
    school = SchoolFactory(
        code="700961", full_name="МКОУ «Берёзовская ООШ»", municipality=world.home
    )
    assert school.search_name == "мкоу березовская оош мкоу березовская оош 700961"
    school.short_name = "Сосновская ООШ"
    school.save(update_fields=["short_name"])
    assert _listed(region_list, "?q=сосновская") == ["700961"]
    assert _listed(region_list, "?q=березовская") == ["700961"]  # still in the full name


def test_the_school_list_filters_by_municipality(region_list, world):
    assert sorted(_listed(region_list, f"?municipality={world.foreign.pk}")) == [
        "709001", "709002",
    ]  # fmt: skip
    assert sorted(_listed(region_list, f"?municipality={world.home.pk}&status=any")) == ["700901"]


def test_a_municipal_coordinator_cannot_filter_into_another_municipality(client, world):
    _login(client, world, "municipal")
    assert sorted(_listed(client, f"?municipality={world.foreign.pk}")) == ["700901", "700902"]


def test_the_school_list_is_paginated_by_fifty(client, world):
    _login(client, world, "region")
    for n in range(60):
        SchoolFactory(code=f"7010{n:02d}", municipality=world.home)
    first = client.get(reverse("registry:schools"))
    assert len(first.context["page"].object_list) == 50
    assert "Найдено: 64 школы" in first.content.decode()
    assert "Страница 1 из 2" in first.content.decode()
    second = client.get(reverse("registry:schools") + "?page=2&kind=sosh")
    assert len(second.context["page"].object_list) == 14
    assert "?page=1&amp;kind=sosh" in second.content.decode()


def test_the_list_answers_htmx_with_the_rows_only(region_list):
    response = region_list.get(reverse("registry:schools") + "?q=Вертикос",
                               headers={"HX-Request": "true"})  # fmt: skip
    page = response.content.decode()
    assert "<html" not in page
    assert "Найдено: 1 школа" in page


# --- Excel export -----------------------------------------------------------------------------


def _sheet(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def test_the_export_contains_the_filtered_schools_only(region_list, world):
    url = reverse("registry:schools_export")
    rows = _sheet(region_list.get(f"{url}?municipality={world.home.pk}&status=none"))
    assert rows[0] == HEADERS
    assert sorted(r[0] for r in rows[1:]) == ["700902", "700950"]
    rows = _sheet(region_list.get(f"{url}?q=Вертикос"))
    assert [r[:3] for r in rows[1:]] == [
        ["700901", "МКОУ «Вертикосская СОШ»", "Каргасокский район"]
    ]
    assert rows[1][HEADERS.index("ШНОР")] == "да"
    assert rows[1][HEADERS.index("Обучающихся")] == 120


def test_the_export_of_a_municipal_coordinator_holds_own_schools_only(client, world):
    _login(client, world, "municipal")
    rows = _sheet(client.get(reverse("registry:schools_export")))
    assert sorted(r[0] for r in rows[1:]) == ["700901", "700902"]


def test_an_exported_list_imports_back_without_changes(region_list, world):
    """Export → edit in Excel → import: the export's columns are the import's."""
    odd = SchoolFactory(
        code="700960", full_name="МБОУ «Центр образования № 3»", short_name="ЦО № 3", number=3,
        kind=SchoolKind.OTHER, municipality=world.foreign, address="г. Томск, ул. Мира, 1",
        head_name="Петрова Анна Ивановна",
    )  # fmt: skip
    PassportFactory(
        school=odd, pupils=300, teachers=25, part_time_ratio=Decimal("1.250"),
        share_special_needs=Decimal("0.0710"), share_non_native=Decimal("0"),
        share_low_income=Decimal("1"), share_single_parent=Decimal("0.1234"), is_rural=False,
        is_small=True, is_remote=True,
    )  # fmt: skip
    for kind in SchoolKind.values:
        SchoolFactory(code=f"kind-{kind}", kind=kind, municipality=world.home)

    data = region_list.get(reverse("registry:schools_export")).content
    plan = plan_school_import(data, 2026, "schools.xlsx")

    assert plan.rejected == []
    assert len(plan.rows) == School.objects.count()
    assert {r.action for r in plan.rows} == {"unchanged"}, [r.changes for r in plan.rows]


def test_an_edited_export_imports_the_edit_only(region_list, world):
    data = region_list.get(reverse("registry:schools_export") + "?q=Вертикос").content
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.active.cell(row=2, column=HEADERS.index("Обучающихся") + 1, value=99)
    buf = io.BytesIO()
    book.save(buf)
    (row,) = plan_school_import(buf.getvalue(), 2026, "schools.xlsx").rows
    assert (row.action, row.changes) == ("update", ["обучающихся: 120 → 99"])


def test_statuses_in_the_export_are_not_changed_by_importing_it(region_list, world):
    """ШНОР/ШНСУ are set with a basis document on the card, never by a spreadsheet."""
    data = region_list.get(reverse("registry:schools_export") + "?q=Новоюгинская").content
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.active.cell(row=2, column=HEADERS.index("ШНОР") + 1, value="да")
    buf = io.BytesIO()
    book.save(buf)
    (row,) = plan_school_import(buf.getvalue(), 2026, "schools.xlsx").rows
    assert row.action == "unchanged"
    assert not SchoolStatus.objects.filter(
        school=world.other_home_school, year=2026, source=StatusSource.REGIONAL
    ).exists()


def test_the_export_writes_a_school_name_that_looks_like_a_formula_as_text(region_list, world):
    """A school cannot plant a live link in the coordinator's export; numbers stay numbers."""
    from opora.testing.spreadsheets import FORMULA, text_cells

    school = SchoolFactory(
        code="700970", full_name=FORMULA, municipality=world.home, head_name="+7 913 000"
    )
    PassportFactory(school=school, pupils=57)
    url = reverse("registry:schools_export") + f"?municipality={world.home.pk}"
    content = region_list.get(url).content
    text_cells(content, FORMULA)
    text_cells(content, "+7 913 000")
    row = next(r for r in _sheet(region_list.get(url)) if r[0] == "700970")
    assert row[HEADERS.index("Обучающихся")] == 57
