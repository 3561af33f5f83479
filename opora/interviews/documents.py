"""The interview protocol in Word, in its original shape (seed 000)."""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Sequence

from django.db.models import (
    Prefetch,
)

from opora.core.russian.dates import date_line, row_date
from opora.interviews.models import InterviewProtocol, ProtocolAssignment
from opora.interviews.selectors import interviews_for
from opora.recommendations.models import (
    Recommendation,
)


def _signature_name(text: str) -> str:
    """«Грабцевич И.Б., начальник Департамента…» → «Грабцевич И.Б.»"""
    return text.split(",")[0].strip()


def protocol_docx(protocol: InterviewProtocol, user) -> bytes:
    """The protocol in Word, as the region writes it (seed 000): title, place, date line,
    chairman, participants, secretary, agenda, the table «п/п | Муниципальное образование |
    Рекомендации в рамках собеседования» with merged date rows, then the assignments.

    A user who sees only some municipalities gets «Выписка из протокола» with their rows.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from opora.documents import docx_style as ds

    interviews = list(
        interviews_for(user)
        .filter(protocol=protocol)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("order", "pk"))
        )
        .order_by("date", "order", "pk")
    )
    excerpt = interviews_for(user).filter(protocol=protocol).count() != (
        protocol.interviews.count()
    )
    doc = ds.new_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    if excerpt:
        ds.add_paragraph(doc, "Выписка из протокола", bold=True, align=center)
    title = protocol.title.strip()
    head, _, rest = title.partition(" ")
    if head.upper() == "ПРОТОКОЛ":
        ds.add_paragraph(doc, "ПРОТОКОЛ", bold=True, align=center)
        if rest:
            ds.add_paragraph(doc, rest, bold=True, align=center, space_after_pt=12)
    else:
        ds.add_paragraph(doc, title, bold=True, align=center, space_after_pt=12)
    dates = sorted({i.date for i in protocol.interviews.all()})
    if protocol.place:
        ds.add_paragraph(doc, protocol.place, align=WD_ALIGN_PARAGRAPH.LEFT)
    if dates:
        ds.add_paragraph(doc, date_line(dates), align=WD_ALIGN_PARAGRAPH.LEFT, space_after_pt=12)

    def section(label: str, lines: Sequence[str], numbered: bool = False) -> None:
        lines = [line for line in lines if line]
        if not lines:
            return
        ds.add_paragraph(doc, f"{label}:", bold=True)
        for index, line in enumerate(lines, start=1):
            full_stop = "" if line.endswith(".") else "."  # «… Замятина О.М.»
            if numbered:  # the agenda: «1. О результатах … организаций.»
                text = f"{index}. {line}{full_stop}"
            else:  # participants: «…;» and the last one «….»
                text = f"{line}{';' if index < len(lines) else full_stop}"
            ds.add_paragraph(doc, text)
        doc.paragraphs[-1].paragraph_format.space_after = Pt(6)

    section("Председатель", [protocol.chairman])
    section("Участники", list(protocol.participants or []))
    section("Секретарь", [protocol.secretary])
    section("Повестка", list(protocol.agenda or []), numbered=True)
    ds.add_paragraph(doc, "Решение:", bold=True, space_after_pt=6)

    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    header = table.rows[0].cells
    for cell, text in zip(
        header,
        ("п/п", "Муниципальное образование", "Рекомендации в рамках собеседования"),
        strict=True,
    ):
        ds.set_cell_text(cell, text, bold=True, align=center)
    ds.repeat_header(table.rows[0])
    current = None
    for number, interview in enumerate(interviews, start=1):
        if interview.date != current:
            current = interview.date
            ds.merged_row(table, row_date(current), bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        cells = table.add_row().cells
        ds.set_cell_text(cells[0], str(number), align=center)
        ds.set_cell_text(cells[1], interview.municipality.name)
        items = [r.text for r in interview.recommendations.all()]
        lines = [
            f"- {text}{'.' if index == len(items) else ';'}"
            for index, text in enumerate(items, start=1)
        ]
        ds.set_cell_text(cells[2], "\n".join(lines))
    ds.set_col_widths(table, [12, 50, ds.text_width_mm(doc) - 62])
    ds.set_table_font(table)

    assignments = list(protocol.assignments.all()) if not excerpt else []
    by_addressee: OrderedDict[str, list[ProtocolAssignment]] = OrderedDict()
    for assignment in assignments:
        by_addressee.setdefault(assignment.addressee, []).append(assignment)
    for addressee, items in by_addressee.items():
        ds.add_paragraph(doc, "")
        ds.add_paragraph(doc, f"Поручения {addressee}:", bold=True)
        for index, assignment in enumerate(items, start=1):
            text = assignment.text.rstrip(" .;")
            end = ":" if assignment.items and not text.endswith(":") else ""
            end = end or ("" if text.endswith(":") else ".")
            ds.add_paragraph(doc, f"{index}. {text}{end}")
            for position, item in enumerate(assignment.items, start=1):
                mark = "." if position == len(assignment.items) else ";"
                ds.add_paragraph(doc, f"- {item}{mark}")

    ds.add_paragraph(doc, "")
    for label, person in (("Председатель", protocol.chairman), ("Секретарь", protocol.secretary)):
        if person:
            ds.add_paragraph(doc, f"{label}:", align=WD_ALIGN_PARAGRAPH.LEFT)
            ds.add_paragraph(
                doc,
                f"_____________ /{_signature_name(person)}/",
                align=WD_ALIGN_PARAGRAPH.LEFT,
                space_after_pt=12,
            )
    ds.add_page_numbers(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
