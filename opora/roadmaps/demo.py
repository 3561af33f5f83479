"""Demo roadmaps: the two real ones of the seeds, and this year's regional one with progress."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from opora.accounts.models import User
from opora.core.contributions import Demo
from opora.registry.models import Municipality
from opora.roadmaps import services
from opora.roadmaps.importing import apply_roadmap_import, plan_roadmap_import
from opora.roadmaps.models import (
    EventPeriod,
    ProgressReport,
    ProgressStatus,
    ReviewState,
    Roadmap,
    RoadmapStatus,
)
from opora.roadmaps.table_reader import read_roadmap

FILES = Path(__file__).resolve().parent / "demo_files"


def load_demo_roadmaps(year: int) -> int:
    """Import the seed roadmaps once; returns how many roadmaps the demo has."""
    if Roadmap.objects.exists():
        return Roadmap.objects.count()
    region = User.objects.get(username="region")
    kargasok_user = User.objects.get(username="kargasok")
    kargasok = Municipality.objects.get(name="Каргасокский район")

    regional_2023 = apply_roadmap_import(
        region,
        plan_roadmap_import(
            read_roadmap(FILES / "003_region_roadmap_2023.docx"),
            (date(2023, 1, 1), date(2023, 12, 31)),
        ),
        level="region",
        title="",
        owner_name="ДОО ТО",
        source_name="003_region_roadmap_2023.docx",
    )
    services.approve_roadmap(
        region, regional_2023, kind="распоряжение ДОО ТО", number="352-р", day=date(2023, 3, 13)
    )
    _progress(regional_2023, region, done_share=0.9)

    municipal = apply_roadmap_import(
        kargasok_user,
        plan_roadmap_import(
            read_roadmap(FILES / "002_kargasok_roadmap_2020.docx"),
            (date(2020, 1, 1), date(2021, 12, 31)),
            kargasok,
        ),
        level="municipality",
        title="",
        municipality=kargasok,
        owner_name="УООиП",
        source_name="002_kargasok_roadmap_2020.docx",
    )
    services.approve_roadmap(
        kargasok_user, municipal, kind="приказ УООиП", number="353", day=date(2020, 6, 8)
    )
    _progress(municipal, kargasok_user, done_share=0.8)

    # Kargasok carries its roadmap on year by year: this year's copy is in force, 2020's archived.
    current_municipal = services.copy_roadmap(kargasok_user, municipal, years=year - 2020)
    services.approve_roadmap(
        kargasok_user, current_municipal, kind="приказ УООиП", number="212", day=date(year, 2, 10)
    )
    services.archive_roadmap(kargasok_user, municipal)
    _progress(current_municipal, kargasok_user, done_share=0.75)

    # This year's regional roadmap: the 2023 one carried over, approved, with part of the year done.
    current = services.copy_roadmap(region, regional_2023, years=year - 2023)
    services.approve_roadmap(
        region, current, kind="распоряжение ДОО ТО", number="118-р", day=date(year, 3, 1)
    )
    _progress(current, region, done_share=0.7)
    services.archive_roadmap(region, regional_2023)
    _reviewed()
    return Roadmap.objects.count()


#: Reports on periods that ended within this many days still wait for their reviewer.
FRESH_DAYS = 30


def _reviewed() -> None:
    """The reviewers have done their part of the past: every report on an archived roadmap, and
    those on periods that ended more than a month ago, are accepted by the regional operator;
    the month's reports still wait in «Ждут меня»."""
    operator = User.objects.get(username="operator")
    fresh = timezone.localdate() - timedelta(days=FRESH_DAYS)
    waiting = ProgressReport.objects.filter(review_state=ReviewState.PENDING).exclude(
        event__roadmap__status=RoadmapStatus.APPROVED, period__end__gte=fresh
    )
    for report in waiting.select_related("event__roadmap").order_by("pk"):
        services.review_report(operator, report, accept=True)


def _progress(roadmap: Roadmap, user, done_share: float) -> None:
    """Reports for most past periods (a few late, a few missing) — what a real year looks like."""
    rng = random.Random(roadmap.pk)
    today = timezone.localdate()
    periods = EventPeriod.objects.filter(event__roadmap=roadmap, end__lt=today).select_related(
        "event"
    )
    for period in periods:
        if rng.random() > done_share:
            continue
        late = rng.random() < 0.15
        done_on = (
            period.end if not late else min(today, period.end.replace(day=min(period.end.day, 28)))
        )
        services.report_progress(
            user,
            period.event,
            status=ProgressStatus.DONE_LATE if late else ProgressStatus.DONE,
            period=period,
            done_on=done_on,
            comment="Выполнено (демо)",
        )
    assert roadmap.status == RoadmapStatus.APPROVED


def load(demo: Demo) -> None:
    """The roadmaps' part of ``opora demo`` (after the region: it needs its logins)."""
    demo.report("roadmaps", "дорожных карт", load_demo_roadmaps(demo.year))


#: The comment that marks the demo's working day (loaded once).
DAY_MARK = "Программа перехода в эффективный режим работы утверждена"


def load_day(demo: Demo) -> None:
    """The demo's working day, after everything else is in place (issue 16): each role signs in
    to something waiting. A school's report on a regional event returned by its curator with a
    comment; another school's report waiting for the region and its curator; a municipal
    roadmap authored in the app and submitted, waiting for approval with its pre-check (this
    year's recommendations, due and overdue, come from ``interviews.demo``). Idempotent."""
    if not ProgressReport.objects.filter(comment__startswith=DAY_MARK).exists():
        _working_day(demo)
    demo.report("roadmaps", "дорожных карт", Roadmap.objects.count())


def _working_day(demo: Demo) -> None:
    regional = (
        Roadmap.objects.filter(level="region", status=RoadmapStatus.APPROVED)
        .order_by("-period_start")
        .first()
    )
    users = {u.username: u for u in User.objects.filter(username__in=DAY_LOGINS)}
    if regional is None or set(users) != set(DAY_LOGINS):
        return
    _school_reports(regional, users)
    _submitted_roadmap(regional, users["tomsk"], demo.year)


DAY_LOGINS = ("school", "school28", "curator", "tomsk")


def _school_event(roadmap: Roadmap, words: str):
    return (
        roadmap.events.filter(executors__role="school", text__icontains=words)
        .order_by("order", "pk")
        .first()
    )


def _school_reports(regional: Roadmap, users: dict) -> None:
    school, school28, curator = users["school"], users["school28"], users["curator"]
    today = timezone.localdate()
    programmes = _school_event(regional, "школьных программ")
    if programmes is not None:
        period = programmes.periods.order_by("end").first()
        report = services.report_progress(
            school,
            programmes,
            status=ProgressStatus.DONE,
            period=period,
            done_on=today - timedelta(days=9),
            comment=f"{DAY_MARK} приказом директора № 47; размещена на сайте школы.",
            school=school.school,
        )
        services.review_report(
            curator,
            report,
            accept=False,
            comment="Приложите приказ об утверждении программы и ссылку на страницу сайта; "
            "в программе нет показателей по ВПР 5–8 классов.",
        )
        services.report_progress(
            school28,
            programmes,
            status=ProgressStatus.DONE,
            period=period,
            done_on=today - timedelta(days=4),
            comment="Программа утверждена педагогическим советом (протокол № 3), "
            "приказ директора № 112.",
            school=school28.school,
        )


def _submitted_roadmap(regional: Roadmap, tomsk, year: int) -> None:
    """Город Томск writes this year's roadmap in the app, from the regional one, and submits it
    (late: the region's pre-check will show it)."""
    from opora.roadmaps import authoring

    roadmap = authoring.create_roadmap(
        tomsk,
        level="municipality",
        title=f"Дорожная карта по работе со школами с низкими образовательными результатами "
        f"и школами, функционирующими в неблагоприятных социальных условиях, "
        f"на {year} год",
        period=(date(year, 1, 1), date(year, 12, 31)),
        municipality=tomsk.municipality,
        owner_name="Департамент образования администрации Города Томска",
        template=regional,
    )
    services.submit_roadmap(tomsk, roadmap)
