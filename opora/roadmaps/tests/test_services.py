"""Roadmaps as the region and a municipality use them: import, edit, approve, report, copy."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opora.registry.models import Organisation, OrganisationKind, School
from opora.roadmaps import selectors, services
from opora.roadmaps.importing import apply_roadmap_import, plan_roadmap_import
from opora.roadmaps.models import (
    EventPeriod,
    ProgressStatus,
    ReviewState,
    Roadmap,
    RoadmapStatus,
)
from opora.roadmaps.table_reader import read_roadmap
from opora.testing import shared_dir


@pytest.fixture
def orgs(db):
    Organisation.objects.create(
        short_name="ДОО ТО",
        name="Департамент общего образования Томской области",
        kind=OrganisationKind.REGIONAL_AUTHORITY,
        abbreviations=["ДОО ТО", "ДОО"],
    )
    Organisation.objects.create(
        short_name="ТОИПКРО",
        name="Институт",
        kind=OrganisationKind.REGIONAL_OPERATOR,
        abbreviations=["ТОИПКРО"],
    )


def _sample(name):
    return read_roadmap(shared_dir() / "samples" / name)


def _kargasok_schools(world):
    names = [
        "МКОУ «Вертикосская СОШ»",
        "МБОУ «Каргасокская СОШ-интернат №1»",
        "МБОУ «Нововасюганская СОШ»",
        "МКОУ «Средневасюганская СОШ»",
        "МКОУ «Среднетымская СОШ»",
        "МБОУ «Каргасокская СОШ№2»",
        "МКОУ «Новоюгинская СОШ»",
        "МКОУ «Березовская ООШ»",
        "МКОУ «Сосновская ООШ»",
        "МКОУ «Усть-Тымская ООШ»",
        "МКОУ «Павловская ООШ»",
        "МКОУ «Староюгинская ООШ»",
    ]
    for i, n in enumerate(names):
        School.objects.get_or_create(
            full_name=n,
            defaults={
                "code": f"K{i}",
                "short_name": n,
                "kind": "sosh",
                "municipality": world.home,
            },
        )


def test_the_kargasok_sample_becomes_a_municipal_roadmap(world, orgs):
    _kargasok_schools(world)
    parsed = _sample("002_kargasok_roadmap_2020.docx")
    roadmap = apply_roadmap_import(
        world.users.municipal,
        plan_roadmap_import(parsed, (date(2020, 1, 1), date(2021, 12, 31)), world.home),
        level="municipality",
        title="",
        municipality=world.home,
        source_name="002.docx",
    )
    assert roadmap.status == RoadmapStatus.DRAFT
    assert roadmap.sections.count() == 4
    assert roadmap.events.count() == 32
    assert roadmap.events.filter(number="").count() == 1
    assert not roadmap.events.filter(deadline_understood=False).exists()
    assert len(roadmap.tasks) == 5 and roadmap.indicators.count() == 4
    event10 = roadmap.events.get(number="10")
    assert event10.schools.count() == 12
    assert event10.raw  # the original cells are kept
    event6 = roadmap.events.get(number="6.")
    assert [(p.start, p.end) for p in event6.periods.all()] == [
        (date(2021, 5, 1), date(2021, 6, 30)),
        (date(2022, 5, 1), date(2022, 6, 30)),
        (date(2023, 5, 1), date(2023, 6, 30)),
    ]
    monthly = roadmap.events.get(number="15")
    assert monthly.periods.count() == 24  # every month of 2020–2021


def test_the_region_sample_resolves_executors_and_quantities(world, orgs):
    parsed = _sample("003_region_roadmap_2023.docx")
    roadmap = apply_roadmap_import(
        world.users.region,
        plan_roadmap_import(parsed, (date(2023, 1, 1), date(2023, 12, 31))),
        level="region",
        title="",
        owner_name="ДОО ТО",
    )
    assert roadmap.events.count() == 35
    e1 = roadmap.events.get(number="1.")
    assert [x.label for x in e1.executors.all()] == ["ДОО ТО", "ТОИПКРО"]
    e11 = roadmap.events.get(number="11.")
    assert {x.role for x in e11.executors.all()} >= {"municipal_authority", "curator", "school"}
    assert e11.target_quantity == 68
    assert roadmap.events.get(number="22.").target_quantity == 51
    assert roadmap.has_indicator_column and roadmap.has_evidence_column


def test_a_municipality_cannot_import_a_roadmap_of_another(world, orgs):
    parsed = _sample("002_kargasok_roadmap_2020.docx")
    before = Roadmap.objects.count()
    with pytest.raises(PermissionDenied):
        apply_roadmap_import(
            world.users.municipal,
            plan_roadmap_import(parsed, (date(2020, 1, 1), date(2021, 12, 31)), world.foreign),
            level="municipality",
            title="x",
            municipality=world.foreign,
        )
    assert Roadmap.objects.count() == before


def _small_roadmap(world, user_key="municipal", deadline="ежемесячно"):
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Карта",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    event = services.add_event(
        world.users[user_key],
        roadmap,
        None,
        text="Совещание",
        deadline_text=deadline,
        executors_text="УООиП, кураторы",
    )
    return roadmap, event


def test_fixing_a_deadline_that_was_not_understood(world):
    roadmap, event = _small_roadmap(world, deadline="когда-нибудь потом")
    assert not event.deadline_understood and event.periods.count() == 0
    services.update_event(world.users.municipal, event, deadline_text="до 15 мая")
    event.refresh_from_db()
    assert event.deadline_understood and event.due_on == date(2026, 5, 15)
    assert event.history.count() >= 2


def test_progress_report_with_a_file_and_its_review(world):
    roadmap, event = _small_roadmap(world)
    period = event.periods.get(start=date(2026, 3, 1))
    pdf = SimpleUploadedFile(
        "protocol.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "application/pdf"
    )
    report = services.report_progress(
        world.users.municipal,
        event,
        status=ProgressStatus.DONE,
        period=period,
        done_on=date(2026, 3, 20),
        comment="Проведено",
        files=[pdf],
        links=["https://example.ru/news"],
    )
    period.refresh_from_db()
    assert period.status == ProgressStatus.DONE
    assert report.evidence.get().content_type == "application/pdf"
    with pytest.raises(ValidationError):
        services.review_report(world.users.curator, report, accept=False, comment="")
    services.review_report(world.users.curator, report, accept=False, comment="Нет протокола")
    period.refresh_from_db()
    report.refresh_from_db()
    assert report.review_state == ReviewState.RETURNED
    assert period.status == ProgressStatus.NOT_STARTED  # a returned report no longer counts


def test_a_late_report_is_marked_done_late_and_a_fake_pdf_is_refused(world):
    roadmap, event = _small_roadmap(world)
    period = event.periods.get(start=date(2026, 1, 1))
    report = services.report_progress(
        world.users.municipal, event, status="done", period=period, done_on=date(2026, 2, 10)
    )
    assert report.status == ProgressStatus.DONE_LATE
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 this is an exe", "application/pdf")
    with pytest.raises(ValidationError):
        services.report_progress(
            world.users.municipal, event, status="done", period=period, files=[fake]
        )


def test_approval_workflow_and_versions(world):
    roadmap, _ = _small_roadmap(world)
    municipal, curator = world.users.municipal, world.users.curator
    services.submit_roadmap(municipal, roadmap)
    with pytest.raises(ValidationError):
        services.update_event(municipal, roadmap.events.get(), text="Другое")
    services.return_roadmap(curator, roadmap, "Добавьте ответственных")
    assert Roadmap.objects.get(pk=roadmap.pk).status == RoadmapStatus.RETURNED
    services.submit_roadmap(municipal, roadmap)
    with pytest.raises(PermissionDenied, match="другой сотрудник"):  # not one's own submission
        services.approve_roadmap(
            municipal, roadmap, kind="приказ УООиП", number="353", day=date(2026, 6, 8)
        )
    services.approve_roadmap(
        curator, roadmap, kind="приказ УООиП", number="353", day=date(2026, 6, 8)
    )
    v2 = services.copy_roadmap(municipal, roadmap, as_new_version=True)
    assert v2.version == 2 and v2.status == RoadmapStatus.DRAFT and v2.events.count() == 1
    services.approve_roadmap(municipal, v2, kind="приказ УООиП", number="400", day=date(2026, 9, 1))
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.ARCHIVED  # the old version stays readable
    assert roadmap.events.count() == 1
    with pytest.raises(PermissionDenied):
        services.approve_roadmap(world.users.school, v2, kind="x", number="1", day=date(2026, 1, 1))


def test_copy_for_next_year_shifts_dates(world):
    roadmap, event = _small_roadmap(world, deadline="до 20 сентября 2026")
    copy = services.copy_roadmap(world.users.municipal, roadmap, years=1)
    e = copy.events.get()
    assert copy.period_start == date(2027, 1, 1)
    assert e.deadline_text == "до 20 сентября 2027" and e.due_on == date(2027, 9, 20)


def test_overdue_control_counts_open_past_periods(world):
    roadmap, event = _small_roadmap(world)
    today = timezone.localdate()
    assert selectors.overdue_periods(world.users.municipal).count() == 0  # a draft
    Roadmap.objects.filter(pk=roadmap.pk).update(status=RoadmapStatus.APPROVED)
    past = EventPeriod.objects.filter(event=event, end__lt=today).count()
    assert selectors.overdue_periods(world.users.municipal).count() == past
    assert selectors.overdue_periods(world.users.school).count() == 0  # not its roadmap
    everywhere = EventPeriod.objects.filter(
        end__lt=today, event__roadmap__status=RoadmapStatus.APPROVED
    ).exclude(status__in=["done", "done_late", "cancelled"])
    assert selectors.overdue_periods(world.users.region).count() == everywhere.count() > past
    progress = selectors.roadmap_progress(roadmap)
    assert progress.total == 12 and progress.done == 0
    soon = today + timedelta(days=3)
    assert selectors.overdue_periods(world.users.municipal, horizon="week").filter(
        end=soon
    ).count() in (0, 1)


def test_regional_event_appears_as_a_task_of_its_addressees(world, orgs):
    parsed = _sample("003_region_roadmap_2023.docx")
    region = world.users.region
    roadmap = apply_roadmap_import(
        region,
        plan_roadmap_import(parsed, (date(2026, 1, 1), date(2026, 12, 31))),
        level="region",
        title="",
        owner_name="ДОО ТО",
    )
    assert not selectors.regional_tasks_for(world.users.municipal).exists()  # a draft
    services.approve_roadmap(
        region, roadmap, kind="распоряжение ДОО ТО", number="352-р", day=date(2023, 3, 13)
    )
    numbers = set(
        selectors.regional_tasks_for(world.users.municipal).values_list("number", flat=True)
    )
    assert {"10.", "11.", "13.", "14.", "22."} <= numbers
    assert "11." in set(
        selectors.regional_tasks_for(world.users.school).values_list("number", flat=True)
    )
    assert "9." in set(
        selectors.regional_tasks_for(world.users.curator).values_list("number", flat=True)
    )


def test_evidence_bytes_are_checked_by_content():
    from opora.roadmaps.evidence import check_evidence_file

    png = SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "application/pdf")
    assert check_evidence_file(png)[1] == "image/png"
    with pytest.raises(ValidationError):
        check_evidence_file(SimpleUploadedFile("a.docx", BytesIO(b"plain text").read()))
