"""The registry in a real browser: signing in, scopes, forms, history, import, HTMX filter.

Each test gets the `world` of the root conftest in a transactional database (the live server
runs in another thread), a fresh browser context, and leaves screenshots of the pages it
walked through in ``test-artifacts/screenshots/``.
"""

import re

import pytest
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.registry.models import School

ROLE_NAMES = {
    "region": "Региональный орган управления образованием",
    "operator": "Региональный оператор",
    "curator": "Куратор",
    "municipal": "Муниципальный координатор",
    "school": "Образовательная организация",
    "expert": "Эксперт",
    "observer": "Наблюдатель",
}
WHOLE_REGION = {"municipalities": "2", "schools": "4", "listed": "2", "curators": "2"}
HOME_SCOPE = {"municipalities": "1", "schools": "2", "listed": "1", "curators": "1"}
# What the home page shows each role in `world`: the whole region has two municipalities,
# four schools, two of them listed (one home, one foreign) and two curators; a scoped user
# sees the home municipality only; a school sees itself.
HOME_FIGURES = {
    "region": WHOLE_REGION,
    "operator": WHOLE_REGION,
    "expert": WHOLE_REGION,
    "observer": WHOLE_REGION,
    "curator": HOME_SCOPE,
    "municipal": HOME_SCOPE,
    "school": {"listed": "1", "curators": "1"},
}


def url(live_server, path: str) -> str:
    return f"{live_server.url}{path}"


@pytest.mark.parametrize("role", list(ROLE_NAMES))
def test_each_role_signs_in_and_sees_its_own_figures(
    transactional_db, world, live_server, page, role
):
    login(page, live_server, role)

    expect(page).to_have_url(url(live_server, "/"))
    whoami = page.get_by_test_id("whoami")
    expect(whoami).to_have_text(f"{role} Тест · {ROLE_NAMES[role]}")
    expect(whoami).to_have_attribute("title", f"{role} Тест · {ROLE_NAMES[role]}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Здравствуйте, Тест")
    for name, value in HOME_FIGURES[role].items():
        expect(page.get_by_test_id(f"fig-{name}")).to_have_text(value)
    if role == "school":
        expect(page.get_by_test_id("fig-schools")).to_have_count(0)
        expect(page.get_by_role("link", name="МКОУ «Вертикосская СОШ»")).to_be_visible()
    # The styles really load: opora.css paints the navbar, Bootstrap gives cards a border.
    navbar = page.locator("nav.navbar")
    expect(navbar).to_have_css("background-color", "rgb(31, 78, 121)")
    expect(page.locator(".figure-card").first).to_have_css("border-top-style", "solid")
    shot(page, f"home-{role}")


def test_wrong_password_is_refused_in_russian(transactional_db, world, live_server, page):
    page.goto(url(live_server, "/registry/schools/"))
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/registry/schools/$"))
    page.get_by_label("Имя пользователя").fill("region")
    page.get_by_label("Пароль").fill("не тот пароль")
    page.get_by_role("button", name="Войти").click()

    expect(page.locator(".alert-danger")).to_have_text("Неверное имя пользователя или пароль.")
    expect(page.get_by_test_id("whoami")).to_have_count(0)
    shot(page, "login-wrong-password")


def test_municipal_user_gets_russian_not_found_for_foreign_school(
    transactional_db, world, live_server, page
):
    login(page, live_server, "municipal")
    response = page.goto(url(live_server, "/registry/schools/9001/"))

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Страница не найдена")
    expect(page.locator("main")).not_to_contain_text("Чуж")
    shot(page, "not-found-municipal")


def test_curator_school_list_shows_home_municipality_only(
    transactional_db, world, live_server, page
):
    login(page, live_server, "curator")
    page.locator("#nav").get_by_role("button", name="Реестр").click()
    page.locator("#nav").get_by_role("link", name="Школы", exact=True).click()

    rows = page.locator("#school-rows tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Каргасокский район")
    expect(rows.nth(1)).to_contain_text("Каргасокский район")
    expect(page.locator("main")).not_to_contain_text("Чуж")
    expect(page.get_by_test_id("total")).to_contain_text("Найдено: 2 школы")
    options = page.locator("select[name=municipality] option")
    expect(options).to_have_text(["Все муниципалитеты", "Каргасокский район"])
    expect(page.get_by_role("link", name="Добавить школу")).to_have_count(0)
    shot(page, "school-list-curator")


def test_school_user_navigation_leads_to_own_school(transactional_db, world, live_server, page):
    login(page, live_server, "school")
    nav = page.locator("#nav")
    expect(nav.locator("a[href='/registry/municipalities/']")).to_have_count(0)
    expect(nav.locator("a[href='/registry/import/']")).to_have_count(0)

    nav.get_by_role("button", name="Реестр").click()  # «Моя школа» opens the registry's menu
    nav.get_by_role("link", name="Моя школа").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("МКОУ «Вертикосская СОШ»")
    active = re.compile(r"\bactive\b")
    expect(nav.get_by_role("button", name="Реестр")).to_have_class(active)
    expect(nav.locator("a.dropdown-item", has_text="Моя школа")).to_have_class(active)
    expect(page.get_by_role("link", name="Редактировать")).to_have_count(0)
    expect(page.get_by_test_id("statuses")).to_contain_text("ШНОР")
    shot(page, "school-card-school-user")

    for crumb in page.locator(".breadcrumb a").all():
        response = page.request.get(url(live_server, crumb.get_attribute("href")))
        assert response.status == 200, (crumb.inner_text(), response.status)


def test_region_creates_a_school_then_edits_its_address(transactional_db, world, live_server, page):
    login(page, live_server, "region")
    page.goto(url(live_server, "/registry/schools/"))
    shot(page, "school-list-region")
    page.get_by_role("link", name="Добавить школу").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Новая школа")

    page.get_by_label("Код ОО").fill("700903")
    page.get_by_label("Полное наименование").fill("МКОУ «Средневасюганская СОШ»")
    page.get_by_label("Краткое наименование").fill("Средневасюганская СОШ")
    page.get_by_label("Вид ОО").select_option(label="СОШ")
    page.get_by_label("Муниципалитет").select_option(label="Каргасокский район")
    page.get_by_label("Адрес", exact=True).fill("с. Средний Васюган, ул. Гагарина, 1")
    page.get_by_role("button", name="Сохранить").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Школа «Средневасюганская СОШ» добавлена в реестр."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("МКОУ «Средневасюганская СОШ»")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("История изменений")
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(history.locator("tbody tr").first).to_contain_text("создание")
    expect(history.locator("tbody tr").first).to_contain_text("region Тест")
    shot(page, "school-card-created")

    page.get_by_role("link", name="Редактировать").click()
    page.get_by_label("Адрес", exact=True).fill("с. Средний Васюган, ул. Гагарина, 5")
    page.get_by_role("button", name="Сохранить").click()

    expect(page.get_by_role("alert")).to_contain_text("Изменения сохранены.")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("изменение")
    expect(rows.first.locator(".history-changes")).to_have_text(
        "адрес: с. Средний Васюган, ул. Гагарина, 1 → с. Средний Васюган, ул. Гагарина, 5"
    )
    shot(page, "school-card-edited")
    school = School.objects.get(code="700903")
    assert school.address == "с. Средний Васюган, ул. Гагарина, 5"


def test_school_form_errors_are_in_russian(transactional_db, world, live_server, page):
    login(page, live_server, "region")
    page.goto(url(live_server, "/registry/schools/new/"))
    page.get_by_label("Код ОО").fill("700901")  # already taken by the home school
    page.get_by_role("button", name="Сохранить").click()

    errors = page.locator(".invalid-feedback")
    expect(errors.first).to_be_visible()
    texts = errors.all_inner_texts()
    assert "Обязательное поле." in texts
    assert any("код оо" in t.lower() and "уже существует" in t for t in texts), texts
    assert not any(re.search(r"[A-Za-z]{4,}", t) for t in texts), texts
    # Fields with errors are outlined in red (Bootstrap's invalid colour), others are not.
    expect(page.get_by_label("Полное наименование")).to_have_css(
        "border-top-color", "rgb(220, 53, 69)"
    )
    expect(page.get_by_label("Номер")).not_to_have_css("border-top-color", "rgb(220, 53, 69)")
    shot(page, "school-form-errors")
    assert not School.objects.filter(full_name="").exists()


def _csv(*rows: str) -> bytes:
    header = "Код ОО;Наименование;Муниципалитет;Вид ОО;Обучающихся;Доля ОВЗ;Сельская"
    return "\n".join([header, *rows]).encode("utf-8")


def _upload(page, data: bytes, name: str = "reestr.csv"):
    page.get_by_label("Файл реестра").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    page.get_by_role("button", name="Проверить файл").click()


def test_region_imports_registry_bad_row_first_then_good_file(
    transactional_db, world, live_server, page, settings, tmp_path
):
    settings.DATA_DIR = tmp_path  # the upload waiting for confirmation is kept here
    # The confirmed import is a task; here it runs as soon as it is queued (on commit).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    schools_before = School.objects.count()
    login(page, live_server, "region")
    expect(page.locator("#nav a[href='/registry/import/']")).to_have_count(1)
    page.goto(url(live_server, "/registry/import/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Импорт реестра школ и паспортов")

    good = "700904;МКОУ «Новоюгинская ООШ № 2»;Каргасокский р-н;ООШ;84;12,5 %;да"
    _upload(page, _csv(good, "700905;МКОУ «Усть-Тымская ООШ»;Каргасокский р-н;ООШ;много;;"))

    expect(page.get_by_test_id("import-rejected")).to_contain_text(
        "В файле ошибки — ничего не записано."
    )
    bad = page.locator("tr.table-danger")
    expect(bad).to_have_count(1)
    expect(bad.locator("td")).to_have_text(
        ["3", "700905", "столбец «Обучающихся»: «много» — ожидается целое число (цифрами 0–9)"]
    )
    expect(page.get_by_role("button", name="Применить изменения")).to_have_count(0)
    shot(page, "import-errors")
    assert School.objects.count() == schools_before

    _upload(page, _csv(good))

    expect(page.get_by_test_id("import-preview")).to_contain_text(
        "Будет добавлено: 1, обновлено: 0 (паспорта на 2026/2027 учебный год)."
    )
    expect(page.locator("tbody tr").first).to_contain_text("новая")
    shot(page, "import-preview")
    assert School.objects.count() == schools_before
    page.get_by_role("button", name="Применить изменения").click()

    expect(page.get_by_test_id("import-job")).to_contain_text(
        "Выполнен: добавлено 1, обновлено 0 (паспорта на 2026/2027 учебный год)."
    )
    page.get_by_role("link", name="К списку школ").click()
    expect(page.locator("#school-rows")).to_contain_text("МКОУ «Новоюгинская ООШ № 2»")
    shot(page, "import-applied")
    school = School.objects.get(code="700904")
    assert school.municipality == world.home
    assert school.passports.get(year=2026).pupils == 84
    assert list(tmp_path.glob("uploads/*")) == []


def test_school_list_filters_with_htmx_without_reload(transactional_db, world, live_server, page):
    login(page, live_server, "region")
    page.goto(url(live_server, "/registry/schools/"))
    rows = page.locator("#school-rows tbody tr")
    expect(rows).to_have_count(4)
    page.evaluate("window.__notReloaded = true")

    with page.expect_response(
        lambda r: "/registry/schools/?" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.get_by_placeholder("Название, код или адрес").press_sequentially("Вертик")

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("МКОУ «Вертикосская СОШ»")
    expect(page.get_by_test_id("total")).to_contain_text("Найдено: 1 школа")
    assert page.evaluate("window.__notReloaded") is True
    expect(page).to_have_url(re.compile(r"[?&]q=%D0%92%D0%B5%D1%80%D1%82%D0%B8%D0%BA"))
    expect(page.locator("nav.navbar")).to_have_count(1)  # rows only, not a page in a page
    shot(page, "school-list-filtered")

    page.get_by_placeholder("Название, код или адрес").fill("нет такой школы")
    expect(page.get_by_text("Нет школ, подходящих под условия поиска.")).to_be_visible()
    assert page.evaluate("window.__notReloaded") is True
    shot(page, "school-list-empty")


def test_select_placeholders_are_russian(transactional_db, world, live_server, page):
    login(page, live_server, "region")
    page.goto(url(live_server, "/registry/schools/new/"))

    empty_choices = page.locator("select option[value='']").all_inner_texts()
    assert empty_choices
    assert not [t for t in empty_choices if re.search(r"[A-Za-z]", t)], empty_choices
