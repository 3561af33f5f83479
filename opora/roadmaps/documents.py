"""The order approving a roadmap, with the roadmap as its appendix (seeds 002 and 003).

A draft for the documents layer: the municipality's order is a «приказ» of its education
authority («ПРИКАЗЫВАЮ: 1. Утвердить дорожную карту … согласно приложению к настоящему
приказу»), the region's a «распоряжение» of the department. The authority's full name comes
from the registry (its organisation of the right kind), never from the code; the appendix mark
names the order's number and date, filled in when the document is fixed.

Example (seed 002): «О работе со школами … Каргасокского района» / «1. Утвердить дорожную карту
комплекса мероприятий … согласно приложению к настоящему приказу.» / «Приложение к приказу
Управления образования, опеки и попечительства … от 08.06.2020 № 353» / the table of events.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from opora.core.russian.inflect import inflect_phrase
from opora.documents import services as documents
from opora.documents.drafts import Draft
from opora.documents.models import DocumentKind
from opora.documents.services import DATE_MARK, NUMBER_MARK
from opora.registry.models import Organisation, OrganisationKind
from opora.roadmaps.models import Roadmap, RoadmapLevel

_DATIVE = {DocumentKind.DECREE: "приказу", DocumentKind.ORDER: "распоряжению"}
_GENITIVE = {DocumentKind.DECREE: "приказа", DocumentKind.ORDER: "распоряжения"}


def authority_of(roadmap: Roadmap) -> Organisation | None:
    """The body that approves the roadmap, from the registry: the region's education
    department, the municipality's education authority, or None for a school's roadmap."""
    if roadmap.level == RoadmapLevel.REGION:
        return Organisation.objects.filter(
            kind=OrganisationKind.REGIONAL_AUTHORITY, municipality__isnull=True
        ).first()
    if roadmap.level == RoadmapLevel.MUNICIPALITY:
        return Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPAL_AUTHORITY, municipality=roadmap.municipality
        ).first()
    return None


def _genitive_title(title: str) -> str:
    """«Дорожная карта комплекса мероприятий …» → «дорожной карты комплекса мероприятий …»."""
    phrase = inflect_phrase(" ".join(title.split()), "gent")
    return phrase[:1].lower() + phrase[1:] if phrase[1:2].islower() else phrase


def _cell(text: str) -> str:
    return " ".join((text or "").replace("|", "/").split()) or "—"


def approval_text(
    roadmap: Roadmap, kind: str, organisation: Organisation | None
) -> tuple[str, str]:
    """(title, body) of the approval order; the appendix is the roadmap's table of events."""
    subject = _genitive_title(roadmap.title or "Дорожная карта")
    where = ""
    if roadmap.municipality_id:
        where = f" на территории {inflect_phrase(roadmap.municipality.name, 'gent')}"
    order_dat, order_gen = _DATIVE[kind], _GENITIVE[kind]
    lines = [
        "В целях организации адресной поддержки школ с низкими образовательными результатами "
        f"обучающихся и школ, функционирующих в неблагоприятных социальных условиях{where},",
    ]
    if kind == DocumentKind.DECREE:
        lines.append("ПРИКАЗЫВАЮ:")
    lines += [
        f"1. Утвердить {subject} (далее – дорожная карта) согласно приложению к настоящему "
        f"{order_dat}.",
        "2. Исполнителям мероприятий дорожной карты обеспечить их выполнение в установленные "
        "сроки и представлять отчёты о выполнении в системе «Опора».",
        f"3. Контроль за исполнением настоящего {order_gen} оставляю за собой.",
        "",
        f"Приложение к {order_dat} "
        + (f"{inflect_phrase(organisation.name, 'gent')} " if organisation else "")
        + f"от {DATE_MARK} № {NUMBER_MARK}",
        roadmap.title,
        "| № | Мероприятие | Сроки | Ответственные |",
    ]
    for section in roadmap.sections.prefetch_related("events").order_by("order"):
        if section.title:
            lines.append(f"| {_cell(section.title)} | | | |")
        for event in section.events.order_by("order"):
            lines.append(
                f"| {_cell(event.number)} | {_cell(event.text)} | "
                f"{_cell(event.deadline_text)} | {_cell(event.executors_text)} |"
            )
    return f"Об утверждении {subject}", "\n".join(lines)


def create_approval_order(user, roadmap: Roadmap):
    """A draft order approving ``roadmap`` (a Document sourced from it), to edit and fix."""
    if not user.has_perm("roadmaps.change_roadmap", roadmap):
        raise PermissionDenied("Приказ об утверждении готовит орган, который ведёт эту карту.")
    if not roadmap.events.exists():
        raise ValidationError("В карте нет мероприятий: утверждать нечего.")
    organisation = authority_of(roadmap)
    if organisation is None and roadmap.level != RoadmapLevel.SCHOOL:
        raise ValidationError(
            "В реестре нет органа управления образованием, который утверждает эту карту: "
            "добавьте его в «Реестр → Организации и сокращения»."
        )
    kind = DocumentKind.ORDER if roadmap.level == RoadmapLevel.REGION else DocumentKind.DECREE
    heading = organisation.name if organisation else roadmap.school.full_name
    title, body = approval_text(roadmap, kind, organisation)
    draft = Draft(kind=kind, organisation=heading, title=title, body=body)
    return documents.create_draft(user, draft, source=roadmap)
