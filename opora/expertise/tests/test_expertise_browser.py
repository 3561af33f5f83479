"""Criteria and expertise in a real browser: an expert scores the Kargasok programme (seed 002)
criterion by criterion and submits, the region reads the consolidated view and closes the
expertise, the author sees the pre-check and then the conclusion; the operator builds criteria
and starts an expertise. Screenshots land in ``test-artifacts/screenshots/expertise-*.png``.
"""

import re
from datetime import date

import pytest
from docx import Document as read_docx
from playwright.sync_api import expect

from opora.accounts.models import Role
from opora.browser_fixtures import login, shot
from opora.expertise import services as svc
from opora.expertise.models import CriteriaSet, Criterion
from opora.recommendations.models import Recommendation
from opora.registry.models import Organisation, OrganisationKind, Region
from opora.testing.expertise import (
    CONTINUITY,
    PART_TIME,
    import_kargasok,
    municipal_set,
    recommend,
)
from opora.testing.factories import UserFactory


@pytest.fixture
def scene(transactional_db, world):
    """The Kargasok roadmap under expertise by two experts; the second has already submitted."""
    users = world.users
    users["expert"].first_name, users["expert"].last_name = "Елена", "Иванова"
    users["expert"].save()
    second = UserFactory(
        username="expert2", role=Role.EXPERT, first_name="Олег", last_name="Петров"
    )
    roadmap = import_kargasok(world)
    recommend(world.home, CONTINUITY, PART_TIME)
    criteria_set = municipal_set(2026)
    expertise = svc.create_expertise(
        users["operator"],
        roadmap,
        criteria_set,
        expert_users=[users["expert"], second],
        due_date=date(2026, 4, 30),
    )
    criteria = list(
        Criterion.objects.filter(group__criteria_set=criteria_set).order_by("group__order", "order")
    )
    for index, criterion in enumerate(criteria):
        value = criterion.scale_max if index % 4 else 0
        comment = "" if index % 4 else "В карте нет мероприятий на эту тему."
        svc.save_score(second, expertise, criterion, value=value, comment=comment)
    svc.submit_assignment(second, expertise)
    return {"expertise": expertise, "roadmap": roadmap, "criteria": criteria}


def url(live_server, path):
    return f"{live_server.url}{path}"


def sign_out(page):
    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_role("button", name="Войти")).to_be_visible()


def test_an_expert_scores_a_programme_and_the_region_sees_the_consolidated_view(
    scene, live_server, page
):
    expertise = scene["expertise"]
    page.on("dialog", lambda dialog: dialog.accept())

    # «Мои экспертизы» → the workspace.
    login(page, live_server, "expert")
    page.goto(url(live_server, "/reviews/expertise/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои экспертизы")
    rows = page.get_by_test_id("expertises").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Каргасокский район")
    expect(rows.first).to_contain_text("оценено 0 из 24")
    shot(page, "expertise-my-list")
    page.get_by_role("link", name="Оценивать").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Оценка программы: Каргасокский район"
    )
    expect(page.get_by_test_id("precheck")).to_be_visible()
    cards = page.get_by_test_id("score-card")
    expect(cards).to_have_count(24)
    expect(page.get_by_test_id("submit-scores")).to_be_disabled()
    shot(page, "expertise-workspace-start")

    # Each criterion: a click on the score saves it at once (HTMX), the counter follows.
    for index, criterion in enumerate(scene["criteria"]):
        value = criterion.scale_max if index % 3 else 1
        card = page.locator(f"#c{criterion.pk}")
        card.locator(f"label[for$='-value_{value}']").click()
        expect(card.get_by_test_id("save-state")).to_contain_text("Сохранено")
        expect(page.get_by_test_id("progress")).to_have_text(f"{index + 1} из 24")
    # A comment is saved when the field is left.
    first = page.locator(f"#c{scene['criteria'][0].pk}")
    first.get_by_label("Комментарий к критерию 1.1").fill("Цель сформулирована, задачи общие.")
    first.get_by_label("Комментарий к критерию 1.1").press("Tab")
    expect(first.get_by_test_id("save-state")).to_contain_text("Сохранено")
    shot(page, "expertise-workspace-scored")

    # The other expert's scores stay hidden until this expert submits.
    page.goto(url(live_server, f"/reviews/expertise/{expertise.pk}/"))
    expect(page.get_by_test_id("hidden-note")).to_contain_text("будут видны после того")
    expect(page.get_by_test_id("consolidated")).to_have_count(0)
    expect(page.get_by_text("В карте нет мероприятий на эту тему.")).to_have_count(0)
    page.go_back()

    page.get_by_test_id("submit-scores").click()
    expect(page.locator(".alert-success")).to_contain_text("Оценки отправлены")
    table = page.get_by_test_id("consolidated")
    expect(table).to_be_visible()
    expect(table.locator("thead th")).to_contain_text(["Иванова Е.", "Петров О."])
    expect(page.get_by_text("Цель сформулирована, задачи общие.")).to_be_visible()
    shot(page, "expertise-expert-after-submit")
    sign_out(page)

    # The region: the consolidated view with agreement, then closes the expertise.
    login(page, live_server, "region")
    page.goto(url(live_server, f"/reviews/expertise/{expertise.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Экспертиза программы: Каргасокский район"
    )
    expect(page.get_by_test_id("consolidated-row")).to_have_count(24)
    expect(page.get_by_test_id("agreement")).to_have_text(re.compile(r"\d+ %"))
    expect(page.get_by_test_id("disagree").first).to_be_visible()
    expect(page.get_by_test_id("experts")).to_contain_text("оценки отправлены")
    shot(page, "expertise-consolidated-region")

    page.get_by_label("Заключение").fill(
        "Программа соответствует критериям частично: нет раздела по работе с детьми с ОВЗ."
    )
    page.get_by_label("Рекомендации (по одной в строке)").fill(
        "дополнить карту разделом по работе с детьми с ОВЗ и сложными семьями\n"
        "предусмотреть меры по снижению коэффициента совместительства"
    )
    page.get_by_role("button", name="Завершить с заключением").click()
    expect(page.locator(".alert-success")).to_contain_text("Рекомендаций муниципалитету: 2")
    expect(page.get_by_test_id("conclusion")).to_contain_text("нет раздела по работе")
    expect(page.get_by_test_id("recommendations").locator("li")).to_have_count(2)
    shot(page, "expertise-closed-region")
    assert Recommendation.objects.filter(expertise=expertise, status="open").count() == 2


def test_the_author_sees_the_precheck_then_the_conclusion(scene, live_server, page):
    expertise = scene["expertise"]
    login(page, live_server, "municipal")
    page.goto(url(live_server, f"/reviews/expertise/{expertise.pk}/"))
    expect(page.get_by_test_id("hidden-note")).to_contain_text("будут доступны после завершения")
    expect(page.get_by_test_id("consolidated")).to_have_count(0)
    expect(page.get_by_text("В карте нет мероприятий на эту тему.")).to_have_count(0)
    expect(page.get_by_test_id("precheck")).to_be_visible()
    shot(page, "expertise-author-in-progress")

    page.get_by_role("link", name="Предпроверка").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Предпроверка дорожной карты")
    coverage = page.get_by_test_id("coverage-row")
    continuity = coverage.filter(has_text=CONTINUITY)
    expect(continuity).to_contain_text("да")
    expect(continuity.get_by_role("link", name="№ 15")).to_be_visible()
    # The evidence: which words the event shares with the recommendation…
    expect(continuity.get_by_test_id("coverage-why").first).to_contain_text("преемственность")
    part_time = coverage.filter(has_text=PART_TIME)
    expect(part_time).to_contain_text("нет")
    # …and for an uncovered one, the closest events to look at.
    expect(part_time).to_contain_text("ближайшие мероприятия (ниже порога)")
    expect(part_time.get_by_test_id("coverage-closest").first).to_be_visible()
    shot(page, "expertise-precheck-author")


def test_the_operator_builds_criteria_and_starts_an_expertise(
    transactional_db, world, live_server, page
):
    roadmap = import_kargasok(world)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "operator")

    page.goto(url(live_server, "/reviews/criteria/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Наборы критериев")
    page.get_by_role("button", name="Создать").click()
    sets = page.get_by_test_id("criteria-sets").locator("tbody tr")
    expect(sets).to_have_count(4)  # three starting sets and the access-check set of `world`
    shot(page, "expertise-criteria-list")

    page.get_by_role("link", name=re.compile("^Критерии экспертизы муниципальных")).click()
    expect(page.get_by_test_id("criterion")).to_have_count(24)
    shot(page, "expertise-criteria-editor")
    page.get_by_role("link", name=re.compile(r"Критерий$")).first.click()
    page.get_by_label(re.compile(r"^Критерий")).fill(
        "Цели программы согласованы с выводами самоанализа школ"
    )
    page.get_by_label("Пояснение для эксперта").fill("2 — согласованы; 1 — частично; 0 — нет.")
    page.get_by_label("Обязательная тема (для автоматической проверки)").fill("самоанализ школ")
    shot(page, "expertise-criterion-form")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".alert-success")).to_contain_text("Критерий добавлен")
    expect(page.get_by_test_id("criterion")).to_have_count(25)
    page.get_by_role("button", name="Копировать на год").click()
    expect(page.locator(".alert-success")).to_contain_text("скопирован на 2027 год")
    expect(page.get_by_test_id("criterion")).to_have_count(25)

    page.goto(url(live_server, "/reviews/expertise/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Экспертизы программ")
    page.get_by_role("link", name="Новая экспертиза").click()
    page.get_by_label("Программа (дорожная карта)").select_option(str(roadmap.pk))
    chosen = CriteriaSet.objects.get(year=2026, purpose="municipal_expertise")
    page.get_by_label("Набор критериев").select_option(str(chosen.pk))
    page.get_by_label("expert Тест").check()
    page.get_by_label("Срок").fill("2026-04-30")
    shot(page, "expertise-create")
    page.get_by_role("button", name="Создать и назначить").click()
    expect(page.locator(".alert-success")).to_contain_text("Экспертиза создана")
    expect(page.get_by_test_id("experts")).to_contain_text("expert Тест")
    expect(page.get_by_test_id("precheck")).to_be_visible()
    shot(page, "expertise-detail-new")

    page.goto(url(live_server, "/reviews/expertise/analytics/?year=2026"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Итоги экспертиз программ за 2026 год"
    )
    shot(page, "expertise-analytics-empty")


def test_the_region_reads_the_results_of_a_period(transactional_db, world, live_server, page):
    from opora.testing.expertise import synthetic_period

    second = UserFactory(username="expert2", role=Role.EXPERT, last_name="Петров")
    synthetic_period({"expert": world.users.expert, "expert2": second}, 6, year=2023)
    login(page, live_server, "region")
    page.goto(url(live_server, "/reviews/expertise/analytics/?year=2023"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Итоги экспертиз программ за 2023 год"
    )
    expect(page.get_by_test_id("totals").locator("tbody tr")).to_have_count(6)
    expect(page.get_by_test_id("failures").locator("tbody tr").first).to_contain_text("6 из 6")
    shot(page, "expertise-analytics")
    page.get_by_test_id("draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Аналитическая справка — проект")
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("Проведено 6 экспертиз муниципальных программ.")
    expect(page.get_by_test_id("chart")).to_contain_text("6 из 6")
    shot(page, "expertise-analytics-report-draft")
    # The report draws its chart with matplotlib: on a loaded machine that takes more than the
    # usual ten seconds, and the click waits for the download to begin.
    with page.expect_download(timeout=60_000) as download:
        page.get_by_test_id("download").click(timeout=60_000)
    assert download.value.suggested_filename.endswith(".docx")


def test_the_region_drafts_edits_and_fixes_the_protocol(scene, live_server, page, world):
    """The expertise is closed; the region prepares the protocol, corrects the conclusion in
    the draft, fixes it with a number and a date and downloads the signed version."""
    expertise, users = scene["expertise"], world.users
    Region.objects.update(centre="г. Томск")
    Organisation.objects.create(
        short_name="ТОИПКРО",
        name="Томский областной институт повышения квалификации и переподготовки работников "
        "образования",
        kind=OrganisationKind.REGIONAL_OPERATOR,
    )
    for criterion in scene["criteria"]:
        svc.save_score(users["expert"], expertise, criterion, value=criterion.scale_max)
    svc.submit_assignment(users["expert"], expertise)
    svc.close_expertise(
        users["operator"], expertise, conclusion="Программа в целом соответствует критериям."
    )

    login(page, live_server, "region")
    page.goto(url(live_server, f"/reviews/expertise/{expertise.pk}/"))
    documents = page.get_by_test_id("documents")
    expect(documents).to_contain_text("Протокол ещё не готовился.")
    documents.get_by_test_id("draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Протокол — проект")
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("ТОМСКИЙ ОБЛАСТНОЙ ИНСТИТУТ")
    expect(preview).to_contain_text("г. Томск")
    expect(preview).to_contain_text("Итого (с учётом весов)")
    expect(page.get_by_test_id("signature")).to_have_count(2)
    shot(page, "expertise-protocol-1-draft")

    page.get_by_test_id("edit").click()
    body = page.get_by_label("Текст")
    text = body.input_value()
    assert "## Заключение\nПрограмма в целом соответствует критериям." in text
    body.fill(
        text.replace(
            "Программа в целом соответствует критериям.",
            "Программа соответствует критериям; раздел о наставничестве дополнить.",
        )
    )
    page.get_by_test_id("save-document").click()
    expect(preview).to_contain_text("раздел о наставничестве дополнить")
    page.get_by_label("Номер").fill(f"{expertise.pk}-э")
    page.get_by_label("Дата").fill("2026-05-12")
    page.once("dialog", lambda dialog: dialog.accept())  # «the document will never change»
    page.get_by_test_id("fix").click()
    expect(page.get_by_test_id("fixed")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Протокол от 12.05.2026 № {expertise.pk}-э"
    )
    expect(page.get_by_test_id("edit")).to_have_count(0)
    shot(page, "expertise-protocol-2-fixed")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "expertise-protocol-3-fixed-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download(timeout=60_000) as info:
        page.get_by_test_id("download").click()
    stored = read_docx(info.value.path())
    texts = [p.text.replace("\u00a0", " ") for p in stored.paragraphs]
    assert f"12.05.2026\t№ {expertise.pk}-э" in texts
    assert "Программа соответствует критериям; раздел о наставничестве дополнить." in texts
    assert "ПРОЕКТ" not in texts

    # The expertise page lists the fixed protocol; preparing again starts a new draft.
    page.goto(url(live_server, f"/reviews/expertise/{expertise.pk}/"))
    expect(page.get_by_test_id("documents")).to_contain_text(
        f"Протокол от 12.05.2026 № {expertise.pk}-э"
    )
