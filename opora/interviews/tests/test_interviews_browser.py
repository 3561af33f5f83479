"""Interviews and recommendations in a real browser (issue 6, «Pages and tests»):

* a municipal coordinator closes a recommendation through the roadmap event that carries it
  out: opens the recommendation, links the suggested event, the event's period is reported
  done, «Закрыть» → «выполнена», with who closed it;
* the region imports the protocol of seed 000 from Word: preview, the one name the registry
  does not know chosen by hand, confirmation, the protocol page, the tracker and the export.

Screenshots are left in ``test-artifacts/screenshots/interviews-*.png``.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opora.browser_fixtures import login, shot
from opora.interviews.models import Interview, InterviewProtocol
from opora.recommendations.models import Recommendation, RecommendationStatus
from opora.registry.demo import MUNICIPALITIES
from opora.registry.models import Municipality, Region
from opora.roadmaps import services as roadmap_services
from opora.roadmaps.models import EventPeriod, ProgressStatus, Roadmap, RoadmapEvent
from opora.testing import FOREIGN_PK, shared_dir

CONTESTS = (
    "использовать региональные профессиональные конкурсы для педагогов в качестве механизма "
    "повышения профессионального мастерства"
)


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"


def _kargasok_roadmap(world):
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Дорожная карта Каргасокского района на 2026 год",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        status="approved",
    )
    contests = RoadmapEvent.objects.create(
        roadmap=roadmap,
        order=1,
        number="26",
        text="Организация и проведение профессиональных конкурсов, как одного из эффективных "
        "элементов развития и роста уровня педагогического мастерства",
        deadline_text="март 2026",
        due_on=date(2026, 3, 31),
    )
    EventPeriod.objects.create(event=contests, start=date(2026, 3, 1), end=date(2026, 3, 31))
    RoadmapEvent.objects.create(
        roadmap=roadmap,
        order=2,
        number="2.",
        text="Утвердить состав муниципальной рабочей группы",
        deadline_text="январь 2026",
    )
    return contests


def test_municipality_closes_a_recommendation_through_a_roadmap_event(
    transactional_db, world, live_server, page
):
    event = _kargasok_roadmap(world)
    due = timezone.localdate() + timedelta(days=60)
    protocol = InterviewProtocol.objects.create(
        title="ПРОТОКОЛ проведения индивидуальных собеседований", revision_due=due
    )
    interview = Interview.objects.create(
        protocol=protocol,
        municipality=world.home,
        date=date(2026, 6, 18),
        name_as_written="Каргасокский район",
    )
    recommendation = Recommendation.objects.create(
        interview=interview,
        municipality=world.home,
        text=CONTESTS,
        due_date=due,
    )
    Recommendation.objects.create(
        interview=interview,
        municipality=world.home,
        order=1,
        text="организовать работу муниципальной методической службы",
        due_date=date(2020, 8, 3),
    )

    login(page, live_server, "municipal")
    page.goto(f"{live_server.url}/reviews/recommendations/")
    expect(page.get_by_test_id("tracker-row")).to_have_count(2)
    expect(page.get_by_test_id("overdue")).to_have_count(1)
    shot(page, "interviews-tracker-municipal")
    page.get_by_role("link", name=CONTESTS[:60], exact=False).click()

    expect(page.get_by_test_id("recommendation-text")).to_contain_text("Использовать региональные")
    suggestions = page.get_by_test_id("suggestions")
    expect(suggestions).to_contain_text("№ 26 Организация и проведение профессиональных конкурсов")
    shot(page, "interviews-recommendation-suggestions")
    suggestions.get_by_role("button", name="Связать").first.click()

    linked = page.get_by_test_id("linked-event")
    expect(linked).to_have_count(1)
    expect(linked).to_contain_text("№ 26")
    expect(page.get_by_test_id("state").get_by_test_id("status")).to_have_text("в работе")
    expect(page.get_by_test_id("can-close")).to_have_count(0)

    # The event's reporting period is reported done (as the roadmap's own page does it).
    roadmap_services.report_progress(
        world.users.municipal,
        event,
        status=ProgressStatus.DONE,
        period=event.periods.get(),
        done_on=date(2026, 3, 30),
        comment="Проведён муниципальный конкурс «Педагог года»",
    )
    page.reload()
    expect(page.get_by_test_id("event-finished")).to_be_visible()
    can_close = page.get_by_test_id("can-close")
    expect(can_close).to_contain_text("можно закрыть")
    shot(page, "interviews-recommendation-can-close")
    page.once("dialog", lambda dialog: dialog.accept())  # closing asks first
    can_close.get_by_role("button", name="Закрыть").click()

    expect(page.get_by_role("alert").first).to_contain_text("Рекомендация закрыта")
    expect(page.get_by_test_id("state").get_by_test_id("status")).to_have_text("выполнена")
    expect(page.get_by_test_id("closed-by")).to_contain_text("municipal Тест")
    expect(page.get_by_test_id("evidence")).to_contain_text("№ 26")
    expect(page.get_by_test_id("history")).to_contain_text("выполнена")
    shot(page, "interviews-recommendation-closed")
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE

    page.goto(f"{live_server.url}/reviews/recommendations/?status=done")
    expect(page.get_by_test_id("tracker-row")).to_have_count(1)


def test_region_imports_the_sample_protocol(transactional_db, world, live_server, page, tmp_path):
    region = Region.objects.first()
    for name, kind, _aliases in MUNICIPALITIES:
        # The registry knows Bakchar district under another name, so «Бакcharский район»
        # (Latin letters inside, read by sound as «Бакчарский») is not recognised.
        name = "Подгорный район" if name == "Бакчарский район" else name
        Municipality.objects.get_or_create(name=name, defaults={"region": region, "kind": kind})

    login(page, live_server, "region")
    page.goto(f"{live_server.url}/reviews/protocols/")
    page.get_by_role("link", name="Импорт из Word").click()
    page.get_by_label("Протокол (Word, .docx)").set_input_files(
        str(shared_dir() / "samples" / "000_interview_protocol_2020.docx")
    )
    page.get_by_role("button", name="Проверить файл").click()

    expect(page.get_by_test_id("preview-row")).to_have_count(20)
    totals = page.get_by_test_id("preview-totals")
    expect(totals).to_contain_text("20 муниципалитетов")
    expect(totals).to_contain_text("4 даты")
    expect(totals).to_contain_text("105 рекомендаций")
    expect(page.get_by_test_id("preview-dates")).to_contain_text("22 июня 2020 г.")
    expect(page.get_by_test_id("unmatched")).to_contain_text("«Бакcharский район»")
    severesk = page.get_by_test_id("preview-row").nth(6)
    expect(severesk.get_by_test_id("written")).to_have_text("ЗАО «Северск»")
    expect(severesk.get_by_test_id("registry-select")).to_have_value(
        str(Municipality.objects.get(name="ЗАТО Северск").pk)
    )
    expect(page.get_by_text("повторяется у 13 муниципалитетов").first).to_be_visible()
    shot(page, "interviews-import-preview")

    # Saving without choosing the unknown municipality is refused by the browser…
    page.get_by_role("button", name="Сохранить протокол").click()
    expect(page.get_by_test_id("preview-row")).to_have_count(20)
    assert not InterviewProtocol.objects.exclude(pk=FOREIGN_PK).exists()
    # …then it is chosen in the select beside the name as written.
    bakchar = page.get_by_label("Муниципалитет в реестре для «Бакcharский район»")
    bakchar.select_option(label="Подгорный район")
    expect(page.get_by_label("Срок исполнения рекомендаций")).to_have_value("2020-08-03")
    page.get_by_role("button", name="Сохранить протокол").click()

    expect(page.get_by_role("alert").first).to_contain_text("рекомендаций — 105")
    expect(page.get_by_test_id("interview")).to_have_count(20)
    expect(page.get_by_test_id("recommendation")).to_have_count(105)
    expect(page.get_by_test_id("date-heading")).to_have_count(4)
    expect(page.get_by_text("в протоколе: «Бакcharский район»")).to_be_visible()
    expect(page.get_by_test_id("assignments")).to_contain_text("инклюзивного образования")
    shot(page, "interviews-protocol")
    protocol = InterviewProtocol.objects.exclude(pk=FOREIGN_PK).get()
    assert Recommendation.objects.filter(interview__protocol=protocol).count() == 105

    # The protocol in Word is a draft of the documents layer: prepared, then downloaded.
    page.get_by_test_id("draft").click()
    expect(page.get_by_test_id("preview")).to_contain_text("Каргасокский")
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / "protocol.docx"
    download.save_as(saved)
    from opora.interviews.readers.protocol import read_protocol

    assert read_protocol(saved).recommendation_count == 105

    page.goto(f"{live_server.url}/reviews/recommendations/")
    expect(page.get_by_test_id("tracker-count")).to_contain_text("108 рекомендаций")
    page.get_by_label("Муниципалитет").select_option(label="Каргасокский район")
    expect(page.get_by_test_id("tracker-count")).to_contain_text("7 рекомендаций")
    expect(page).to_have_url(f"{live_server.url}/reviews/recommendations/?municipality="
                             f"{world.home.pk}&status=&protocol=&q=")  # fmt: skip
    shot(page, "interviews-tracker-region")

    page.goto(f"{live_server.url}/reviews/protocols/")
    expect(page.get_by_test_id("protocols")).to_contain_text("17.06.2020")
    shot(page, "interviews-protocol-list")
    page.goto(f"{live_server.url}/reviews/recommendations/catalogue/")
    expect(page.get_by_test_id("catalogue-summary")).to_contain_text("в 74 записях каталога")
    contests = page.get_by_test_id("catalogue-group").first
    expect(contests).to_contain_text("использовать региональные профессиональные конкурсы")
    contests.locator("summary").click()
    expect(contests.get_by_test_id("catalogue-variants").locator("li").first).to_be_visible()
    shot(page, "interviews-catalogue")


def test_region_types_a_protocol_in_and_picks_from_the_catalogue(
    transactional_db, world, live_server, page
):
    from opora.recommendations.catalogue import recommendation_key
    from opora.recommendations.models import RecommendationTemplate

    RecommendationTemplate.objects.create(text=CONTESTS, key=recommendation_key(CONTESTS))
    login(page, live_server, "region")
    page.goto(f"{live_server.url}/reviews/protocols/")
    page.get_by_role("link", name="Создать вручную").click()
    page.get_by_label("Место").fill("г. Томск, ДОО ТО, ул. Ленина, 111")
    page.get_by_label("Председатель").fill("Грабцевич И.Б., начальник ДОО ТО")
    page.get_by_label("Участники").fill(
        "Вторина Е.В., заместитель начальника ДОО ТО;\nЗамятина О.М."
    )
    page.get_by_label("Срок исполнения рекомендаций").fill("2027-03-01")
    shot(page, "interviews-protocol-form")
    page.get_by_role("button", name="Создать протокол").click()

    expect(page.get_by_role("alert").first).to_contain_text("Протокол создан")
    page.get_by_test_id("add-interview").click()
    page.get_by_label("Муниципалитет", exact=False).first.select_option(label="Каргасокский район")
    page.get_by_label("Дата собеседования").fill("2026-12-01")
    page.get_by_role("button", name="Добавить и перейти к рекомендациям").click()

    page.get_by_label("Из каталога").select_option(index=1)
    page.get_by_role("button", name="Добавить и ещё одну").click()
    expect(page.get_by_test_id("given").locator("li")).to_have_count(1)
    page.get_by_label("Или новая рекомендация").fill("организовать работу с кадровым резервом")
    shot(page, "interviews-recommendation-add")
    page.get_by_role("button", name="Добавить и вернуться к протоколу").click()

    expect(page.get_by_test_id("interview")).to_have_count(1)
    expect(page.get_by_test_id("recommendation")).to_have_count(2)
    expect(page.get_by_test_id("date-heading")).to_have_text("1 декабря 2026 года")
    shot(page, "interviews-protocol-by-hand")
    recommendation = Recommendation.objects.exclude(text__startswith="Чуж").order_by("pk").first()
    assert recommendation.text == CONTESTS
    assert recommendation.due_date == date(2027, 3, 1)
    assert recommendation.interview.protocol.participants == [
        "Вторина Е.В., заместитель начальника ДОО ТО",
        "Замятина О.М.",
    ]
