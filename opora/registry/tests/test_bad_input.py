"""Bad input: a clear Russian message, nothing written, never a 500.

Issue 3, «Bad input»: any uploaded file that is not what it claims, too large, a zip bomb,
in a wrong encoding or with wrong columns gets a clear Russian message and changes nothing;
no page answers 500 to bad input.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from opora.accounts.models import Role
from opora.registry.models import SchoolPassport, SchoolStatus
from opora.testing.factories import MunicipalityFactory, UserFactory
from opora.testing.registry_files import csv_bytes, written, xlsx_bytes

GOOD_ROWS = [
    ["Код ОО", "Наименование", "Муниципалитет", "Обучающихся"],
    ["700101", 'МКОУ "Сосновская ООШ"', "Каргасокский район", "48"],
]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return buf.getvalue()


def _zip_bomb() -> bytes:
    """8 MB of spaces packed into a few kilobytes, dressed as a workbook."""
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b" " * 8_000_000})


# (file name, content, what the user is told)
BAD_FILES = {
    "binary": ("реестр.csv", bytes(range(256)) * 16, "Это не текстовый файл CSV"),
    "png renamed .xlsx": ("реестр.xlsx", PNG + bytes(200), "Это не текстовый файл CSV"),
    "old .xls": ("реестр.xls", OLE, "в старом формате Excel (.xls)"),
    "old .doc": ("реестр.doc", OLE, "Сохраните его как .xlsx без пароля или как CSV"),
    "damaged zip": ("реестр.xlsx", b"PK\x03\x04" + b"\x14\x00" * 300, "Файл повреждён"),
    "truncated xlsx": ("реестр.xlsx", xlsx_bytes(GOOD_ROWS)[:1500], "Файл повреждён"),
    "zip without a workbook": ("реестр.xlsx", _zip({"a.txt": b"hello"}), "Нужен файл Excel"),
    "workbook that is not one": (
        "реестр.xlsx",
        _zip({"xl/workbook.xml": b"<not a workbook", "[Content_Types].xml": b"<x"}),
        "Книга Excel повреждена",
    ),
    "zip bomb": ("реестр.xlsx", _zip_bomb(), "похоже на «zip-бомбу»"),
    "wrong columns": ("реестр.csv", csv_bytes([["Номер", "Школа"], ["1", "СОШ № 1"]]),
                      "В файле нет столбца «Код ОО»"),
    "unknown column": ("реестр.csv", csv_bytes([["Код ОО", "Директор школы"], ["700901", "Иванова"]]),
                       "Неизвестные столбцы: «директор школы»"),
    "headers only": ("реестр.csv", csv_bytes(GOOD_ROWS[:1]), "В файле нет строк с данными"),
    "blank lines only": ("реестр.csv", b"\r\n \r\n;;\r\n", "В файле нет ни одной строки"),
    "utf-16": ("реестр.csv", "\n".join(";".join(r) for r in GOOD_ROWS).encode("utf-16"),
               "Это не текстовый файл CSV"),
    "dos cp866": ("реестр.csv", csv_bytes(GOOD_ROWS, encoding="cp866"),
                  "Не удалось определить кодировку: сохраните файл в UTF-8."),
    "koi8-r": ("реестр.csv", csv_bytes(GOOD_ROWS, encoding="koi8-r"),
               "В файле нет столбца «Код ОО»"),
}  # fmt: skip


@pytest.fixture
def region_client(client, db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(UserFactory(username="region", role=Role.REGION))
    return client


def _upload(client, name: str, content: bytes):
    return client.post(
        reverse("registry:import"), {"file": SimpleUploadedFile(name, content), "year": 2026}
    )


def _refused(response, message: str) -> None:
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Применить изменения" not in page


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_with_a_russian_message_and_nothing_written(
    region_client, tmp_path, name, content, message
):
    before = written()
    response = _upload(region_client, name, content)
    _refused(response, message)
    assert 'data-testid="import-error"' in response.content.decode()
    assert "Файл не принят, ничего не записано." in response.content.decode()
    assert written() == before
    assert not list((tmp_path / "uploads").glob("*")), "a refused file is not kept"


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_the_command_line_refuses_the_same_files_with_the_same_message(
    db, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    before = written()
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("import-schools", str(path), "--year", "2026", "--json")
    assert written() == before


def test_an_empty_file_is_refused(region_client):
    before = written()
    _refused(_upload(region_client, "реестр.csv", b""), "Отправленный файл пуст.")
    assert written() == before


def test_a_file_over_the_size_limit_is_refused(region_client, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024  # stands for the real 20 MB, to stay fast
    big = csv_bytes(GOOD_ROWS) + b"700102;x;y;1\r\n" * 80_000
    assert len(big) > settings.MAX_UPLOAD_BYTES
    before = written()
    _refused(_upload(region_client, "реестр.csv", big), "Файл больше 1 МБ")
    assert written() == before


def test_a_workbook_that_unpacks_past_the_limit_is_refused(region_client, settings):
    settings.MAX_UNPACKED_BYTES = {**settings.MAX_UNPACKED_BYTES, "table": 2_000}
    before = written()
    _refused(_upload(region_client, "реестр.xlsx", xlsx_bytes(GOOD_ROWS)), "zip-бомбу")
    assert written() == before


def test_a_good_file_is_accepted_by_the_same_form(region_client):
    """The control: the refusals above are about the files, not the form."""
    MunicipalityFactory(name="Каргасокский район")
    response = _upload(region_client, "реестр.xlsx", xlsx_bytes(GOOD_ROWS))
    assert "Будет добавлено: 1, обновлено: 0" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": 2026}, "Обязательное поле."),
        ({"year": "двадцать"}, "Введите целое число."),
        ({"year": 1812}, "больше либо равно 2000"),
    ],
)
def test_the_upload_form_explains_what_is_missing(region_client, data, message):
    if "file" not in data and message != "Обязательное поле.":
        data["file"] = SimpleUploadedFile("реестр.csv", csv_bytes(GOOD_ROWS))
    before = written()
    response = region_client.post(reverse("registry:import"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert written() == before


# --- garbage in query strings -----------------------------------------------------------------

GARBAGE = [
    "page=abc&municipality=abc",
    "page=99999999999999999999&year=99999999999999999999999",
    "year=zzz",
    "municipality=999999",
    "kind=%3Cscript%3Ealert(1)%3C/script%3E&status=%3Cscript%3Ealert(1)%3C/script%3E",
    "q=%00",
    "q=%27%3B%20DROP%20TABLE%20registry_school%3B--&page=-1",
    "q=" + "ж" * 3000 + "&municipality=1&municipality=2",
]
LIST_PAGES = [
    "home",
    "registry:schools",
    "registry:schools_export",
    "registry:municipalities",
    "people:groups",
    "people:curators",
    "registry:organisations",
    "registry:import",
]


@pytest.mark.parametrize("role", ["region", "municipal", "school"])
def test_no_page_answers_500_to_garbage_in_the_query_string(client, world, role):
    client.force_login(world.users[role])
    urls = [reverse(name) for name in LIST_PAGES] + [
        reverse("registry:school", args=[world.home_school.pk]),
        reverse("registry:municipality", args=[world.home.pk]),
    ]
    for url in urls:
        for query in GARBAGE:
            response = client.get(f"{url}?{query}")
            assert response.status_code in (200, 403), (url, query, response.status_code)
            if response.get("Content-Type", "").startswith("text/html"):
                assert b"<script>alert" not in response.content, (url, query)
        htmx = client.get(f"{url}?page=abc&year=zzz", headers={"HX-Request": "true"})
        assert htmx.status_code in (200, 403), url


def test_garbage_filters_fall_back_to_the_whole_list(client, world):
    client.force_login(world.users.region)
    response = client.get(reverse("registry:schools") + "?municipality=999999&year=zzz")
    assert response.context["page"].paginator.count == 4


@pytest.mark.parametrize(
    "url",
    [
        "/registry/schools/999999/",
        "/registry/municipalities/999999/",
        "/registry/schools/999999/passport/2026/",
        "/registry/schools/{pk}/passport/1/",
        "/registry/schools/{pk}/passport/99999999/",
        "/registry/schools/99999999999999999999999/",
    ],
)
def test_objects_that_do_not_exist_give_404_not_500(client, world, url):
    client.force_login(world.users.region)
    assert client.get(url.format(pk=world.home_school.pk)).status_code == 404


# --- forms with invalid values ----------------------------------------------------------------


def _passport_url(world):
    return reverse("registry:passport_edit", args=[world.home_school.pk, 2026])


PASSPORT_ERRORS = [
    ("pupils", "-5", "Убедитесь, что это значение больше либо равно 0."),
    ("teachers", "много", "Введите целое число."),
    ("share_special_needs", "5", "Доля должна быть от 0 до 1."),
    ("share_low_income", "-0,1", "Доля должна быть от 0 до 1."),
    ("part_time_ratio", "абв", "Введите число."),
    ("share_non_native", "0,123456", "Убедитесь, что вы ввели не более 5 цифр."),
]


def test_the_passport_form_explains_an_invalid_value_in_russian(client, world):
    client.force_login(world.users.region)
    before = written()
    for field, value, message in PASSPORT_ERRORS:
        data = {"pupils": "100", "teachers": "10", field: value}
        response = client.post(_passport_url(world), data)
        assert response.status_code == 200, field
        assert message in response.content.decode(), field
    assert written() == before
    assert SchoolPassport.objects.get(school=world.home_school, year=2026).pupils == 120


def _school_data(world, **changes):
    data = {
        "code": "700555", "full_name": "МКОУ «Новая СОШ»", "short_name": "Новая СОШ",
        "kind": "sosh", "municipality": world.home.pk, "is_active": "on",
    }  # fmt: skip
    return {**data, **changes}


SCHOOL_ERRORS = [
    ({"code": ""}, "Обязательное поле."),
    ({"code": "700901"}, "Образовательная организация с таким Код ОО уже существует."),
    ({"kind": "college"}, "Выберите корректный вариант. college нет среди допустимых значений."),
    ({"number": "-3"}, "Убедитесь, что это значение больше либо равно 0."),
    ({"head_email": "директор@"}, "Введите правильный адрес электронной почты."),
    ({"website": "не сайт"}, "Введите правильный URL."),
    ({"municipality": "999999"}, "Выберите корректный вариант."),
]


def test_the_school_form_explains_an_invalid_value_in_russian(client, world):
    client.force_login(world.users.region)
    before = written()
    for changes, message in SCHOOL_ERRORS:
        response = client.post(reverse("registry:school_create"), _school_data(world, **changes))
        assert response.status_code == 200, changes
        assert message in response.content.decode(), changes
    assert written() == before


STATUS_ERRORS = [
    ({"kind": "best"}, "Выберите корректный вариант."),
    ({"year": "прошлый"}, "Введите целое число."),
    ({"basis_date": "31.02.2023"}, "Введите правильную дату."),
    ({"source": ""}, "Обязательное поле."),
]


def test_the_status_form_explains_an_invalid_value_in_russian(client, world):
    client.force_login(world.users.region)
    statuses = SchoolStatus.objects.count(), SchoolStatus.history.count()
    url = reverse("registry:status_add", args=[world.home_school.pk])
    for changes, message in STATUS_ERRORS:
        data = {"year": "2026", "kind": "unfavourable", "source": "regional", **changes}
        response = client.post(url, data)
        assert response.status_code == 200, changes
        assert message in response.content.decode(), changes
    assert (SchoolStatus.objects.count(), SchoolStatus.history.count()) == statuses
