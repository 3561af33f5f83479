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
from opora.documents.drafts import Draft, appendix_mark, executor_mark
from opora.documents.models import DocumentKind
from opora.documents.text import strong
from opora.registry.models import Organisation, OrganisationKind
from opora.registry.requisites import place_of, region_centre, signature_of
from opora.roadmaps.models import ExecutorRole, Roadmap, RoadmapEvent, RoadmapLevel

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
        appendix_mark(kind, organisation.name if organisation else ""),
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
    if roadmap.level == RoadmapLevel.REGION:
        place = region_centre()
    else:
        place = place_of(roadmap.municipality or getattr(roadmap.school, "municipality", None))
    draft = Draft(
        kind=kind,
        organisation=heading,
        title=title,
        body=body,
        place=place,
        signer=signature_of(organisation),
        executor=executor_mark(user, organisation.phone if organisation else ""),
    )
    return documents.create_draft(user, draft, source=roadmap)


# ---------------------------------------------------------------- the letter with the tasks

#: Who a roadmap's letter goes to, and which executors' events it lists.
_ADDRESSEES = {
    RoadmapLevel.REGION: (
        "Руководителям органов местного самоуправления, осуществляющих управление в сфере "
        "образования",
        ExecutorRole.MUNICIPAL_AUTHORITY,
    ),
    RoadmapLevel.MUNICIPALITY: (
        "Руководителям общеобразовательных организаций",
        ExecutorRole.SCHOOL,
    ),
}


def _addressed_events(roadmap: Roadmap, role: str) -> list[RoadmapEvent]:
    """The events the addressees carry out (all of them when no executor says so)."""
    events = list(
        roadmap.events.filter(is_cancelled=False)
        .prefetch_related("executors")
        .order_by("section__order", "order")
    )
    theirs = [e for e in events if any(x.role == role for x in e.executors.all())]
    return theirs or events


def tasks_letter(roadmap: Roadmap, user=None) -> Draft:
    """The letter of the seed 001 kind: what the addressees must do this period, each task
    with its deadline («… (июнь – декабрь 2020).»), the roadmap attached."""
    organisation = authority_of(roadmap)
    addressee, role = _ADDRESSEES[roadmap.level]
    sender = organisation.name if organisation else ""
    subject = _genitive_title(roadmap.title or "Дорожная карта")
    lines = [
        strong(addressee),
        "Уважаемые руководители!",
        (f"{sender} направляет" if sender else "Направляем")
        + f" перечень мероприятий {subject} и "
        + ("просит" if sender else "просим")
        + " обеспечить их выполнение в установленные сроки:",
    ]
    for index, event in enumerate(_addressed_events(roadmap, role), start=1):
        text = " ".join(event.text.split()).rstrip(".;")
        when = " ".join(event.deadline_text.split())
        lines.append(f"{index}. {text}{f' ({when})' if when else ''}.")
    lines.append(f"Приложение: {subject} в 1 экз.")
    place = (
        region_centre() if roadmap.level == RoadmapLevel.REGION else place_of(roadmap.municipality)
    )
    return Draft(
        kind=DocumentKind.LETTER,
        organisation=sender,
        place=place,
        title=f"О выполнении мероприятий {subject}",
        body="\n".join(lines),
        signer=signature_of(organisation),
        executor=executor_mark(user, organisation.phone if organisation else ""),
    )


def draft_tasks_letter(user, roadmap: Roadmap):
    """The letter sending the roadmap's tasks to the addressees (a Document sourced from the
    roadmap): opened if one is being edited, else built now — (document, created)."""
    if not user.has_perm("roadmaps.change_roadmap", roadmap):
        raise PermissionDenied("Письмо готовит орган, который ведёт эту карту.")
    if roadmap.level not in _ADDRESSEES:
        raise ValidationError(
            "Письмо с мероприятиями готовится по региональной или муниципальной карте."
        )
    if not roadmap.events.exists():
        raise ValidationError("В карте нет мероприятий: направлять нечего.")
    return documents.open_draft(
        user, lambda: tasks_letter(roadmap, user), kind=DocumentKind.LETTER, source=roadmap
    )
