"""The interview protocol as a draft for the documents layer, in its original shape (seed 000).

The title, the place, the date line, the chairman, participants, secretary, agenda, the
decision table «п/п | Муниципальное образование | Рекомендации в рамках собеседования» with a
row for each date, the assignments; the chairman and the secretary sign. Pure: it reads, the
services save. A user who sees only some municipalities gets an excerpt
(«ВЫПИСКА ИЗ ПРОТОКОЛА») with their rows, made from the same text.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from django.db.models import Prefetch

from opora.core.russian.dates import date_line, row_date
from opora.documents.drafts import DATE_MARK, Draft, executor_mark
from opora.documents.models import DocumentKind
from opora.documents.text import group_row, strong, table_row
from opora.interviews.models import Interview, InterviewProtocol
from opora.recommendations.models import Recommendation
from opora.registry.requisites import regional_authority

EXCERPT_HEADING = "ВЫПИСКА ИЗ ПРОТОКОЛА"
ADDRESSEE = (
    "Руководителям органов местного самоуправления, осуществляющих управление в сфере образования"
)
LETTER_TITLE = (
    "О направлении протокола по итогам собеседования по работе со школами с низкими "
    "образовательными результатами"
)


def _signature_name(text: str) -> str:
    """«Грабцевич И.Б., начальник Департамента…» → «Грабцевич И.Б.»"""
    return text.split(",")[0].strip()


def _title(protocol: InterviewProtocol) -> str:
    """«ПРОТОКОЛ проведения индивидуальных собеседований …» → the words after «ПРОТОКОЛ» (the
    kind is the document's heading)."""
    title = protocol.title.strip()
    head, _, rest = title.partition(" ")
    return rest.strip() if head.upper() == "ПРОТОКОЛ" and rest.strip() else title


def interviews_of(protocol: InterviewProtocol, interviews) -> list[Interview]:
    """The protocol's interviews from ``interviews`` (a scoped queryset), in the protocol's
    order, with their municipalities and recommendations: three queries."""
    return list(
        interviews.filter(protocol=protocol)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("order", "pk"))
        )
        .order_by("date", "order", "pk")
    )


def protocol_draft(protocol: InterviewProtocol, interviews: list[Interview], *, excerpt=False):
    """The protocol (or, with ``excerpt``, the excerpt of the given interviews) as a draft."""
    issuer = regional_authority()
    people = [("Председатель", protocol.chairman), ("Секретарь", protocol.secretary)]
    return Draft(
        kind=DocumentKind.PROTOCOL,
        organisation=issuer.organisation,
        place=protocol.place or issuer.place,
        title=_title(protocol),
        body="\n".join(_body(protocol, interviews, excerpt=excerpt)),
        signer="\n\n".join(
            f"{label}\n{_signature_name(person)}" for label, person in people if person
        ),
    )


def _section(label: str, lines: Sequence[str], numbered: bool = False) -> list[str]:
    lines = [line for line in lines if line]
    if not lines:
        return []
    out = [strong(f"{label}:")]
    for index, line in enumerate(lines, start=1):
        full_stop = "" if line.endswith(".") else "."  # «… Замятина О.М.»
        if numbered:  # the agenda: «1. О результатах … организаций.»
            out.append(f"{index}. {line}{full_stop}")
        else:  # participants: «…;» and the last one «….»
            out.append(f"{line}{';' if index < len(lines) else full_stop}")
    return out


def _body(protocol: InterviewProtocol, interviews: list[Interview], *, excerpt: bool):
    dates = sorted({i.date for i in protocol.interviews.all()})
    lines = [date_line(dates)] if dates else []
    lines += _section("Председатель", [protocol.chairman])
    lines += _section("Участники", list(protocol.participants or []))
    lines += _section("Секретарь", [protocol.secretary])
    lines += _section("Повестка", list(protocol.agenda or []), numbered=True)
    lines += [strong("Решение:"), *_decision_table(interviews)]
    if not excerpt:
        lines += _assignments(protocol)
    return lines


def _decision_table(interviews: list[Interview]) -> list[str]:
    rows = [table_row("п/п", "Муниципальное образование", "Рекомендации в рамках собеседования")]
    current = None
    for number, interview in enumerate(interviews, start=1):
        if interview.date != current:
            current = interview.date
            rows.append(group_row(row_date(current)))
        items = [r.text for r in interview.recommendations.all()]
        lines = [f"- {text}{'.' if i == len(items) else ';'}" for i, text in enumerate(items, 1)]
        rows.append(table_row(str(number), interview.municipality.name, "\n".join(lines)))
    return rows


def _assignments(protocol: InterviewProtocol) -> list[str]:
    by_addressee: OrderedDict[str, list] = OrderedDict()
    for assignment in protocol.assignments.all():
        by_addressee.setdefault(assignment.addressee, []).append(assignment)
    lines = []
    for addressee, assignments in by_addressee.items():
        lines.append(strong(f"Поручения {addressee}:"))
        for index, assignment in enumerate(assignments, start=1):
            text = assignment.text.rstrip(" .;")
            end = ":" if assignment.items and not text.endswith(":") else ""
            lines.append(f"{index}. {text}{end or ('' if text.endswith(':') else '.')}")
            last = len(assignment.items)
            lines += [
                f"- {item}{'.' if i == last else ';'}" for i, item in enumerate(assignment.items, 1)
            ]
    return lines


# ---------------------------------------------------------------- the letter and the excerpt


def cover_letter(protocol: InterviewProtocol, user=None) -> Draft:
    """The letter that sends the protocol to the municipalities (seed 000): «Уважаемые
    руководители! Департамент … направляет копию протокола … для учёта в работе.», the due
    date of the revised roadmaps, the attachment mark; signed by the head of the department,
    the executor's mark with a phone."""
    issuer = regional_authority()
    sender = issuer.full_name or "Департамент"
    lines = [
        strong(f"{ADDRESSEE}"),
        "Уважаемые руководители!",
        f"{sender} направляет копию протокола {_lower_first(_title(protocol)).rstrip('.')} "
        "для учёта в работе.",
    ]
    if protocol.revision_due:
        lines.append(
            "Доработанные муниципальные дорожные карты с учётом рекомендаций просим "
            f"представить в срок до {row_date(protocol.revision_due)}."
        )
    lines.append(
        f"Приложение: копия протокола {_lower_first(_title(protocol)).rstrip('.')} в 1 экз."
    )
    return Draft(
        kind=DocumentKind.LETTER,
        organisation=issuer.organisation,
        place=issuer.place,
        title=LETTER_TITLE,
        body="\n".join(lines),
        signer=issuer.signer,
        executor=executor_mark(user, issuer.phone),
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def certified_excerpt(protocol: InterviewProtocol, interview: Interview) -> Draft:
    """The excerpt of the protocol for one municipality, certified «Верно» by the secretary
    with the date of the certification (given when the excerpt is fixed)."""
    draft = protocol_draft(protocol, [interview], excerpt=True)
    certifier = _signature_name(protocol.secretary) if protocol.secretary else ""
    certification = f"Верно\nСекретарь\n{certifier}" if certifier else "Верно\n"
    draft.kind = DocumentKind.EXCERPT
    draft.signer = "\n\n".join(p for p in (draft.signer, certification, DATE_MARK) if p)
    return draft
