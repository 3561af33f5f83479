"""A methodical visit in a real browser: the curator fills in the observation of an attended
lesson with the rubric, reports the visit held, and the observation's recommendation reaches
the recommendation tracker and the school's «Ждут меня»; the school compares its levels with
the region's. Screenshots (desktop and 390 px) go to ``test-artifacts/screenshots/``."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.development.models import LessonObservation, RubricItem
from opora.recommendations.models import Recommendation
from opora.testing.visits import observe_by_head, planned_visit, school_teachers

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
ADVICE = "Ввести листы самооценки на уроках математики"


def _both(page, name):
    shot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    shot(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_a_visits_observation_recommendation_reaches_the_tracker_and_the_school(
    transactional_db, world, live_server, page
):
    visit = planned_visit(world)
    lesson = visit.lessons.get()
    for teacher in school_teachers(world.home_school, 5):
        observe_by_head(world.users.school, teacher, 2, feedback=1)

    login(page, live_server, "curator")
    page.goto(f"{live_server.url}/development/visits/")
    expect(page.get_by_test_id("visits-table")).to_contain_text("Формирующее оценивание")
    _both(page, "visits-list")
    page.goto(f"{live_server.url}/development/visits/{visit.pk}/")
    expect(page.get_by_test_id("visit-lessons")).to_contain_text("Учителева")
    _both(page, "visit-planned")

    page.get_by_test_id(f"observe-{lesson.pk}").click()
    for item in RubricItem.objects.filter(is_active=True):
        page.locator(f"#item-{item.pk}-{1 if item.code == 'feedback' else 2}").check()
    page.get_by_label("Краткий анализ урока").fill(
        "Цель названа учителем, обучающиеся её не формулируют; обратная связь — отметками."
    )
    page.get_by_label("Рекомендация").fill(ADVICE)
    _both(page, "observation-form")
    page.get_by_role("button", name="Сохранить наблюдение").click()
    expect(page.get_by_test_id("observation-recommendation")).to_contain_text(
        "попадёт в трекер, когда десант будет проведён"
    )
    _both(page, "observation-detail")

    page.goto(f"{live_server.url}/development/visits/{visit.pk}/")
    report = page.get_by_test_id("visit-report")
    report.get_by_label("Выводы").fill("Формирующее оценивание на уроках почти не используется.")
    report.get_by_label("Рекомендации школе").fill("Включить посещение уроков в план ВШК")
    report.get_by_role("button", name="Десант проведён — сохранить отчёт").click()
    expect(page.get_by_text("передано 2 рекомендации")).to_be_visible()
    expect(page.get_by_test_id("visit-status")).to_have_text("проведён")
    expect(page.get_by_test_id("visit-recommendations")).to_contain_text(ADVICE)
    _both(page, "visit-held")
    given = Recommendation.objects.get(text=ADVICE)
    assert LessonObservation.objects.get(lesson=lesson).given == given

    page.goto(live_server.url + reverse("recommendations:recommendation_detail", args=[given.pk]))
    expect(page.get_by_text(ADVICE).first).to_be_visible()

    page.context.clear_cookies()
    login(page, live_server, "school")
    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_text(ADVICE)).to_be_visible()
    _both(page, "visit-school-inbox")
    page.goto(f"{live_server.url}/development/observations/")
    expect(page.get_by_test_id("rubric-aggregate")).to_contain_text("Обратная связь")
    _both(page, "observations-school")

    page.context.clear_cookies()
    login(page, live_server, "operator")
    page.goto(f"{live_server.url}/development/rubric/")
    expect(page.get_by_test_id("rubric-new")).to_be_visible()
    _both(page, "rubric-edit")


def test_the_head_corrects_a_saved_observation_and_sees_its_history(
    transactional_db, world, live_server, page
):
    teacher = school_teachers(world.home_school, 1, "Исправляемая")[0]
    observation = observe_by_head(world.users.school, teacher, 2)
    feedback = RubricItem.objects.get(code="feedback")

    login(page, live_server, "school")
    page.goto(f"{live_server.url}/development/observations/{observation.pk}/")
    page.get_by_test_id("observation-edit").click()
    expect(page.locator(f"#item-{feedback.pk}-2")).to_be_checked()
    page.get_by_label("Краткий анализ урока").fill(
        "Работа в парах по критериям; рефлексия в конце."
    )
    page.locator(f"#item-{feedback.pk}-3").check()
    _both(page, "observation-edit")
    page.get_by_role("button", name="Сохранить изменения").click()
    expect(page.get_by_text("Изменения наблюдения сохранены.")).to_be_visible()
    expect(page.get_by_test_id("observation-analysis")).to_have_text(
        "Работа в парах по критериям; рефлексия в конце."
    )
    expect(page.get_by_test_id("observation-scores")).to_contain_text("3 из 3")
    expect(page.get_by_test_id("observation-history")).to_contain_text("изменено")
    _both(page, "observation-corrected")
    assert observation.history.count() == 2
