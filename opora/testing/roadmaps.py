"""Builders of the roadmaps tests that other tests need too: a municipal roadmap with one event,
a report posted through the page (with a PDF), a Word roadmap whose header nobody can read."""

from __future__ import annotations

import io
from datetime import date

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.roadmaps import services
from opora.roadmaps.models import ProgressStatus, Roadmap, RoadmapSection, RoadmapStatus

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
