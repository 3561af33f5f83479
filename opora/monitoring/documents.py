"""The order on the results of a monitoring campaign, written as seed 004 writes it.

For each section of the checklist one paragraph groups the schools by what they did, with
each school's details in brackets::

    2. Проводятся дополнительные занятия и консультации (представлены графики) с обучающимися
    с низким уровнем подготовки в ООУ № 5 (для 2-9 классов), 11 (для обучающихся 5-9 классов),
    28 (…), 38 (…), 41 (…), 44 (…). В МБОУ ООШ № 66 ведутся только курсы внеурочной
    деятельности.

then the instructions to the schools that lack an item (suggested from the item's instruction,
chosen and edited by the municipality), their deadline, the report clause and the control
clause. The text becomes a draft :class:`~opora.documents.models.Document`, edited and then
fixed with a number and a date (:mod:`opora.documents.services`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from opora.core.russian.dates import short_date
from opora.core.russian.inflect import approved, inflect_phrase
from opora.documents.drafts import Draft
from opora.documents.models import DocumentKind
from opora.documents.render import kind_genitive
from opora.monitoring.checklist import item_labels
from opora.monitoring.links import LINK_BROKEN, LINK_OK
from opora.monitoring.models import (
    Answer,
    CampaignSchool,
    ChecklistAnswer,
    ChecklistItem,
    FindingLayout,
    MonitoringCampaign,
    SheetStatus,
)
from opora.monitoring.selectors import template_items
from opora.registry.models import School
from opora.registry.requisites import municipal_authority

LEGAL_BASE_KEY = "legal-base"
LEGAL_BASE_INSTRUCTION = (
    "Привести локальные акты в соответствие с действующей нормативно-правовой базой"
)
ADDRESSEES = "Руководителям общеобразовательных учреждений:"
DEFAULT_TITLE = (
    "О результатах анализа мониторинга выполнения программы повышения качества образования "
    "в школах с низкими результатами обучения и/или в школах, функционирующих в "
    "неблагоприятных социальных условиях на территории {territory}"
)

# ---------------------------------------------------------------- naming schools


_NUMBERED = re.compile(r"^(.*?)\s*№\s*(\d+)")


def school_number(school: School) -> int | None:
    if school.number:
        return school.number
    match = _NUMBERED.match(school.short_name or "")
    return int(match.group(2)) if match else None


def designation(school: School) -> str:
    """«МАОУ СОШ № 5 имени А.К. Ерохина» → «МАОУ СОШ № 5»: the name up to its number."""
    match = _NUMBERED.match(school.short_name or "")
    if match and match.group(1):
        return f"{match.group(1).strip()} № {match.group(2)}"
    return school.short_name


def _prefix(school: School) -> str:
    match = _NUMBERED.match(school.short_name or "")
    return match.group(1).strip() if match and match.group(1) else ""


def _kind_abbreviation(school: School) -> str:
    label = school.get_kind_display()
    return label if label.isupper() else "ООУ"


def _sorted(entries):
    """Numbered schools by number, then the others by name."""
    return sorted(
        entries,
        key=lambda e: (school_number(e[0]) is None, school_number(e[0]) or 0, e[0].short_name),
    )


def school_group(entries: Iterable[tuple[School, str]]) -> str:
    """Schools as the findings name them: «ООУ № 5 (для 2-9 классов), 11, 28»; one school by
    its kind: «СОШ № 5»; schools without a number by their name."""
    entries = _sorted(entries)
    numbered = [(s, n) for s, n in entries if school_number(s) is not None]
    others = [(s, n) for s, n in entries if school_number(s) is None]
    parts = []
    if numbered:
        head = _kind_abbreviation(numbered[0][0]) if len(numbered) == 1 else "ООУ"
        numbers = [f"{school_number(s)}{f' ({n})' if n else ''}" for s, n in numbered]
        parts.append(f"{head} № " + ", ".join(numbers))
    parts += [f"{s.short_name}{f' ({n})' if n else ''}" for s, n in others]
    return ", ".join(parts)


def school_names(schools: Iterable[School]) -> str:
    """Schools as instructions address them: «МАОУ СОШ № 5, 11, МАОУ ООШ № 38, МБОУ ООШ № 66»."""
    groups: dict[str, list[str]] = {}
    others = []
    for school, _ in _sorted((s, "") for s in schools):
        number = school_number(school)
        prefix = _prefix(school)
        if number is None or not prefix:
            others.append(school.short_name)
            continue
        groups.setdefault(prefix, []).append(str(number))
    parts = [f"{prefix} № {', '.join(numbers)}" for prefix, numbers in groups.items()]
    return ", ".join(parts + others)


def numbers_only(schools: Iterable[School]) -> str:
    """«5, 11, 28, 41, 66» (schools without a number by name) — seed 004, finding 9."""
    entries = _sorted((s, "") for s in schools)
    return ", ".join(str(school_number(s) or s.short_name) for s, _ in entries)


# ---------------------------------------------------------------- details


def _grades_phrase(text: str) -> str:
    """A bare «5-9» becomes «для 5-9 классов»; what the school wrote out stays as written."""
    if re.fullmatch(r"[\d\s,\-–—х]+", text):
        return f"для {text.strip()} классов"
    return text


def _date(value: str) -> str:
    try:
        return short_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value or "")


def bracket_note(details: dict) -> str:
    """What goes in brackets after a school's number: grades, forms, documents, text."""
    parts = []
    if details.get("grades"):
        parts.append(_grades_phrase(details["grades"]))
    if details.get("forms"):
        parts.append(", ".join(details["forms"]))
    for document in details.get("document_date") or []:
        parts.append(f"{document.get('title', 'документ')} от {_date(document.get('date'))}")
    if details.get("text"):
        parts.append(details["text"].rstrip(". "))
    if details.get("legal_base"):
        parts.append("указана не действующая нормативно-правовая база")
    return "; ".join(p for p in parts if p)


def _links_note(entries: list[tuple[School, dict]]) -> str:
    """« (все ссылки активны)» when every link of the group opened when checked."""
    links = [(s, link) for s, d in entries for link in d.get("links") or []]
    if not links:
        return ""
    broken = {s.pk: s for s, link in links if link.get("status") == LINK_BROKEN}
    if broken:
        return f" (не открываются ссылки в {school_group((s, '') for s in broken.values())})"
    if all(link.get("status") == LINK_OK for _, link in links):
        return " (все ссылки активны)"
    return ""


def _school_paragraph(school: School, details: dict) -> str:
    """«В МАОУ СОШ № 28 имеется положение о ВСОКО, утверждено 28.08.2020: механизмы …
    описаны. Указана не действующая нормативно-правовая база.»"""
    sentence = f"В {designation(school)}"
    documents = details.get("document_date") or []
    if documents:
        named = []
        for document in documents:
            title = document.get("title") or "документ"
            verb = approved(title)
            when = _date(document.get("date"))
            named.append(f"{title}, {verb} {when}" if verb else f"{title} от {when}")
        sentence += " имеется " + "; ".join(named)
    text = (details.get("text") or "").rstrip(". ")
    if text:
        sentence += (": " if documents else " ") + text
    if details.get("forms"):
        sentence += (": " if documents or text else " ") + ", ".join(details["forms"])
    sentence += "."
    if details.get("legal_base"):
        sentence += " Указана не действующая нормативно-правовая база."
    return sentence


def _join_clauses(clauses: list[str]) -> str:
    """Clauses of one sentence: the later ones start in lower case (abbreviations stay)."""
    joined = []
    for index, clause in enumerate(clauses):
        clause = clause.strip().rstrip(".;:,")
        if index and clause[:1].isupper() and not clause[1:2].isupper():
            clause = clause[:1].lower() + clause[1:]
        joined.append(clause)
    return ", ".join(joined)


# ---------------------------------------------------------------- findings


@dataclass
class Reply:
    """A school's answer to an item, as the order sees it."""

    school: School
    answer: str
    details: dict
    comment: str = ""


@dataclass
class _Finding:
    """What one section of the order collects from its items: clauses of its first sentence
    («… в ООУ № 5, 11»), sentences after them, and paragraphs after the numbered one."""

    clauses: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


def _by_value(found: _Finding, finding: str, done: list[Reply]) -> None:
    """«Формы работы: «наставничество» – 5, 11; «консультации» – 28» (seed 004, finding 9)."""
    values: dict[str, tuple[str, list[School]]] = {}
    for school, reply in _sorted((r.school, r) for r in done):
        for value in reply.details.get("forms") or []:
            shown, schools = values.setdefault(_value_key(value), (_quoted(value), []))
            schools.append(school)
    if values:
        listed = ", ".join(f"{shown} – {numbers_only(s)}" for shown, s in values.values())
        found.clauses.append(f"{finding.rstrip(':')}: {listed}")


def _as_list(found: _Finding, finding: str, done: list[Reply]) -> None:
    """«Finding:» and a line per school: «- МАОУ СОШ № 5 – …;»."""
    rows = [
        (r.school, bracket_note(r.details) or ", ".join(r.details.get("forms") or [])) for r in done
    ]
    rows = [(s, note) for s, note in _sorted(rows) if note]
    if rows:
        found.after.append(f"{finding.rstrip(':')}:")
        for index, (school, note) in enumerate(rows):
            end = "." if index == len(rows) - 1 else ";"
            found.after.append(f"- {designation(school)} – {note}{end}")


def _as_paragraphs(found: _Finding, item: ChecklistItem, finding: str, replies: list[Reply]):
    """The finding over the schools that did it, then a paragraph per school with details."""
    done = [r for r in replies if r.answer == Answer.DONE]
    if item.finding and done:
        group = school_group((r.school, bracket_note(r.details)) for r in done)
        found.clauses.append(f"{finding} в {group}")
    for school, reply in _sorted((r.school, r) for r in replies):
        if reply.details:
            found.after.append(_school_paragraph(school, reply.details))


def _grouped(found: _Finding, item: ChecklistItem, finding: str, replies: list[Reply]) -> None:
    """«… в ООУ № 5 (для 2-9 классов), 11 (все ссылки активны)»; the partly done after."""
    done = [r for r in replies if r.answer == Answer.DONE]
    partly = [r for r in replies if r.answer == Answer.PARTLY]
    if done:
        group = school_group((r.school, bracket_note(r.details)) for r in done)
        links = _links_note([(r.school, r.details) for r in done])
        found.clauses.append(f"{finding} в {group}{links}")
    if partly and item.partly_finding.strip():
        group = school_group((r.school, bracket_note(r.details)) for r in partly)
        found.clauses.append(f"{item.partly_finding.strip().rstrip('.')} в {group}")
        return
    for school, reply in _sorted((r.school, r) for r in partly):
        note = bracket_note(reply.details)
        if note:
            found.sentences.append(f"В {designation(school)} {note}.")


def section_paragraphs(
    section: int, items: list[ChecklistItem], replies: dict[int, list[Reply]]
) -> list[str]:
    """The paragraphs of one finding: the numbered paragraph and the per-school ones after it."""
    found = _Finding()
    for item in items:
        item_replies = replies.get(item.pk, [])
        done_or_partly = [r for r in item_replies if r.answer in (Answer.DONE, Answer.PARTLY)]
        finding = (item.finding or item.text).strip().rstrip(".")
        if item.layout == FindingLayout.BY_VALUE:
            _by_value(found, finding, done_or_partly)
        elif item.layout == FindingLayout.LIST:
            _as_list(found, finding, done_or_partly)
        elif item.layout == FindingLayout.PARAGRAPHS:
            _as_paragraphs(found, item, finding, item_replies)
        else:
            _grouped(found, item, finding, item_replies)
    lead = _join_clauses(found.clauses)
    if lead:
        lead += "."
    text = " ".join(p for p in [lead, *found.sentences] if p)
    if text:
        return [f"{section}. {text}", *found.after]
    if found.after:
        return [f"{section}. {found.after[0]}", *found.after[1:]]
    names = "; ".join(item.text.rstrip(".") for item in items)
    done = {
        r.school.pk: r.school
        for item in items
        for r in replies.get(item.pk, [])
        if r.answer in (Answer.DONE, Answer.PARTLY)
    }
    if done:  # answered «выполнено» without a detail to write: said so, not «не подтверждено»
        group = school_group((school, "") for school in done.values())
        return [f"{section}. {names} – выполнено в {group} (подтверждение не приложено)."]
    return [f"{section}. {names} – выполнение не подтверждено ни в одном ООУ."]


def _value_key(value: str) -> str:
    text = value.lower().replace("ё", "е")
    text = re.sub(r"[«»\"“”„]", "", text)
    text = re.sub(r"\s*[-–—]\s*", "-", text)
    return " ".join(text.split())


def _quoted(value: str) -> str:
    value = " ".join(value.split())
    value = re.sub(r"\s*[-–—]\s*(\d)", r"-\1", value)
    return value if value.startswith("«") else f"«{value.strip(chr(34))}»"


def findings(items: list[ChecklistItem], replies: dict[int, list[Reply]]) -> list[str]:
    sections: dict[int, list[ChecklistItem]] = {}
    for item in items:
        sections.setdefault(item.section, []).append(item)
    paragraphs = []
    for section in sorted(sections):
        paragraphs += section_paragraphs(section, sections[section], replies)
    return paragraphs


# ---------------------------------------------------------------- instructions


@dataclass
class Suggestion:
    """An instruction the order may give: to the schools that lack an item."""

    key: str
    label: str
    text: str
    schools: list[School]

    @property
    def addressees(self) -> str:
        return school_names(self.schools)

    def line(self, due: date | None = None) -> str:
        deadline = f" (срок – до {short_date(due)})" if due else ""
        return f"{self.text.rstrip('.')} – {self.addressees}{deadline}."


def suggestions(items: list[ChecklistItem], replies: dict[int, list[Reply]]) -> list[Suggestion]:
    """For each item with an instruction, the schools that answered «частично» or «не
    выполнено»; and the schools whose documents cite an outdated legal base."""
    labels = item_labels(items)
    result = []
    outdated: dict[int, School] = {}
    for item in items:
        lacking = [r.school for r in replies.get(item.pk, []) if r.answer != Answer.DONE]
        for reply in replies.get(item.pk, []):
            if reply.details.get("legal_base"):
                outdated[reply.school.pk] = reply.school
        if item.instruction.strip() and lacking:
            result.append(
                Suggestion(f"item-{item.pk}", labels[item.pk], item.instruction.strip(), lacking)
            )
    if outdated:
        result.append(
            Suggestion(LEGAL_BASE_KEY, "", LEGAL_BASE_INSTRUCTION, list(outdated.values()))
        )
    return result


# ---------------------------------------------------------------- the order


@dataclass
class OrderOptions:
    """What the municipality sets before generating (everything is editable afterwards)."""

    kind: str = DocumentKind.ORDER
    organisation: str = ""
    place: str = ""
    title: str = ""
    basis: str = ""
    instruction_keys: list[str] | None = None  # None: every suggested instruction
    instruction_due: date | None = None
    report_to: str = ""
    report_due: date | None = None
    control_person: str = ""
    control_position: str = ""
    signer: str = ""
    executor: str = ""


@dataclass
class OrderText:
    title: str
    body: str
    findings: list[str] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)


@dataclass
class MonitoringData:
    campaign: MonitoringCampaign
    items: list[ChecklistItem]
    sheets: list[CampaignSchool]
    replies: dict[int, list[Reply]]
    not_accepted: list[CampaignSchool]


def monitoring_data(campaign: MonitoringCampaign) -> MonitoringData:
    """The accepted sheets and their answers, in three queries."""
    items = template_items(campaign.template)
    all_sheets = list(
        campaign.sheets.select_related("school").order_by("school__number", "school__short_name")
    )
    sheets = [s for s in all_sheets if s.status == SheetStatus.ACCEPTED]
    replies: dict[int, list[Reply]] = {}
    by_sheet = {s.pk: s for s in sheets}
    for answer in ChecklistAnswer.objects.filter(sheet__in=[s.pk for s in sheets]):
        sheet = by_sheet[answer.sheet_id]
        replies.setdefault(answer.item_id, []).append(
            Reply(sheet.school, answer.answer, answer.details or {}, answer.comment)
        )
    not_accepted = [s for s in all_sheets if s.status != SheetStatus.ACCEPTED]
    return MonitoringData(campaign, items, sheets, replies, not_accepted)


def _roman(n: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letter in numerals:
        while n >= value:
            out, n = out + letter, n - value
    return out


def territory(campaign: MonitoringCampaign) -> str:
    """«Города Томска», «Каргасокского района»."""
    return inflect_phrase(campaign.municipality.name, "gent")


def build_order(data: MonitoringData, options: OrderOptions | None = None) -> OrderText:
    """The text of the order from the accepted sheets (see the module's docstring)."""
    options = options or OrderOptions()
    campaign = data.campaign
    schools = [s.school for s in data.sheets]
    title = options.title.strip() or DEFAULT_TITLE.format(territory=territory(campaign))
    period = re.sub(r"^за\s+", "", campaign.period_text.strip())
    names = ", ".join(s.short_name for s, _ in _sorted((s, "") for s in schools))
    opening = f"{options.basis.strip()} проведен" if options.basis.strip() else "Проведен"
    intro = (
        f"{opening} мониторинг выполнения программы повышения качества образования"
        f"{f' за {period}' if period else ''} в школах с низкими результатами обучения и/или "
        "в школах, функционирующих в неблагоприятных социальных условиях на территории "
        f"{territory(campaign)}: {names}."
    )
    found = findings(data.items, data.replies)
    offered = suggestions(data.items, data.replies)
    chosen = [
        s for s in offered if options.instruction_keys is None or s.key in options.instruction_keys
    ]
    paragraphs = [intro, "На основе анализа результатов мониторинга выявлено следующее:", *found]
    decree = options.kind == DocumentKind.DECREE
    if decree:
        paragraphs.append("ПРИКАЗЫВАЮ:")
    point = 0

    def number(n: int) -> str:
        return str(n) if decree else _roman(n)

    points = [s.line(options.instruction_due) for s in chosen]
    if options.report_to.strip():
        due = f" до {short_date(options.report_due)}" if options.report_due else ""
        points.append(f"{options.report_to.strip().rstrip('.')}{due}.")
    if points:
        point += 1
        paragraphs.append(f"{number(point)}. {ADDRESSEES}")
        paragraphs += [f"{point}.{index}. {text}" for index, text in enumerate(points, start=1)]
    point += 1
    of_document = f"настоящего {kind_genitive(options.kind)}"
    if options.control_person.strip():
        position = options.control_position.strip()
        whom = options.control_person.strip()
        if position:
            whom += f", {inflect_phrase(position, 'accs')}"
        paragraphs.append(
            f"{number(point)}. Контроль исполнения {of_document} возложить на {whom}."
        )
    else:
        paragraphs.append(f"{number(point)}. Контроль исполнения {of_document} оставляю за собой.")
    return OrderText(
        title=title,
        body="\n\n".join(paragraphs),
        findings=found,
        suggestions=offered,
        schools=schools,
    )


def default_options(campaign: MonitoringCampaign) -> OrderOptions:
    """Requisites to start from: those of the municipality's last monitoring order (header,
    place, signer, executor), else the municipal authority from the registry and the place."""
    from django.contrib.contenttypes.models import ContentType

    from opora.documents.models import Document

    previous = (
        Document.objects.filter(
            content_type=ContentType.objects.get_for_model(MonitoringCampaign),
            object_id__in=MonitoringCampaign.objects.filter(
                municipality_id=campaign.municipality_id
            ).values("pk"),
        )
        .order_by("-is_fixed", "-created_at")
        .first()
    )
    if previous is not None:
        return OrderOptions(
            kind=previous.kind,
            organisation=previous.organisation,
            place=previous.place,
            signer=previous.signer,
            executor=previous.executor,
        )
    authority = municipal_authority(campaign.municipality)
    return OrderOptions(
        organisation=authority.organisation, place=authority.place, signer=authority.signer
    )


def create_order_document(user, campaign: MonitoringCampaign, options: OrderOptions):
    """A draft order (a Document sourced from the campaign), ready to edit and fix."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from opora.documents import services as documents

    if not user.has_perm("monitoring.change_monitoringcampaign", campaign):
        raise PermissionDenied("Недостаточно прав.")
    data = monitoring_data(campaign)
    if not data.sheets:
        raise ValidationError(
            "Нет ни одного принятого чек-листа: распоряжение строится по принятым чек-листам."
        )
    text = build_order(data, options)
    draft = Draft(
        kind=options.kind,
        organisation=options.organisation,
        title=text.title,
        body=text.body,
        place=options.place,
        signer=options.signer,
        executor=options.executor,
    )
    return documents.create_draft(user, draft, source=campaign)
