"""Periods and dates that are no such thing are refused in Russian, never reinterpreted
(issue 9): a period of «-1» or 10^20 years, «2020-2999», 31.02.2024, a report of 31.12.9999."""

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from opora.roadmaps import services
from opora.roadmaps.models import ProgressReport, Roadmap, RoadmapEvent, RoadmapStatus
from opora.roadmaps.periods import PeriodError, parse_period, read_period

BAD_PERIODS = ["-1", "100000000000000000000", "2020-2999", "2021-2020", "1999", "2101", "двадцать"]
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- the period a user types -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, period",
    [
        ("2023", (date(2023, 1, 1), date(2023, 12, 31))),
        ("2020-2021", (date(2020, 1, 1), date(2020 + 1, 12, 31))),
        (" 2020 – 21 гг. ", (date(2020, 1, 1), date(2021, 12, 31))),
        ("2020-2030", (date(2020, 1, 1), date(2030, 12, 31))),
        ("", None),
    ],
)
def test_a_typed_period_is_read(text, period):
    assert read_period(text) == period


@pytest.mark.parametrize("text", BAD_PERIODS)
def test_a_typed_period_that_is_none_is_refused_in_russian(text):
    with pytest.raises(PeriodError, match="Период"):
        read_period(text)


def test_a_title_with_a_nonsense_range_gives_no_period_rather_than_a_guess():
    assert parse_period("Дорожная карта на 2020-2999 годы") is None  # was 2020–2029
    assert parse_period("Дорожная карта на 2020 - 2021 год") == (
        date(2020, 1, 1),
        date(2021, 12, 31),
    )


@pytest.mark.parametrize("text", ["-1", "100000000000000000000", "2020-2999"])
def test_the_import_form_refuses_a_bad_period(client, world, samples_dir, text):
    client.force_login(world.users.region)
    response = client.post(
        reverse("roadmaps:import"),
        {
            "file": SimpleUploadedFile(
                "карта.docx", (samples_dir / "003_region_roadmap_2023.docx").read_bytes()
            ),
            "level": "region",
            "period": text,
        },
    )
    assert response.status_code == 200
    assert response.context["preview"] is None
    assert response.context["form"].errors["period"]  # «Период … не понят», «не более 20 символов»
    assert "roadmap_import" not in client.session


@pytest.mark.parametrize("text", BAD_PERIODS)
def test_import_roadmap_refuses_a_bad_period(world, samples_dir, text):
    before = Roadmap.objects.count()
    with pytest.raises(CommandError, match="--period: Период"):
        call_command(
            "import-roadmap",
            str(samples_dir / "003_region_roadmap_2023.docx"),
            "--level=region",
            "--owner=ДОО ТО",
            f"--period={text}",
        )
    assert Roadmap.objects.count() == before


@pytest.mark.parametrize("year", ["-1", "100000000000000000000", "0", "2999"])
def test_deadline_refuses_a_bad_year(year):
    with pytest.raises(CommandError, match="--period: Год"):
        call_command("deadline", "март", f"--period={year}")


def test_deadline_on_the_command_line_exits_1_with_a_message_not_a_traceback():
    done = subprocess.run(
        [sys.executable, "manage.py", "deadline", "март", "--period", "-1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Год -1 вне допустимых 2000–2100" in done.stderr
    assert "Traceback" not in done.stderr


# --- dates in the roadmap forms ----------------------------------------------------------------


def _event(world, status=RoadmapStatus.APPROVED):
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Карта на 2026 год",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        status=status,
    )
    event = RoadmapEvent.objects.create(roadmap=roadmap, number="1.", text="Совещание")
    return roadmap, event


@pytest.mark.parametrize(
    "done_on, message",
    [
        ("9999-12-31", "в далёком будущем"),
        ("31.02.2024", "Введите правильную дату"),
        ("1900-01-01", "раньше 2000 года"),
    ],
)
def test_a_report_with_an_impossible_date_is_refused(client, world, done_on, message):
    roadmap, event = _event(world)
    client.force_login(world.users.municipal)
    page = client.post(
        reverse("roadmaps:event_report", args=[event.pk]),
        {"status": "done", "done_on": done_on, "comment": "Проведено"},
        follow=True,
    )
    text = " ".join(str(m) for m in page.context["messages"])
    assert message in text and "Отчёт сохранён" not in text
    assert not ProgressReport.objects.filter(event=event).exists()


def test_the_report_service_refuses_a_far_future_date(world):
    _, event = _event(world)
    with pytest.raises(ValidationError, match="Дата отчёта 31.12.9999 — в далёком будущем"):
        services.report_progress(
            world.users.municipal, event, status="done", done_on=date(9999, 12, 31)
        )


@pytest.mark.parametrize(
    "day, message",
    [
        ("31.02.2024", "Введите правильную дату"),
        ("9999-12-31", "Дата документа позже сегодняшней"),
        # A slip of the year: an order of «15.01.2027» approved in December 2026.
        ((date.today() + timedelta(days=40)).isoformat(), "Дата документа позже сегодняшней"),
    ],
)
def test_an_approval_with_an_impossible_date_is_refused(client, world, day, message):
    roadmap, _ = _event(world, status=RoadmapStatus.SUBMITTED)
    client.force_login(world.users.region)
    page = client.post(
        reverse("roadmaps:transition", args=[roadmap.pk, "approve"]),
        {"kind": "приказ", "number": "12", "day": day},
        follow=True,
    )
    assert message in " ".join(str(m) for m in page.context["messages"])
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.SUBMITTED and roadmap.approval_date is None


@pytest.mark.parametrize("years", ["-1", "100000000000000000000", "0", "abc"])
def test_a_copy_with_a_bad_shift_is_refused_not_made_for_next_year(client, world, years):
    roadmap, _ = _event(world)
    client.force_login(world.users.municipal)
    before = Roadmap.objects.count()
    page = client.post(
        reverse("roadmaps:transition", args=[roadmap.pk, "copy"]), {"years": years}, follow=True
    )
    assert "Сдвиг периода — целое число лет от 1 до 5." in [
        str(m) for m in page.context["messages"]
    ]
    assert Roadmap.objects.count() == before
    for bad in (-1, 0, 75, 10**20):
        with pytest.raises(ValidationError, match="Сдвиг периода"):
            services.copy_roadmap(world.users.municipal, roadmap, years=bad)
    assert Roadmap.objects.count() == before
