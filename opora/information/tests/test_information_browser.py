"""Information support in a real browser: a school records a news item and its site section
(checked in the background against a local site), the region publishes a material to the open
page, and the open page shows the published things only."""

from __future__ import annotations

from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.information import services

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_school_news_region_material_and_the_open_page(
    transactional_db, world, live_server, page, settings, site
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    services.publish_material(
        world.users.region, kind="legal", title="Внутренний проект приказа",
        url="https://doo.example/draft",
    )  # fmt: skip

    login(page, live_server, "school")
    page.get_by_role("link", name="Информация").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Информационное сопровождение")
    form = page.get_by_test_id("news-form")
    form.get_by_label("Заголовок").fill("Методический десант в Вертикосской школе")
    form.get_by_label("Ссылка на новость на сайте").fill("https://vertikos.example/news/17")
    form.get_by_role("button", name="Добавить").click()
    expect(
        page.get_by_text("Новость «Методический десант в Вертикосской школе» добавлена.")
    ).to_be_visible()
    row = page.get_by_test_id("board-row").filter(has_text="Вертикосская")
    expect(row).to_contain_text("не выполнена")
    section = page.get_by_test_id("own-section")
    section.get_by_label("Ссылка на раздел").fill(f"{site}/shnor/")
    section.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Ссылка сохранена")).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("own-section")).to_contain_text("открывается (ответ 200)")
    shot(page, "information-school")
    page.set_viewport_size(PHONE)
    shot(page, "information-school-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Выйти").click()

    login(page, live_server, "region")
    page.goto(f"{live_server.url}/information/library/")
    page.get_by_test_id("material-new").click()
    form = page.get_by_test_id("material-form")
    form.get_by_label("Вид").select_option(label="методические рекомендации")
    form.get_by_label("Название").fill("Методические рекомендации по наставничеству в ШНОР")
    form.get_by_label("Метки").fill("наставничество, ШНОР")
    form.get_by_label("Файл").set_input_files(
        {"name": "наставничество.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.get_by_label("Показать на открытой странице программы").check()
    form.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_text("опубликован.")).to_be_visible()
    expect(page.get_by_test_id("published")).to_contain_text("на открытой странице")
    shot(page, "information-material")
    page.goto(f"{live_server.url}/information/library/?q=НАСТАВНИЧЕСТВУ")
    expect(page.get_by_test_id("materials").get_by_role("link")).to_have_count(1)
    shot(page, "information-library")
    page.goto(f"{live_server.url}/information/")
    shot(page, "information-region")
    page.set_viewport_size(PHONE)
    shot(page, "information-region-phone")
    page.set_viewport_size(DESKTOP)
    page.context.clear_cookies()

    page.goto(f"{live_server.url}/public/")
    expect(page.get_by_test_id("public-roadmaps")).to_contain_text("Региональная дорожная карта")
    materials = page.get_by_test_id("public-materials")
    expect(materials).to_contain_text("Методические рекомендации по наставничеству в ШНОР")
    expect(materials).not_to_contain_text("Внутренний проект приказа")
    expect(page.get_by_test_id("public-news")).not_to_contain_text("Методический десант")
    expect(page.get_by_test_id("public-news")).to_contain_text("Новостей пока нет.")
    expect(page.locator("body")).not_to_contain_text("Чуж")
    shot(page, "public-home")
    page.set_viewport_size(PHONE)
    shot(page, "public-home-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Региональная дорожная карта").click()
    expect(page.get_by_test_id("public-events")).to_contain_text(
        "Региональное мероприятие для школ"
    )
    expect(page.locator("body")).not_to_contain_text("Чуж")
    shot(page, "public-roadmap")
