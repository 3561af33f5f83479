"""A roadmap written in the app (issue 16): empty or from a template, its sections, events and
indicators added, moved and removed; nothing of it changes once approved but the actual values."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opora.roadmaps import authoring, services
from opora.roadmaps.models import (
    EventExecutor,
    ExecutorRole,
    ProgressReport,
    Roadmap,
    RoadmapEvent,
    RoadmapIndicator,
    RoadmapSection,
    RoadmapStatus,
)


@pytest.fixture
def regional(world):
    roadmap = Roadmap.objects.create(
        level="region",
        owner_name="ДОО ТО",
        title="Региональная дорожная карта на 2023 год",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        goal="Повышение качества образования в ШНОР",
        tasks=["Поддержка школ"],
        status=RoadmapStatus.APPROVED,
    )
    RoadmapIndicator.objects.create(
        roadmap=roadmap, text="Доля школ с программами", target_value="100 %"
    )
    section = RoadmapSection.objects.create(
        roadmap=roadmap, order=1, title="Организационные мероприятия"
    )
    event = RoadmapEvent.objects.create(
        roadmap=roadmap,
        section=section,
        order=1,
        number="10.",
        text="Разработка муниципальных дорожных карт",
        deadline_text="Апрель 2023г.",
        executors_text="МОУО",
    )
    EventExecutor.objects.create(event=event, written="МОУО", role=ExecutorRole.MUNICIPAL_AUTHORITY)
    return roadmap


def test_a_municipality_starts_from_the_regional_roadmap(world, regional):
    municipal = world.users.municipal
    roadmap = authoring.create_roadmap(
        municipal,
        level="municipality",
        title="Дорожная карта Каргасокского района на 2024 год",
        period=(date(2024, 1, 1), date(2024, 12, 31)),
        municipality=world.home,
        template=regional,
    )
    assert roadmap.status == RoadmapStatus.DRAFT and roadmap.goal == regional.goal
    assert list(roadmap.indicators.values_list("text", "target_value")) == [
        ("Доля школ с программами", "100 %")
    ]
    event = roadmap.events.get()
    assert event.section.title == "Организационные мероприятия"
    assert event.parent_event == regional.events.get()  # it carries out the regional event
    # The copy takes the chosen year, not the template's: its dates move by a year.
    assert event.deadline_text == "Апрель 2024г."
    assert event.due_on == date(2024, 4, 30)
    assert list(event.periods.values_list("start", "end")) == [
        (date(2024, 4, 1), date(2024, 4, 30))
    ]


def test_a_deadline_outside_the_chosen_period_is_cleared_and_said(world, regional):
    """A two-year event copied into one year: moved, it still ends past the new period, so its
    dates are cleared (its text kept) for the owner to set again."""
    RoadmapEvent.objects.create(
        roadmap=regional, order=2, number="11.", text="ВПР-2023", deadline_text="2023-2024 гг."
    )
    roadmap = authoring.create_roadmap(
        world.users.municipal,
        level="municipality",
        title="Карта на 2025 год",
        period=(date(2025, 1, 1), date(2025, 12, 31)),
        municipality=world.home,
        template=regional,
    )
    moved, cleared = roadmap.events.order_by("order")
    assert moved.due_on == date(2025, 4, 30)
    assert cleared.text == "ВПР-2025" and cleared.deadline_text == "2025-2026 гг."
    assert cleared.due_on is None and not cleared.deadline_understood
    assert not cleared.periods.exists()


def test_the_new_roadmap_page_proposes_the_programme_year(client, world, settings):
    settings.OPORA_CURRENT_YEAR = 2026
    client.force_login(world.users.municipal)
    html = client.get(reverse("roadmaps:new")).content.decode()
    assert 'name="period" value="2026"' in html
    assert "«май 2023» → «май 2024»" in html


def test_nobody_creates_a_roadmap_of_another(world, regional):
    with pytest.raises(PermissionDenied):
        authoring.create_roadmap(
            world.users.municipal,
            level="municipality",
            title="Карта",
            period=(date(2024, 1, 1), date(2024, 12, 31)),
            municipality=world.foreign,
        )


def test_sections_and_events_are_added_moved_and_removed(world):
    municipal = world.users.municipal
    roadmap = authoring.create_roadmap(
        municipal,
        level="municipality",
        title="Карта",
        period=(date(2026, 1, 1), date(2026, 12, 31)),
        municipality=world.home,
    )
    first = authoring.add_section(municipal, roadmap, "Организационные мероприятия")
    second = authoring.add_section(municipal, roadmap, "Методическое сопровождение")
    authoring.move_section(municipal, second, "up")
    assert list(roadmap.sections.order_by("order").values_list("title", flat=True)) == [
        "Методическое сопровождение",
        "Организационные мероприятия",
    ]
    a = services.add_event(
        municipal, roadmap, first, number="1.", text="Совещание", deadline_text="май 2026"
    )
    b = services.add_event(municipal, roadmap, first, number="2.", text="Семинар")
    authoring.move_event(municipal, b, "up")
    assert list(roadmap.events.order_by("order").values_list("text", flat=True)) == [
        "Семинар",
        "Совещание",
    ]
    assert a.due_on == date(2026, 5, 31)
    with pytest.raises(ValidationError):
        authoring.remove_section(municipal, first)  # it has events
    ProgressReport.objects.create(event=a, status="done")
    with pytest.raises(ValidationError, match="есть отчёты"):
        authoring.remove_event(municipal, a)
    authoring.remove_event(municipal, b)
    assert roadmap.events.count() == 1

    indicator = authoring.save_indicator(
        municipal,
        roadmap,
        None,
        text="Доля педагогов, прошедших КПК",
        target_value="80 %",
        actual_value="",
    )
    roadmap.refresh_from_db()
    Roadmap.objects.filter(pk=roadmap.pk).update(status=RoadmapStatus.APPROVED)
    roadmap.refresh_from_db()
    authoring.save_indicator(
        municipal, roadmap, indicator, text=indicator.text, target_value="80 %", actual_value="65 %"
    )  # the actual value is execution
    with pytest.raises(ValidationError):
        authoring.save_indicator(
            municipal,
            roadmap,
            indicator,
            text=indicator.text,
            target_value="90 %",
            actual_value="65 %",
        )
    with pytest.raises(ValidationError):
        authoring.add_section(municipal, roadmap, "Ещё раздел")
    assert RoadmapIndicator.objects.get(pk=indicator.pk).actual_value == "65 %"


def test_the_pages_create_and_edit(client, world, regional):
    client.force_login(world.users.municipal)
    response = client.post(
        reverse("roadmaps:new"),
        {
            "title": "Дорожная карта на 2024 год",
            "level": "municipality",
            "municipality": world.home.pk,
            "period": "2024",
            "template": regional.pk,
        },
    )
    roadmap = Roadmap.objects.get(title="Дорожная карта на 2024 год")
    assert response["Location"] == reverse("roadmaps:edit", args=[roadmap.pk])
    html = client.get(response["Location"]).content.decode()
    assert "Разработка муниципальных дорожных карт" in html and "Чуж" not in html
    client.post(reverse("roadmaps:section_add", args=[roadmap.pk]), {"title": "Новый раздел"})
    assert roadmap.sections.filter(title="Новый раздел").exists()
    client.force_login(world.users.school)
    assert client.get(reverse("roadmaps:edit", args=[roadmap.pk])).status_code == 404


def test_a_new_version_shows_its_differences_and_carries_the_progress_over(world):
    from opora.roadmaps.versions import diff

    municipal, curator = world.users.municipal, world.users.curator
    roadmap = authoring.create_roadmap(
        municipal,
        level="municipality",
        title="Карта",
        period=(date(2026, 1, 1), date(2026, 12, 31)),
        municipality=world.home,
    )
    kept = services.add_event(
        municipal, roadmap, None, number="1.", text="Совещание", deadline_text="март 2026"
    )
    changed = services.add_event(
        municipal, roadmap, None, number="2.", text="Семинар", deadline_text="май 2026"
    )
    gone = services.add_event(
        municipal, roadmap, None, number="3.", text="Выезд", deadline_text="июнь 2026"
    )
    services.submit_roadmap(municipal, roadmap)
    services.approve_roadmap(curator, roadmap, kind="приказ", number="1", day=date(2026, 1, 10))
    report = services.report_progress(
        municipal, kept, status="done", period=kept.periods.get(), done_on=date(2026, 3, 20)
    )

    v2 = services.copy_roadmap(municipal, roadmap, as_new_version=True)
    services.update_event(municipal, v2.events.get(origin=changed), text="Семинар для учителей")
    authoring.remove_event(municipal, v2.events.get(origin=gone))
    added = services.add_event(municipal, v2, None, number="4.", text="Конкурс")
    d = diff(v2)
    assert [e.pk for e in d.added] == [added.pk]
    assert [c.event.text for c in d.changed] == ["Семинар для учителей"]
    assert [e.pk for e in d.removed] == [gone.pk] and d.unchanged == 1

    services.submit_roadmap(municipal, v2)
    services.approve_roadmap(curator, v2, kind="приказ", number="2", day=date(2026, 4, 1))
    report.refresh_from_db()
    copy = v2.events.get(origin=kept)
    assert report.event == copy and report.period.event == copy
    assert copy.periods.get().status == "done"
