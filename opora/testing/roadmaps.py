"""Builders of the roadmaps tests that other tests need too: a municipal roadmap with one event,
a regional event addressed to the schools, a report posted through the page (with a PDF), a Word roadmap whose header nobody can read;
a regional roadmap built with the ORM and its sections as stored and as read back (exports)."""

from __future__ import annotations

import io
from datetime import date

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.roadmaps import services
from opora.roadmaps.models import (
    EventExecutor,
    ExecutorRole,
    ProgressStatus,
    Roadmap,
    RoadmapEvent,
    RoadmapIndicator,
    RoadmapSection,
    RoadmapStatus,
)
from opora.roadmaps.table_reader import ParsedRoadmap

MULTILINE_TEXT = (
    "Проведение совещаний с руководителями ОО:\n"
    "- «Современные оценочные процедуры»;\n"
    "- «Работа с результатами ВПР»."
)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def municipal_roadmap(world, deadline="ежемесячно", status=RoadmapStatus.DRAFT):
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Дорожная карта Каргасокского района на 2026 год",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    section = RoadmapSection.objects.create(roadmap=roadmap, order=0, title="Организация")
    event = services.add_event(
        world.users.municipal,
        roadmap,
        section,
        number="1.",
        text="Совещание с руководителями школ",
        deadline_text=deadline,
        executors_text="УООиП, кураторы",
    )
    if status != RoadmapStatus.DRAFT:
        Roadmap.objects.filter(pk=roadmap.pk).update(status=status)
        roadmap.refresh_from_db()
    return roadmap, event


def regional_school_event(
    number="11.", text="Разработка школьных программ", *, written="ОО", **fields
) -> RoadmapEvent:
    """An event of an approved regional roadmap (in force to 2099) addressed to the schools
    (``written`` as the file names them; ``fields``: the event's other columns)."""
    roadmap = Roadmap.objects.create(
        level="region",
        owner_name="ДОО ТО",
        title="Региональная дорожная карта на 2026 год",
        period_start=date(2026, 1, 1),
        period_end=date(2099, 12, 31),
        status=RoadmapStatus.APPROVED,
    )
    event = RoadmapEvent.objects.create(roadmap=roadmap, number=number, text=text, **fields)
    EventExecutor.objects.create(event=event, written=written, role=ExecutorRole.SCHOOL)
    return event


def post_report(client, event, period, **changes):
    data = {
        "period": period.pk,
        "status": ProgressStatus.DONE,
        "done_on": "2026-03-20",
        "comment": "Совещание проведено, протокол приложен",
        "files": SimpleUploadedFile("протокол.pdf", PDF, "application/pdf"),
        "links": "https://kargasok.example.ru/news/1",
        **changes,
    }
    return client.post(reverse("roadmaps:event_report", args=[event.pk]), data, follow=True)


#: A header nobody could read by meaning: the user has to say which column is which.
ODD_HEADER = ("Шифр", "Суть дела", "Окно", "Люди")
MINISTRY = "Министерство просвещения и воспитания области (далее – Министерство)"


def odd_roadmap(header=ODD_HEADER, order=(0, 1, 2, 3)) -> bytes:
    rows = [
        header,
        ("1", "Совещание с директорами школ", "март 2024", "Отдел образования"),
        ("2", "Семинар для учителей математики", "апрель 2024", MINISTRY),
        ("3", "Мониторинг результатов ВПР", "май 2024", f"{MINISTRY}, ОО"),
    ]
    document = docx.Document()
    document.add_paragraph("План работы со школами на 2024 год")
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, source in enumerate(order):
            table.cell(r, c).text = row[source]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- building roadmaps with the ORM -------------------------------------------------------------


def build_roadmap(events: int = 4, **fields) -> Roadmap:
    """A regional roadmap for 2023: 2 sections, ``events`` events (one unnumbered, one with
    several lines of text), an indicator with target and actual values."""
    roadmap = Roadmap.objects.create(
        level="region",
        owner_name="ДОО ТО",
        title="Дорожная карта по работе со школами с низкими результатами на 2023 год",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        goal="Повышение качества образования в школах с низкими результатами.",
        tasks=["Методическая поддержка школ.", "Мониторинг школьных программ."],
        has_indicator_column=True,
        has_evidence_column=True,
        **fields,
    )
    RoadmapIndicator.objects.create(
        roadmap=roadmap,
        text="Доля школ, разработавших программы перехода в эффективный режим",
        target_value="100 %",
        actual_value="85 %",
    )
    first = RoadmapSection.objects.create(
        roadmap=roadmap, order=1, title="Организационно-управленческая деятельность"
    )
    second = RoadmapSection.objects.create(
        roadmap=roadmap, order=2, title="Аналитическая деятельность"
    )
    rows = [
        (first, "1.", "Разработка критериев экспертизы муниципальных программ", "Март 2023г.",
         "ТОИПКРО", "Разработаны критерии", "Приказ ТОИПКРО"),
        (first, "2.", MULTILINE_TEXT, "Ежемесячно", "ТОИПКРО, МОУО",
         "Проведено 12 совещаний", "Письмо ТОИПКРО\nСписок участников"),
        (first, "", "Участие в тренингах для педагогических коллективов",
         "По отдельному графику", "РМО, ОО, ТОИПКРО", "", ""),
    ]  # fmt: skip
    for index in range(3, events):
        rows.append(
            (second, f"{index}.", f"Анализ результатов мониторинга № {index}", "Декабрь 2023г.",
             "ТОИПКРО, кураторы ШНОР", "Сформирована аналитическая справка", "")
        )  # fmt: skip
    for order, (section, number, text, deadline, executors, indicator, evidence) in enumerate(
        rows, start=1
    ):
        RoadmapEvent.objects.create(
            roadmap=roadmap,
            section=section,
            order=order,
            number=number,
            text=text,
            deadline_text=deadline,
            executors_text=executors,
            indicator_text=indicator,
            evidence_text=evidence,
        )
    return roadmap


def roadmap_from_parsed(parsed: ParsedRoadmap, **fields) -> Roadmap:
    """Save what the reader found, as the import will (without its parsing of deadlines)."""
    roadmap = Roadmap.objects.create(
        level="region",
        title=parsed.title,
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        goal=parsed.goal,
        tasks=parsed.tasks,
        has_indicator_column="indicator" in parsed.columns,
        has_evidence_column="evidence" in parsed.columns,
        **fields,
    )
    for order, text in enumerate(parsed.indicators):
        RoadmapIndicator.objects.create(roadmap=roadmap, order=order, text=text)
    order = 0
    for section_order, parsed_section in enumerate(parsed.sections):
        section = RoadmapSection.objects.create(
            roadmap=roadmap, order=section_order, title=parsed_section.title
        )
        for event in parsed_section.events:
            order += 1
            RoadmapEvent.objects.create(
                roadmap=roadmap,
                section=section,
                order=order,
                number=event.number,
                text=event.text,
                deadline_text=event.deadline_text,
                executors_text=event.executors_text,
                indicator_text=event.indicator_text,
                evidence_text=event.evidence_text,
            )
    return roadmap


EVENT_FIELDS = (
    "number", "text", "deadline_text", "executors_text", "indicator_text", "evidence_text",
)  # fmt: skip


def event_fields(event) -> tuple[str, ...]:
    """What must survive a round trip: the same attributes on RoadmapEvent and ParsedEvent."""
    return tuple(getattr(event, name) for name in EVENT_FIELDS)


def stored(roadmap: Roadmap) -> list[tuple[str, list[tuple[str, ...]]]]:
    return [
        (
            section.title,
            [event_fields(e) for e in section.events.order_by("order")],
        )
        for section in roadmap.sections.order_by("order")
    ]


def read_back(parsed: ParsedRoadmap) -> list[tuple[str, list[tuple[str, ...]]]]:
    return [
        (
            section.title,
            [event_fields(e) for e in section.events],
        )
        for section in parsed.sections
    ]
