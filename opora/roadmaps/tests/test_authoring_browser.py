"""A municipality writes its roadmap in the browser (issue 16): from the regional one as a
template, adds a section and an event, submits; the curator approves; a new version in
execution is edited and the progress of the unchanged event carries over."""

from datetime import date

import pytest
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.roadmaps import services
from opora.roadmaps.models import ProgressReport, Roadmap, RoadmapSection, RoadmapStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _as(page, live_server, who):
    if page.get_by_role("button", name="Выйти").count():
        page.get_by_role("button", name="Выйти").click()
    login(page, live_server, who)


def test_a_municipality_authors_its_roadmap(transactional_db, world, live_server, page):
    # Approving and «Новая версия» ask first: the questions are kept and answered «OK».
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    regional = Roadmap.objects.create(
        level="region",
        owner_name="ДОО ТО",
        title="Региональная дорожная карта на 2026 год",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    section = RoadmapSection.objects.create(
        roadmap=regional, order=1, title="Организационные мероприятия"
    )
    services.add_event(
        world.users.region,
        Roadmap.objects.get(pk=regional.pk),
        section,
        number="1.",
        text="Совещание с руководителями ШНОР",
        deadline_text="март 2026",
    )
    Roadmap.objects.filter(pk=regional.pk).update(status=RoadmapStatus.APPROVED)

    _as(page, live_server, "municipal")
    page.goto(f"{live_server.url}/roadmaps/")
    page.get_by_test_id("new-roadmap-link").click()
    page.get_by_label("Наименование").fill("Дорожная карта Каргасокского района на 2026 год")
    page.get_by_label("Уровень").select_option("municipality")
    page.get_by_label("Муниципалитет").select_option(str(world.home.pk))
    page.get_by_label("Период").fill("2026")
    page.get_by_label("Образец").select_option(str(regional.pk))
    page.get_by_role("button", name="Создать черновик").click()
    expect(page.locator(".alert-success")).to_have_text("Черновик карты создан.")
    expect(page.get_by_test_id("structure")).to_contain_text("Совещание с руководителями ШНОР")

    page.get_by_label("Название нового раздела").fill("Методическое сопровождение")
    page.get_by_test_id("add-section").click()
    form = page.get_by_test_id("event-form")
    form.get_by_label("Раздел").select_option(label="Методическое сопровождение")
    form.get_by_label("№").fill("2.")
    form.get_by_label("Мероприятие").fill(
        "Семинар по преемственности начального и основного общего образования"
    )
    form.get_by_label("Сроки").fill("май 2026")
    form.get_by_label("Исполнители").fill("УООиП, РМО")
    page.get_by_role("button", name="Добавить мероприятие").click()
    expect(page.get_by_test_id("edit-event-row")).to_have_count(2)
    page.get_by_label("Новый показатель").fill("Доля педагогов ШНОР, прошедших КПК")
    page.get_by_label("Целевое значение нового показателя").fill("80 %")
    page.get_by_role("button", name="Добавить показатель").click()
    shot(page, "roadmap-authoring")

    roadmap = Roadmap.objects.get(title="Дорожная карта Каргасокского района на 2026 год")
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("roadmap-status")).to_have_text("на согласовании")

    _as(page, live_server, "curator")
    page.get_by_test_id("nav-inbox").click()
    page.get_by_role("link", name=roadmap.title).click()
    page.get_by_test_id("approve-toggle").click()
    page.get_by_label("Вид документа").fill("приказ УООиП")
    page.get_by_label("Номер").fill("353")
    page.get_by_label("Дата", exact=True).fill("2026-02-10")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("roadmap-status")).to_have_text("утверждена")

    first = roadmap.events.get(number="1.")
    report = services.report_progress(
        world.users.municipal,
        first,
        status="done",
        period=first.periods.get(),
        done_on=date(2026, 3, 20),
    )

    _as(page, live_server, "municipal")
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/")
    page.get_by_role("button", name="Новая версия").click()  # asks first, says what follows
    expect(page.get_by_test_id("version-diff")).to_contain_text("Отличия от версии 1: нет")
    assert "Утвердить карту?" in questions[0]
    assert "отчёты неизменённых мероприятий перейдут" in questions[-1]
    v2 = Roadmap.objects.get(previous=roadmap)
    page.get_by_test_id("edit-structure").click()
    page.get_by_label("Название нового раздела").fill("Информационное сопровождение")
    page.get_by_test_id("add-section").click()
    form = page.get_by_test_id("event-form")
    form.get_by_label("Мероприятие").fill("Новости о программе на сайте — 2 в месяц")
    page.get_by_role("button", name="Добавить мероприятие").click()
    page.goto(f"{live_server.url}/roadmaps/{v2.pk}/")
    diff = page.get_by_test_id("version-diff")
    expect(diff).to_contain_text("добавлено")
    expect(diff).to_contain_text("Новости о программе на сайте")
    shot(page, "roadmap-version-diff")
    page.get_by_test_id("submit").click()

    _as(page, live_server, "curator")
    page.goto(f"{live_server.url}/roadmaps/{v2.pk}/")
    page.get_by_test_id("approve-toggle").click()
    page.get_by_label("Вид документа").fill("приказ УООиП")
    page.get_by_label("Номер").fill("400")
    page.get_by_label("Дата", exact=True).fill("2026-04-01")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("roadmap-status")).to_have_text("утверждена")
    report.refresh_from_db()
    assert report.event.roadmap_id == v2.pk  # the progress carried over
    assert ProgressReport.objects.filter(event__roadmap=roadmap).count() == 0
