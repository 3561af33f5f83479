"""Issue 15, «Information support and materials»: news per organisation and month against
«не менее 2 новостей в месяц» (seed 003, event 13); the programme section of each municipal and
school site, its link checked in the background (event 14); the library of materials (seed 001,
task B9) with tags, Russian search and links from events and recommendations; the programme's
open page with only what the region published."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opora.core import contributions
from opora.information import selectors, services, tasks
from opora.information.models import LinkStatus, Material, MaterialLink, NewsItem, SiteSection
from opora.registry.models import SchoolStatus
from opora.roadmaps.models import Roadmap, RoadmapEvent
from opora.testing import FOREIGN_MARK, FOREIGN_PK
from opora.testing.factories import SchoolFactory, StatusFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
TODAY = date(2026, 12, 7)


@pytest.fixture
def users(world):
    return world.users


@pytest.fixture
def school_owner(world):
    return services.owner_of_school(world.home_school)


def _news(user, owner, n, day=None, **kw):
    day = day or timezone.localdate().replace(day=1)
    return [
        services.add_news(
            user,
            owner,
            title=f"Новость {i}",
            url=f"https://school.example/n{i}",
            published_on=day,
            **kw,
        )  # fmt: skip
        for i in range(n)
    ]


# News against the target -----------------------------------------------------------------


def test_a_school_records_its_news_and_the_month_shows_the_target_met(world, users, school_owner):
    today = timezone.localdate()
    _news(users["school"], school_owner, 1)
    board = selectors.month_board(users["school"], today.year, today.month)
    [heading] = board.municipalities
    [row] = heading.schools
    assert (row.label, row.news, row.met) == (world.home_school.short_name, 1, False)
    assert heading.level == ""  # the school does not judge its municipality
    assert board.below == [row]
    _news(users["school"], school_owner, 1)
    row = (
        selectors.month_board(users["school"], today.year, today.month).municipalities[0].schools[0]
    )
    assert (row.news, row.met) == (2, True)
    assert selectors.TARGET_TEXT.startswith("не менее 2 новостей в месяц")


def test_the_region_sees_who_is_below_the_target_this_month(world, users, school_owner):
    today = timezone.localdate()
    _news(users["school"], school_owner, 2)
    _news(users["municipal"], services.own_owner(users["municipal"]), 1)
    board = selectors.month_board(users["region"], today.year, today.month)
    assert board.region is not None and not board.region.met
    home = next(m for m in board.municipalities if m.municipality_id == world.home.pk)
    assert (home.news, home.met) == (1, False)
    by_school = {s.school_id: s for s in home.schools}
    assert by_school[world.home_school.pk].met
    labels = {row.label for row in board.below}
    assert home.label in labels and world.home_school.short_name not in labels
    assert "Регион" in labels
    # the municipality sees its own schools, not the foreign ones
    own = selectors.month_board(users["municipal"], today.year, today.month)
    assert [m.municipality_id for m in own.municipalities] == [world.home.pk]
    assert own.region is None


def test_the_month_board_does_not_query_more_with_more_schools(world, users):
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as few:
        selectors.month_board(users["region"], today.year, today.month)
    for i in range(15):
        school = SchoolFactory(code=f"70500{i:02d}", municipality=world.home)
        StatusFactory(school=school)
    with CaptureQueriesContext(connection) as many:
        board = selectors.month_board(users["region"], today.year, today.month)
    assert len(board.rows) > 15
    assert len(many) == len(few)


def test_news_is_refused_clearly(world, users, school_owner):
    with pytest.raises(ValidationError, match="полная ссылка"):
        services.add_news(
            users["school"], school_owner, title="Т", url="school.ru/n", published_on=TODAY
        )
    with pytest.raises(ValidationError, match="позже сегодняшней"):
        services.add_news(
            users["school"], school_owner, title="Т", url="https://s.ru/n",
            published_on=timezone.localdate() + timedelta(days=1),
        )  # fmt: skip
    other = services.owner_of_school(world.other_home_school)
    with pytest.raises(PermissionDenied):
        _news(users["school"], other, 1)
    with pytest.raises(PermissionDenied):  # only the region puts news on the open page
        _news(users["school"], school_owner, 1, public=True)
    with pytest.raises(PermissionDenied):
        _news(users["observer"], school_owner, 1)
    assert not NewsItem.objects.filter(title__startswith="Т").exists()


def test_the_school_adds_news_through_the_page(client, world, users):
    client.force_login(users["school"])
    today = timezone.localdate()
    response = client.post(
        reverse("information:news_add"),
        {"title": "День открытых дверей", "url": "https://school.example/d", "published_on": today},
        follow=True,
    )
    assert "Новость «День открытых дверей» добавлена." in response.text
    assert "День открытых дверей" in response.text
    response = client.post(
        reverse("information:news_add"), {"title": "", "url": "нет", "published_on": "вчера"},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200 and "Заголовок" in response.text
    assert NewsItem.objects.count() == 2  # the foreign one and ours


# The site section and its check ----------------------------------------------------------


def test_the_site_link_is_checked_in_the_background_not_in_the_request(client, users, site):
    client.force_login(users["school"])
    response = client.post(reverse("information:section_save"), {"url": f"{site}/shnor/"})
    assert response.status_code == 302
    section = SiteSection.objects.get(school=users["school"].school)
    assert section.status == LinkStatus.PENDING and section.checked_at is None
    # the worker runs the task
    assert tasks.check_site_section.call(section.pk) == LinkStatus.OK
    section.refresh_from_db()
    assert section.status == LinkStatus.OK and section.note == "открывается (ответ 200)"
    page = client.get(reverse("information:overview"))
    assert "открывается (ответ 200), проверено" in page.text


def test_a_broken_site_link_reaches_the_schools_inbox(settings, users, school_owner, site):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.save_site_section(users["school"], school_owner, f"{site}/old-page")
    section = SiteSection.objects.get(school=users["school"].school)
    assert (section.status, section.note) == (LinkStatus.BROKEN, "не открывается (ответ 404)")
    [item] = [i for i in contributions.inbox_for(users["school"]) if i.kind.startswith("Раздел")]
    assert item.subject == f"{site}/old-page" and item.note == "не открывается (ответ 404)"
    assert not any(i.kind.startswith("Раздел") for i in contributions.inbox_for(users["municipal"]))
    # fixed: the inbox empties
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.save_site_section(users["school"], school_owner, f"{site}/shnor")
    assert not any(i.kind.startswith("Раздел") for i in contributions.inbox_for(users["school"]))


def test_the_schedule_rechecks_links_older_than_a_day(settings, users, school_owner, site):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    section = services.save_site_section(users["school"], school_owner, f"{site}/shnor")
    SiteSection.objects.filter(pk=section.pk).update(
        status=LinkStatus.BROKEN, checked_at=timezone.now() - timedelta(days=2)
    )
    assert section.pk in services.sections_due()
    assert tasks.check_site_sections.call() >= 1
    section.refresh_from_db()
    assert section.status == LinkStatus.OK
    assert section.pk not in services.sections_due()


def test_opora_schedule_queues_the_daily_check(settings, users, school_owner, site):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    section = services.save_site_section(users["school"], school_owner, f"{site}/gone")
    SiteSection.objects.filter(pk=section.pk).update(
        status=LinkStatus.OK, checked_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    call_command("schedule", "--once")
    section.refresh_from_db()
    assert (section.status, section.note) == (LinkStatus.BROKEN, "не открывается (ответ 404)")


def test_the_region_has_no_site_section_and_others_cannot_set_a_schools(world, users):
    with pytest.raises(ValidationError, match="муниципалитеты и школы"):
        services.save_site_section(
            users["region"], services.own_owner(users["region"]), "https://x.ru"
        )
    with pytest.raises(PermissionDenied):
        services.save_site_section(
            users["school"], services.owner_of_school(world.other_home_school), "https://x.ru"
        )


# The library -----------------------------------------------------------------------------


def _material(user, **kw):
    data = {"kind": "methodical", "title": "Методические рекомендации по наставничеству"}
    data.update(kw)
    if "upload" not in data and "url" not in data:
        data["url"] = "https://toipkro.example/nastavnik"
    return services.publish_material(user, **data)


def test_the_region_publishes_a_file_and_who_and_when_is_kept(client, users):
    upload = SimpleUploadedFile("наставничество.pdf", PDF, content_type="application/pdf")
    material = _material(
        users["region"], upload=upload, tags="Наставничество, ШНОР, наставничество"
    )
    assert material.tags == ["Наставничество", "ШНОР"]
    assert material.published_by == users["region"] and material.published_at
    assert material.content_type == "application/pdf"
    client.force_login(users["school"])
    page = client.get(reverse("information:material", args=[material.pk]))
    assert "опубликовал" in page.text and material.publisher_name in page.text
    download = client.get(reverse("information:material_file", args=[material.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_a_file_of_another_type_or_neither_file_nor_link_is_refused(users):
    html = SimpleUploadedFile("страница.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError, match="не принят"):
        _material(users["region"], upload=html)
    with pytest.raises(ValidationError, match="Приложите файл или укажите ссылку"):
        services.publish_material(users["region"], kind="legal", title="Приказ")
    with pytest.raises(PermissionDenied):
        _material(users["school"])
    with pytest.raises(PermissionDenied):  # a municipality publishes, only the region opens
        _material(users["municipal"], public=True)
    assert Material.objects.count() == 1  # the foreign one


def test_search_is_russian_in_any_form_and_case(users):
    _material(users["region"], title="Методические рекомендации по наставничеству")
    _material(users["region"], kind="practice", title="Успешная практика: учёт посещаемости",
              tags="ВСОКО")  # fmt: skip
    _material(users["region"], kind="self_analysis", title="Анкета самоанализа школы")

    def titles(q="", **kw):
        f = selectors.LibraryFilter(q=q, **kw)
        return [m.title for m in selectors.library(users["school"], f)]

    assert titles("РЕКОМЕНДАЦИЯМ") == ["Методические рекомендации по наставничеству"]
    assert titles("наставничество методических") == ["Методические рекомендации по наставничеству"]
    assert titles("учет") == ["Успешная практика: учёт посещаемости"]
    assert titles("самоанализ") == ["Анкета самоанализа школы"]
    assert titles("всоко") == titles(tag="ВСОКО") == ["Успешная практика: учёт посещаемости"]
    assert titles(kind="practice") == ["Успешная практика: учёт посещаемости"]
    assert titles("нет такого слова") == []


def test_a_municipalitys_material_is_seen_within_its_scope(world, users):
    own = _material(users["municipal"], title="Муниципальный план информирования")
    assert own.municipality == world.home
    assert selectors.material_for(users["school"], own.pk) == own
    assert selectors.material_for(users["school"], FOREIGN_PK) is None
    assert selectors.material_for(users["region"], FOREIGN_PK) is not None


def test_materials_are_linked_from_events_and_recommendations(client, world, users):
    material = _material(users["region"])
    event = RoadmapEvent.objects.get(pk=FOREIGN_PK + 1)  # the regional roadmap's event
    services.link_to_event(users["region"], material, event.pk)
    with pytest.raises(ValidationError, match="уже связан"):
        services.link_to_event(users["region"], material, event.pk)
    # a link to an event the user does not see is refused, and not shown to the others
    with pytest.raises(ValidationError, match="недоступно"):
        services.link_to_event(users["municipal"], material, FOREIGN_PK)
    MaterialLink.objects.create(material=material, event_id=FOREIGN_PK)
    links = selectors.links_of(users["school"], material)
    assert [link.event for link in links.events] == [event]
    client.force_login(users["school"])
    page = client.get(reverse("information:material", args=[material.pk]))
    assert "Региональное мероприятие для школ" in page.text and FOREIGN_MARK not in page.text
    # the roadmap's page shows the material in its card
    client.force_login(users["region"])
    page = client.get(reverse("roadmaps:detail", args=[event.roadmap_id]))
    assert "Материалы к мероприятиям" in page.text and material.title in page.text


def test_the_roadmap_page_links_a_material_to_its_event(client, world, users):
    material = _material(users["region"])
    event = RoadmapEvent.objects.get(pk=FOREIGN_PK + 1)
    client.force_login(users["region"])
    back = reverse("roadmaps:detail", args=[event.roadmap_id])
    response = client.post(
        reverse("information:link_new"),
        {"material": material.pk, "event": event.pk, "back": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert MaterialLink.objects.filter(material=material, event=event).exists()
    response = client.post(
        reverse("information:link_new"),
        {"material": material.pk, "event": event.pk, "back": "https://evil.example/"},
    )
    assert response["Location"] == reverse("information:material", args=[material.pk])


# The open page ---------------------------------------------------------------------------


def test_the_open_page_shows_only_what_the_region_published(client, world, users, school_owner):
    published = _material(
        users["region"], title="Открытые методические рекомендации", public=True,
        upload=SimpleUploadedFile("открытые.pdf", PDF),
    )  # fmt: skip
    hidden = _material(users["region"], title="Внутренний черновик рекомендаций",
                       upload=SimpleUploadedFile("черновик.pdf", PDF))  # fmt: skip
    municipal = _material(users["municipal"], title="Муниципальная памятка")
    [school_news] = _news(users["school"], school_owner, 1)
    region_news = services.add_news(
        users["region"], services.own_owner(users["region"]), title="Региональный семинар",
        url="https://toipkro.example/seminar", published_on=TODAY, public=True,
    )  # fmt: skip
    draft = Roadmap.objects.create(
        level="region", title="Проект дорожной карты 2027", period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
    )  # fmt: skip
    client.logout()
    page = client.get(reverse("public:home"))
    assert page.status_code == 200
    text = page.text
    assert "Региональная дорожная карта" in text  # approved
    assert draft.title not in text
    assert published.title in text and region_news.title in text
    for unpublished in (hidden.title, municipal.title, school_news.url):
        assert unpublished not in text
    # nothing personal: no publisher, no one's name, nothing foreign
    assert published.publisher_name not in text and FOREIGN_MARK not in text
    assert client.get(reverse("public:roadmap", args=[draft.pk])).status_code == 404
    regional = client.get(reverse("public:roadmap", args=[FOREIGN_PK + 1]))
    assert "Региональное мероприятие для школ" in regional.text
    assert FOREIGN_MARK not in regional.text  # the foreign school's report is not shown
    assert client.get(reverse("public:material_file", args=[published.pk])).status_code == 200
    assert client.get(reverse("public:material_file", args=[hidden.pk])).status_code == 404
    # the region puts the school's news on the page; then it shows
    services.set_news_public(users["region"], school_news, True)
    assert school_news.url in client.get(reverse("public:home")).text


def test_executors_written_as_names_are_not_shown_on_the_open_page(client, world):
    event = RoadmapEvent.objects.get(pk=FOREIGN_PK + 1)
    from opora.roadmaps.models import EventExecutor

    EventExecutor.objects.create(event=event, written="Иванова И.И.", known=False, order=2)
    page = client.get(reverse("public:roadmap", args=[event.roadmap_id]))
    assert "Иванова" not in page.text and "ОО" in page.text


def test_the_menu_and_the_pages_open_for_every_role(client, world, users):
    for role, user in users.by_name().items():
        client.force_login(user)
        for name in ("information:overview", "information:library"):
            assert client.get(reverse(name)).status_code == 200, (role, name)
        assert client.get(reverse("information:overview") + "?month=абв").status_code == 200
        assert client.get(reverse("information:overview") + "?month=2026-13").status_code == 200


def test_the_demo_is_idempotent(world):
    from opora.information import demo

    d = contributions.Demo(year=2026, schools=0)
    demo.load(d)
    first = (NewsItem.objects.count(), Material.objects.count(), SiteSection.objects.count())
    demo.load(d)
    assert (
        NewsItem.objects.count(),
        Material.objects.count(),
        SiteSection.objects.count(),
    ) == first
    assert SchoolStatus.objects.exists()
