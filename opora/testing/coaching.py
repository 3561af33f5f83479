"""Builders of the coaching tests that other tests need too: a school's approved programme with
one event, and the school's progress report on it (the subject of a coaching thread)."""

from __future__ import annotations

from datetime import date

from opora.roadmaps import services as roadmaps
from opora.roadmaps.models import ProgressStatus, Roadmap, RoadmapSection, RoadmapStatus


def school_programme_event(world):
    """An approved programme of the home school with one event (built with the ORM)."""
    programme = Roadmap.objects.create(
        level="school",
        school=world.home_school,
        title="Программа повышения качества образования",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    section = RoadmapSection.objects.create(roadmap=programme, order=0, title="Кадры")
    event = roadmaps.add_event(
        world.users.school,
        programme,
        section,
        number="1.",
        text="Методический семинар для учителей математики",
        deadline_text="октябрь 2026",
        executors_text="заместитель директора по УР",
    )
    Roadmap.objects.filter(pk=programme.pk).update(status=RoadmapStatus.APPROVED)
    event.roadmap.refresh_from_db()
    return event


def school_report(world, event, text="Семинар проведён, 14 учителей"):
    """The school's report that the event is done."""
    return roadmaps.report_progress(
        world.users.school,
        event,
        status=ProgressStatus.DONE,
        done_on=date(2026, 10, 15),
        comment=text,
    )
