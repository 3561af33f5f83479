"""Mentoring and contests in a real browser: the school forms a mentor pair and the teacher
writes the joint work into its log (with a file); the region opens a contest with a stage,
the municipality registers its teacher and the region records the result. Screenshots at the
desktop width and at 390 px go to ``test-artifacts/screenshots/``."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.development.models import ContestResult, MentorPair
from opora.testing.factories import PersonFactory

PHONE = {"width": 390, "height": 844}


def test_a_pair_is_formed_and_its_joint_work_logged(
    transactional_db, world, live_server, page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    PersonFactory(
        last_name="Наставникова",
        first_name="Ольга",
        patronymic="Ивановна",
        position="заместитель директора по УВР",
        school=world.home_school,
    )
    teacher = world.home_teacher
    login(page, live_server, "school")
    page.goto(f"{live_server.url}/development/mentoring/")
    form = page.get_by_test_id("mentor-pair-new")
    form.get_by_label("Наставник").select_option(
        label=f"Наставникова Ольга Ивановна — {world.home_school.short_name}"
    )
    form.get_by_label("Педагог").select_option(
        label=f"{teacher.full_name} — {world.home_school.short_name}"
    )
    form.get_by_label("Направление работы").fill("Формирующее оценивание на уроке")
    form.get_by_role("button", name="Создать пару").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Наставникова Ольга Ивановна →")
    page.get_by_role("button", name="Выйти").click()

    login(page, live_server, "teacher")
    page.goto(f"{live_server.url}/development/mentoring/")
    expect(page.get_by_test_id("mentor-pairs")).to_contain_text("Формирующее оценивание на уроке")
    page.get_by_role("link", name="Наставникова Ольга Ивановна").click()
    log = page.get_by_test_id("mentoring-log-add")
    yesterday = timezone.localdate() - timedelta(days=1)
    log.get_by_label("Дата").fill(yesterday.isoformat())
    log.get_by_label("Вид").select_option(label="посещение урока")
    log.get_by_label("Тема").fill("Урок математики в 6 классе: листы самооценки")
    log.get_by_label("Результат").fill("Разобрали этапы урока, договорились о листах самооценки.")
    plan = tmp_path / "анализ урока.pdf"
    plan.write_bytes(b"%PDF-1.4 lesson analysis")
    log.get_by_label("Файл (необязательно)").set_input_files(str(plan))
    log.get_by_role("button", name="Записать в журнал").click()
    expect(page.get_by_text("Запись добавлена в журнал.")).to_be_visible()
    entries = page.get_by_test_id("mentoring-log")
    expect(entries).to_contain_text("Урок математики в 6 классе: листы самооценки")
    expect(entries.get_by_role("link", name="анализ урока.pdf")).to_be_visible()
    shot(page, "mentoring-pair-log")
    page.set_viewport_size(PHONE)
    shot(page, "mentoring-pair-log-phone")
    page.goto(f"{live_server.url}/development/mentoring/")
    shot(page, "mentoring-list-phone")
    assert MentorPair.objects.get(school=world.home_school).activities.count() == 1


def test_a_contest_with_participants_and_results(transactional_db, world, live_server, page):
    colleague = PersonFactory(
        last_name="Соседова", first_name="Ирина", school=world.other_home_school
    )
    login(page, live_server, "region")
    page.goto(f"{live_server.url}/development/contests/")
    page.get_by_test_id("contest-new").click()
    form = page.get_by_test_id("contest-form")
    form.get_by_label("Конкурс").fill("Учитель года — 2026")
    form.get_by_label("Уровень").select_option(label="региональный")
    form.get_by_label("Организатор").fill("ТОИПКРО")
    form.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Конкурс сохранён.")).to_be_visible()
    stage = page.get_by_test_id("stage-add")
    stage.get_by_label("Этап").fill("Заочный тур")
    stage.get_by_label("Начало").fill("2026-02-01")
    stage.get_by_label("Окончание").fill("2026-02-28")
    stage.get_by_role("button", name="Добавить этап").click()
    expect(page.get_by_test_id("contest-stages")).to_contain_text("1 февраля 2026 г.")
    contest_url = page.url
    page.get_by_role("button", name="Выйти").click()

    login(page, live_server, "municipal")
    page.goto(contest_url)
    for person, topic in ((world.home_teacher, "Смысловое чтение"), (colleague, "")):
        enter = page.get_by_test_id("contest-enter")
        enter.get_by_label("Педагог").select_option(
            label=f"{person.full_name} — {person.school.short_name}"
        )
        enter.get_by_label("Тема (представляемый опыт)").fill(topic)
        enter.get_by_role("button", name="Записать участника").click()
        expect(page.get_by_text("в числе участников")).to_be_visible()
    participants = page.get_by_test_id("contest-participants")
    expect(participants).to_contain_text(world.home_teacher.full_name)
    expect(page.get_by_text("Всего 2 участника")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    login(page, live_server, "region")
    page.goto(contest_url)
    page.get_by_label(f"Результат: {world.home_teacher.short_name}").select_option(label="лауреат")
    page.get_by_label(f"Дошёл до этапа: {world.home_teacher.short_name}").select_option(
        label="Заочный тур"
    )
    page.get_by_test_id("result-form").first.get_by_role("button", name="Записать").click()
    expect(page.get_by_text("результат записан")).to_be_visible()
    expect(page.get_by_text("из них лауреатов и победителей — 1")).to_be_visible()
    shot(page, "contest-results")
    page.set_viewport_size(PHONE)
    shot(page, "contest-results-phone")
    from opora.development.models import ContestParticipant

    assert (
        ContestParticipant.objects.get(person=world.home_teacher).result == ContestResult.LAUREATE
    )
