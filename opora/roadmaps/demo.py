"""Demo roadmaps: the two real ones of the seeds, and this year's regional one with progress."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from django.utils import timezone

from opora.accounts.models import User
from opora.core.contributions import Demo
from opora.registry.models import Municipality
from opora.roadmaps import services
from opora.roadmaps.models import EventPeriod, ProgressStatus, Roadmap, RoadmapStatus
from opora.roadmaps.table_reader import read_roadmap

FILES = Path(__file__).resolve().parent / "demo_files"


def load_demo_roadmaps(year: int) -> int:
    """Import the seed roadmaps once; returns how many roadmaps the demo has."""
    if Roadmap.objects.exists():
        return Roadmap.objects.count()
    region = User.objects.get(username="region")
    kargasok_user = User.objects.get(username="kargasok")
    kargasok = Municipality.objects.get(name="Каргасокский район")

    regional_2023 = services.import_roadmap(
        region,
        read_roadmap(FILES / "003_region_roadmap_2023.docx"),
        level="region",
        title="",
        owner_name="ДОО ТО",
        period=(date(2023, 1, 1), date(2023, 12, 31)),
        source_name="003_region_roadmap_2023.docx",
    )
    services.approve_roadmap(
        region, regional_2023, kind="распоряжение ДОО ТО", number="352-р", day=date(2023, 3, 13)
    )
    _progress(regional_2023, region, done_share=0.9)

    municipal = services.import_roadmap(
        kargasok_user,
        read_roadmap(FILES / "002_kargasok_roadmap_2020.docx"),
        level="municipality",
        title="",
        municipality=kargasok,
        period=(date(2020, 1, 1), date(2021, 12, 31)),
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
    return Roadmap.objects.count()


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
