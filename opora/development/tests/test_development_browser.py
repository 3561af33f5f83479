"""Professional development in a real browser: the operator imports diagnostics (a bad row
first), the school head proposes, edits and approves a route, a teacher registers for a
seminar and the municipality marks attendance, and the teacher's own page. Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.development import services
from opora.development.importing import apply_diagnostics_import, plan_diagnostics_import
from opora.development.models import EventKind, OfferKind, Route
from opora.testing.development import diagnostics_csv, school_file, with_catalogue

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def team(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    data = school_file("700901", 5, {"Оценивание": 40, "Чтение": 55})
    plan = plan_diagnostics_import(data, "d.csv", title="Диагностика 2026", year=2026)
    apply_diagnostics_import(world.users.operator, plan)
    teacher = world.home_teacher
    own = f"ФИО;Код ОО;Должность;Область компетенций;Балл\n{teacher.full_name};700901;учитель;Оценивание;ниже базового\n"
    plan = plan_diagnostics_import(own.encode(), "d.csv", title="Диагностика 2026", year=2026)
    apply_diagnostics_import(world.users.operator, plan)
    return with_catalogue(
        world,
        ("Формирующее оценивание на уроке", ["Оценивание"], OfferKind.COURSE),
        ("Смысловое чтение на всех предметах", ["Чтение"], OfferKind.COURSE),
        ("Стажировка в школе-наставнике", ["Чтение", "Оценивание"], OfferKind.INTERNSHIP),
    )


def test_the_operator_imports_diagnostics_after_fixing_a_bad_row(
    transactional_db, world, live_server, page, tmp_path
):
    login(page, live_server, "operator")
    page.goto(f"{live_server.url}/development/diagnostics/import/")
    bad = tmp_path / "диагностика.csv"
    bad.write_bytes(
        diagnostics_csv(
            [
                (
                    "Иванова Мария Петровна",
                    "700901",
                    "учитель",
                    "математика",
                    "Оценивание",
                    "14 из 20",
                ),
                ("Петрова Анна Ильинична", "700901", "учитель", "физика", "Оценивание", "отлично"),
            ]
        )
    )
    page.get_by_label("Файл").set_input_files(str(bad))
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.get_by_test_id("import-rejected")).to_contain_text("ничего не записано")
    expect(page.get_by_role("cell", name="«отлично» — ожидается балл", exact=False)).to_be_visible()
    shot(page, "development-import-rejected")

    good = tmp_path / "диагностика-исправлено.csv"
    good.write_bytes(
        diagnostics_csv(
            [
                (
                    "Иванова Мария Петровна",
                    "700901",
                    "учитель",
                    "математика",
                    "Оценивание",
                    "14 из 20",
                ),
                (
                    "Петрова Анна Ильинична",
                    "700901",
                    "учитель",
                    "физика",
                    "Оценивание",
                    "повышенный",
                ),
            ]
        )
    )
    page.get_by_label("Файл").set_input_files(str(good))
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.get_by_test_id("import-preview")).to_contain_text(
        "Будет записано 2 результата: 2 педагога из 1 школы"
    )
    shot(page, "development-import-preview")
    page.get_by_test_id("import-apply").click()
    expect(
        page.get_by_text("Диагностика «Диагностика профессиональных компетенций» загружена")
    ).to_be_visible()
    shot(page, "development-overview-after-import")


def test_the_head_proposes_edits_and_approves_a_route(transactional_db, team, live_server, page):
    login(page, live_server, "school")
    page.goto(f"{live_server.url}/development/schools/{team.home_school.pk}/")
    expect(page.get_by_test_id("team-summary")).to_contain_text("Оценивание")
    shot(page, "development-school-team")
    page.get_by_test_id("propose-routes").click()
    expect(page.get_by_text("Предложено 6 маршрутов")).to_be_visible()
    page.get_by_role("link", name=team.home_teacher.full_name).click()
    steps = page.get_by_test_id("route-steps")
    expect(steps).to_contain_text("Формирующее оценивание на уроке")
    page.get_by_label("Добавить предложение каталога").select_option(
        label="Стажировка в школе-наставнике"
    )
    page.get_by_test_id("step-add").get_by_role("button", name="Добавить").click()
    expect(steps).to_contain_text("Стажировка в школе-наставнике")
    steps.get_by_role("row", name="Формирующее оценивание на уроке").get_by_role(
        "button", name="Убрать"
    ).click()
    expect(steps).not_to_contain_text("Формирующее оценивание на уроке")
    page.get_by_test_id("route-approve").click()
    expect(page.get_by_test_id("route-status")).to_have_text("утверждён")
    shot(page, "development-route-approved")
    route = Route.objects.get(person=team.home_teacher)
    assert [s.offer.title for s in route.steps.all()] == ["Стажировка в школе-наставнике"]


def test_a_teacher_registers_for_a_seminar_and_the_municipality_marks_attendance(
    transactional_db, team, live_server, page
):
    start = timezone.now() + timedelta(minutes=1)
    event = services.save_event(
        team.users.municipal,
        None,
        kind=EventKind.SEMINAR,
        title="Формирующее оценивание: практики школ района",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Каргасок, РМК",
        municipality=team.home,
    )
    login(page, live_server, "teacher")
    page.goto(f"{live_server.url}/development/events/")
    page.get_by_role("link", name="Формирующее оценивание: практики школ района").click()
    page.get_by_label("Участие").select_option(label="выступает с практикой")
    page.get_by_label("Тема выступления").fill("Листы самооценки на уроках")
    page.get_by_test_id("register").get_by_role("button", name="Записать").click()
    expect(page.get_by_test_id("registrations")).to_contain_text("Листы самооценки на уроках")
    shot(page, "development-event-registered")

    Event = type(event)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    page.get_by_role("button", name="Выйти").click()
    login(page, live_server, "municipal")
    page.goto(f"{live_server.url}/development/events/{event.pk}/")
    page.get_by_label(f"Присутствовал(а): {team.home_teacher.short_name}").check()
    page.get_by_test_id("attendance-save").click()
    expect(page.get_by_text("Посещение отмечено: пришли 1 из 1")).to_be_visible()
    expect(page.get_by_test_id("registrations")).to_contain_text("присутствовал(а)")
    shot(page, "development-event-attendance")


def test_the_teachers_own_page(transactional_db, team, live_server, page):
    head = team.users.school
    services.propose_routes(head, team.home_school)
    services.approve_route(head, Route.objects.get(person=team.home_teacher))
    login(page, live_server, "teacher")
    page.get_by_role("link", name="Мой маршрут").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Мой маршрут")
    expect(page.get_by_test_id("my-results")).to_contain_text("дефицит")
    expect(page.get_by_test_id("my-route-status")).to_have_text("утверждён")
    shot(page, "development-teacher-own-page")
    page.set_viewport_size(PHONE)
    shot(page, "development-teacher-own-page-phone")
