"""Implementation monitoring (seed 004): campaigns, the schools' sheets, review, Excel.

Reads that depend on who asks are the selectors at the top (every queryset scoped by
:func:`~opora.accounts.scopes.scope_for`); every write is a service below, a function that
takes the acting user and runs in a transaction. The order generated from the answers lives
in :mod:`opora.monitoring.documents`.

The evidence a school gives for an item is kept in ``ChecklistAnswer.details`` by kind::

    {"grades": "для обучающихся 5-9 классов",              # as written
     "forms": ["родительские собрания", "Совет профилактики"],
     "links": [{"url": "https://school5.ru/vpr", "status": "unchecked",
                "note": "не проверено: нет сети", "checked_at": "2024-03-01T10:00:00+07:00"}],
     "document_date": [{"title": "положение о ВСОКО", "date": "2020-12-25"}],
     "legal_base": true,                                    # the cited legal base is outdated
     "text": "посредством анкеты обратной связи"}
"""

from __future__ import annotations

import io
import ipaddress
import re
import socket
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from opora.accounts.guards import require as _require
from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.core.calendar import current_year
from opora.core.formatting import short_date
from opora.core.uploads import UploadError, read_table
from opora.monitoring.models import (
    Answer,
    CampaignSchool,
    CampaignStatus,
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    DetailKind,
    MonitoringCampaign,
    SheetStatus,
)
from opora.registry.models import Municipality, School, SchoolStatus

# ---------------------------------------------------------------- items and their details


@dataclass(frozen=True)
class DetailSpec:
    """One typed detail an item asks for: its kind, the label and hint shown to the school."""

    kind: str
    label: str
    help: str = ""


DETAIL_TEXTS = {
    DetailKind.TEXT: ("подробности", "Что и как сделано: попадёт в распоряжение в скобках."),
    DetailKind.GRADES: (
        "охваченные классы",
        "Например: «для обучающихся 5-9 классов», «2-11», «9, 11 классы».",
    ),
    DetailKind.FORMS: (
        "формы работы",
        "По одной в строке: «родительские собрания», «Совет профилактики».",
    ),
    DetailKind.LINKS: ("ссылки на материалы", "По одной в строке, с http:// или https://."),
    DetailKind.DOCUMENT_DATE: (
        "документы и даты их утверждения",
        "По одному в строке: «положение о ВСОКО от 25.12.2020».",
    ),
    DetailKind.LEGAL_BASE: ("в документе указана не действующая нормативно-правовая база", ""),
}


def detail_specs(item: ChecklistItem) -> list[DetailSpec]:
    """The item's details; an entry of ``detail_kinds`` is a kind or ``{"kind", "label"}``."""
    specs = []
    for entry in item.detail_kinds or []:
        kind = entry.get("kind") if isinstance(entry, dict) else entry
        if kind not in DetailKind.values:
            continue
        label, hint = DETAIL_TEXTS[kind]
        if isinstance(entry, dict):
            label, hint = entry.get("label") or label, entry.get("help", hint)
        specs.append(DetailSpec(kind, label, hint))
    return specs


def item_labels(items: list[ChecklistItem]) -> dict[int, str]:
    """«1.1», «1.2», «2», … — the item's number in the order (its section, then its place)."""
    by_section = Counter(item.section for item in items)
    seen: Counter = Counter()
    labels = {}
    for item in sorted(items, key=lambda i: (i.section, i.order, i.pk or 0)):
        seen[item.section] += 1
        labels[item.pk] = (
            f"{item.section}.{seen[item.section]}"
            if by_section[item.section] > 1
            else str(item.section)
        )
    return labels


def template_items(template: ChecklistTemplate) -> list[ChecklistItem]:
    return list(template.items.order_by("section", "order", "pk"))


_GRADE_RANGE = re.compile(r"(?<!\d)(\d{1,2})\s*(?:-х|-ых)?\s*[-–—]\s*(\d{1,2})(?!\d)")
_GRADE = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")


def parse_grades(text: str) -> list[int]:
    """The grades a text covers, 1–11: «для обучающихся 5-9, 10 классов, 4 классов» →
    [4, 5, 6, 7, 8, 9, 10]; «9-х, 11-х классов» → [9, 11]."""
    grades: set[int] = set()
    rest = text
    for match in _GRADE_RANGE.finditer(text):
        low, high = int(match.group(1)), int(match.group(2))
        if 1 <= low <= high <= 11:
            grades.update(range(low, high + 1))
        rest = rest.replace(match.group(0), " ")
    grades.update(int(g) for g in _GRADE.findall(rest) if 1 <= int(g) <= 11)
    return sorted(grades)


_DOCUMENT_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{4})-(\d{2})-(\d{2})")


def parse_documents(text: str) -> list[dict]:
    """Lines «положение о ВСОКО от 25.12.2020» → [{"title": "положение о ВСОКО",
    "date": "2020-12-25"}]; a line without a date is an error."""
    documents = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        matches = list(_DOCUMENT_DATE.finditer(line))
        if not matches:
            raise ValidationError(
                f"Строка {number}: «{line}» — укажите дату документа, например "
                "«положение о ВСОКО от 25.12.2020»."
            )
        match = matches[-1]
        day, month, year = (
            (match.group(1), match.group(2), match.group(3))
            if match.group(1)
            else (match.group(6), match.group(5), match.group(4))
        )
        try:
            when = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"Строка {number}: дата «{match.group(0)}» невозможна.") from exc
        title = line[: match.start()] + line[match.end() :]
        title = re.sub(r"(\s|^)(от|утв\.?|утверждено|утверждён|утверждена)\s*$", "", title.strip())
        title = title.strip(" ,;:—–-").strip()
        documents.append({"title": title or "документ", "date": when.isoformat()})
    return documents


def document_lines(documents: list[dict]) -> str:
    return "\n".join(
        f"{d.get('title', '')} от {short_date(date.fromisoformat(d['date']))}".strip()
        for d in documents or []
        if d.get("date")
    )


def parse_links(text: str) -> list[str]:
    urls = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        url = line.strip()
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(
                f"Строка {number}: «{url}» — нужна полная ссылка, начинающаяся с https://."
            )
        if url not in urls:
            urls.append(url)
    return urls


def clean_details(item: ChecklistItem, raw: dict, previous: dict | None = None) -> dict:
    """Typed details from the form's values (``raw`` by kind), checking each kind.

    Links keep the result of an earlier check when the same address comes again; new
    addresses are checked (see :func:`check_link`) — a check never stops the saving.
    """
    previous = previous or {}
    details: dict = {}
    errors: dict[str, list[str]] = {}
    for spec in detail_specs(item):
        value = raw.get(spec.kind)
        try:
            if spec.kind == DetailKind.TEXT:
                text = " ".join(str(value or "").split())
                if text:
                    details["text"] = text
            elif spec.kind == DetailKind.GRADES:
                text = " ".join(str(value or "").split())
                if text:
                    if not parse_grades(text):
                        raise ValidationError(
                            "Не понятно, какие классы охвачены: напишите, например, «5-9 классов»."
                        )
                    details["grades"] = text
            elif spec.kind == DetailKind.FORMS:
                lines = value if isinstance(value, list) else str(value or "").splitlines()
                forms = [" ".join(f.split()) for f in lines if f.strip()]
                if forms:
                    details["forms"] = forms
            elif spec.kind == DetailKind.LINKS:
                urls = value if isinstance(value, list) else parse_links(str(value or ""))
                if urls:
                    details["links"] = check_links(urls, previous.get("links") or [])
            elif spec.kind == DetailKind.DOCUMENT_DATE:
                documents = value if isinstance(value, list) else parse_documents(str(value or ""))
                if documents:
                    details["document_date"] = documents
            elif spec.kind == DetailKind.LEGAL_BASE and value:
                details["legal_base"] = True
        except ValidationError as exc:
            errors[spec.kind] = exc.messages
    if errors:
        raise ValidationError(errors)
    return details


# ---------------------------------------------------------------- links


LINK_OK, LINK_BROKEN, LINK_UNCHECKED = "ok", "broken", "unchecked"
NO_NETWORK = "не проверено: нет сети"
LINK_TIMEOUT_S = 2.0
LINK_BUDGET_S = 5.0
_network_probe: dict[str, float | bool] = {}


def check_links(urls: list[str], previous: list[dict]) -> list[dict]:
    """Each address with its check: an earlier result is reused, new ones are checked within
    a total budget of a few seconds; what is left over is recorded as not checked."""
    known = {link.get("url"): link for link in previous if link.get("url")}
    started = time.monotonic()
    result = []
    for url in urls:
        if url in known and known[url].get("status") != LINK_UNCHECKED:
            result.append(known[url])
            continue
        if time.monotonic() - started > LINK_BUDGET_S:
            status, note = LINK_UNCHECKED, "не проверено: не хватило времени, сохраните ещё раз"
        else:
            status, note = check_link(url)
        result.append(
            {"url": url, "status": status, "note": note, "checked_at": timezone.now().isoformat()}
        )
    return result


def check_link(url: str, timeout: float = LINK_TIMEOUT_S) -> tuple[str, str]:
    """Whether ``url`` opens: ('ok' | 'broken' | 'unchecked', a note in Russian).

    Only public http(s) addresses are requested (never the server's own network), with a
    short timeout and without following redirects: a redirect counts as a working link.
    Without a network the link is recorded «не проверено: нет сети» and nothing fails.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return LINK_BROKEN, "ссылка без адреса сайта"
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, parts.port or None)}
    except (socket.gaierror, UnicodeError, OSError):
        if not _network_available():
            return LINK_UNCHECKED, NO_NETWORK
        return LINK_BROKEN, "сайт не найден"
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            return LINK_UNCHECKED, "не проверено: адрес во внутренней сети"
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "Opora/1.0"})
    try:
        with opener.open(request, timeout=timeout) as response:
            return LINK_OK, f"открывается (ответ {response.status})"
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            return LINK_OK, f"открывается (перенаправление, ответ {exc.code})"
        if exc.code in (403, 405, 501):  # some sites refuse HEAD but serve the page
            return LINK_UNCHECKED, f"не проверено: сайт отвечает {exc.code}"
        return LINK_BROKEN, f"не открывается (ответ {exc.code})"
    except TimeoutError:
        return LINK_UNCHECKED, f"не проверено: сайт не ответил за {timeout:g} с"
    except (urllib.error.URLError, OSError, ValueError):
        if not _network_available():
            return LINK_UNCHECKED, NO_NETWORK
        return LINK_BROKEN, "не открывается"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _network_available() -> bool:
    """Whether names resolve at all (a well-known host, remembered for five minutes)."""
    now = time.monotonic()
    if now - float(_network_probe.get("at", -1e9)) < 300:
        return bool(_network_probe["ok"])
    host = getattr(settings, "OPORA_LINK_PROBE_HOST", "gosuslugi.ru")
    try:
        socket.getaddrinfo(host, 443)
        ok = True
    except OSError:
        ok = False
    _network_probe.update(at=now, ok=ok)
    return ok


# ---------------------------------------------------------------- selectors


def campaigns_for(user) -> QuerySet[MonitoringCampaign]:
    """Campaigns the user sees: of the municipalities in scope, or with a sheet of a school in
    scope (a school sees the campaigns it takes part in)."""
    qs = MonitoringCampaign.objects.select_related("municipality", "template")
    scope = scope_for(user)
    if scope.everything:
        return qs
    ids = scope.filter(
        MonitoringCampaign.objects.all(), school="sheets__school_id", municipality="municipality_id"
    ).values("pk")
    return qs.filter(pk__in=ids)


def campaign_list(user) -> list[MonitoringCampaign]:
    """The campaigns with the numbers of sheets in each status (one query)."""
    counts = {
        f"{status}_count": Count("sheets", filter=Q(sheets__status=status))
        for status in SheetStatus.values
    }
    qs = campaigns_for(user).annotate(sheet_count=Count("sheets"), **counts)
    if user.role == Role.SCHOOL and user.school_id:
        own = CampaignSchool.objects.filter(school_id=user.school_id)
        qs = qs.prefetch_related(Prefetch("sheets", queryset=own, to_attr="own_sheets"))
    return list(qs.order_by("-created_at"))


def campaign_for(user, pk: int) -> MonitoringCampaign | None:
    return campaigns_for(user).filter(pk=pk).first()


def sheets_for(user, campaign: MonitoringCampaign) -> QuerySet[CampaignSchool]:
    """The campaign's sheets the user may see, with the number of answered items."""
    qs = (
        CampaignSchool.objects.filter(campaign=campaign)
        .select_related("school")
        .annotate(answered=Count("answers"))
    )
    return (
        scope_for(user)
        .filter(qs, school="school_id", municipality="campaign__municipality_id")
        .order_by("school__number", "school__short_name")
    )


def sheet_for(user, pk: int) -> CampaignSchool | None:
    qs = CampaignSchool.objects.select_related(
        "campaign__municipality", "campaign__template", "school"
    )
    if user.role == Role.SCHOOL:
        return qs.filter(pk=pk, school_id=user.school_id).first() if user.school_id else None
    return (
        scope_for(user)
        .filter(qs, school="school_id", municipality="campaign__municipality_id")
        .filter(pk=pk)
        .first()
    )


def answers_by_sheet(sheets) -> dict[int, dict[int, ChecklistAnswer]]:
    """{sheet id: {item id: answer}} for the given sheets, in one query."""
    result: dict[int, dict[int, ChecklistAnswer]] = {s.pk: {} for s in sheets}
    for answer in ChecklistAnswer.objects.filter(sheet__in=[s.pk for s in sheets]):
        result[answer.sheet_id][answer.item_id] = answer
    return result


@dataclass
class SheetRow:
    sheet: CampaignSchool
    cells: list[str]  # the answer of each item ('' when not answered)


@dataclass
class CampaignOverview:
    campaign: MonitoringCampaign
    items: list[ChecklistItem]
    labels: dict[int, str]
    rows: list[SheetRow]
    status_counts: dict[str, int]
    answered: int
    expected: int

    @property
    def completion(self) -> float:
        return self.answered / self.expected if self.expected else 0.0


def campaign_overview(user, campaign: MonitoringCampaign) -> CampaignOverview:
    """The campaign page: each school's sheet with its status and its answer to each item.

    Four queries whatever the number of schools: items, sheets, answers, and nothing per row.
    """
    items = template_items(campaign.template)
    labels = item_labels(items)
    sheets = list(sheets_for(user, campaign))
    answers = answers_by_sheet(sheets)
    rows = [
        SheetRow(
            sheet,
            [
                answers[sheet.pk][item.pk].answer if item.pk in answers[sheet.pk] else ""
                for item in items
            ],
        )
        for sheet in sheets
    ]
    status_counts = Counter(s.status for s in sheets)
    return CampaignOverview(
        campaign=campaign,
        items=items,
        labels=labels,
        rows=rows,
        status_counts={s: status_counts.get(s, 0) for s in SheetStatus.values},
        answered=sum(len(a) for a in answers.values()),
        expected=len(items) * len(sheets),
    )


def listed_schools(municipality: Municipality, year: int | None = None) -> QuerySet[School]:
    """The municipality's schools on this year's ШНОР or ШНСУ list (the default campaign)."""
    year = year or current_year()
    listed = SchoolStatus.objects.filter(year=year).values("school_id")
    return School.objects.filter(municipality=municipality, is_active=True, pk__in=listed).order_by(
        "number", "short_name"
    )


def municipality_schools(municipality: Municipality) -> QuerySet[School]:
    """The municipality's active schools, each marked ``is_listed`` when on this year's
    ШНОР/ШНСУ list (the choices of the campaign form)."""
    listed = SchoolStatus.objects.filter(year=current_year(), school=OuterRef("pk"))
    return (
        School.objects.filter(municipality=municipality, is_active=True)
        .annotate(is_listed=Exists(listed))
        .order_by("-is_listed", "number", "short_name")
    )


# ---------------------------------------------------------------- campaigns


@transaction.atomic
def create_campaign(
    user,
    *,
    title: str,
    municipality: Municipality,
    template: ChecklistTemplate,
    period_text: str,
    due_date: date,
    schools: list[School] | None = None,
) -> MonitoringCampaign:
    """A campaign with a sheet per school; without ``schools``, the municipality's schools
    on this year's ШНОР/ШНСУ lists.

    Example: «Мониторинг выполнения программ повышения качества образования», «Город Томск»,
    «1 полугодие 2020-2021 учебного года», до 15.02.2021.
    """
    _require(user, "monitoring.add_monitoringcampaign")
    if not user.has_perm("monitoring.add_monitoringcampaign_in", municipality):
        raise PermissionDenied("Мониторинг можно начать только в своём муниципалитете.")
    chosen = list(schools) if schools else list(listed_schools(municipality))
    if not chosen:
        raise ValidationError(
            "В муниципалитете нет школ из списков ШНОР/ШНСУ этого года — выберите школы."
        )
    foreign = [s for s in chosen if s.municipality_id != municipality.pk]
    if foreign:
        raise ValidationError(f"Школа «{foreign[0]}» не из этого муниципалитета.")
    campaign = MonitoringCampaign.objects.create(
        title=title.strip(),
        municipality=municipality,
        template=template,
        period_text=period_text.strip(),
        due_date=due_date,
        created_by=user,
    )
    for school in chosen:
        CampaignSchool.objects.create(campaign=campaign, school=school)
    return campaign


@transaction.atomic
def update_campaign(
    user,
    campaign: MonitoringCampaign,
    *,
    title: str,
    period_text: str,
    due_date: date,
    schools: list[School],
) -> MonitoringCampaign:
    """Change the title, period, due date and the schools; a school that has answered stays."""
    _require(user, "monitoring.change_monitoringcampaign", campaign)
    wanted = {s.pk: s for s in schools}
    if any(s.municipality_id != campaign.municipality_id for s in schools):
        raise ValidationError("Все школы мониторинга должны быть из его муниципалитета.")
    sheets = {s.school_id: s for s in campaign.sheets.select_related("school")}
    keep_answered = [
        s for school_id, s in sheets.items() if school_id not in wanted and s.answers.exists()
    ]
    if keep_answered:
        raise ValidationError(
            f"Школу «{keep_answered[0].school}» нельзя исключить: она уже заполняет чек-лист."
        )
    campaign.title, campaign.period_text, campaign.due_date = (
        title.strip(),
        period_text.strip(),
        due_date,
    )
    campaign.save()
    for school_id, sheet in sheets.items():
        if school_id not in wanted:
            sheet.delete()
    for school_id, school in wanted.items():
        if school_id not in sheets:
            CampaignSchool.objects.create(campaign=campaign, school=school)
    return campaign


@transaction.atomic
def set_campaign_status(user, campaign: MonitoringCampaign, status: str) -> None:
    _require(user, "monitoring.change_monitoringcampaign", campaign)
    campaign.status = status
    campaign.save(update_fields=["status"])


# ---------------------------------------------------------------- sheets


def _require_school_of(user, sheet: CampaignSchool) -> None:
    """Only the school itself writes its sheet — not even a superuser (who could otherwise
    pass every ``has_perm``): the answers are the school's own evidence."""
    from opora.monitoring.rules import fills_sheet

    if not fills_sheet(user, sheet):
        raise PermissionDenied("Чек-лист заполняет только сама школа.")


def _check_open(campaign: MonitoringCampaign) -> None:
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError("Мониторинг завершён: чек-листы больше не меняются.")


def _check_fillable(sheet: CampaignSchool) -> None:
    _check_open(sheet.campaign)
    if sheet.status not in (SheetStatus.DRAFT, SheetStatus.RETURNED):
        raise ValidationError(
            f"Чек-лист {sheet.get_status_display()}: менять его можно, только если "
            "муниципалитет вернёт его на доработку."
        )


def save_answer(
    user,
    sheet: CampaignSchool,
    item: ChecklistItem,
    *,
    answer: str,
    details: dict | None = None,
    comment: str = "",
) -> ChecklistAnswer:
    """The school's answer to one item with its evidence (``details`` as :func:`clean_details`
    returns them). Only the school itself writes its sheet, while it is a draft or returned.
    """
    _require_school_of(user, sheet)
    _check_fillable(sheet)
    if item.template_id != sheet.campaign.template_id:
        raise ValidationError("Этого пункта нет в чек-листе мониторинга.")
    if answer not in Answer.values:
        raise ValidationError("Выберите ответ: выполнено, частично или не выполнено.")
    with transaction.atomic():
        row = ChecklistAnswer.objects.select_for_update().filter(sheet=sheet, item=item).first()
        row = row or ChecklistAnswer(sheet=sheet, item=item)
        row.answer, row.details, row.comment = answer, details or {}, comment.strip()
        row.save()
    return row


@transaction.atomic
def submit_sheet(user, sheet: CampaignSchool) -> CampaignSchool:
    """Send the sheet to the municipality; every item must be answered."""
    _require_school_of(user, sheet)
    _check_fillable(sheet)
    items = template_items(sheet.campaign.template)
    answered = set(sheet.answers.values_list("item_id", flat=True))
    labels = item_labels(items)
    missing = [labels[i.pk] for i in items if i.pk not in answered]
    if missing:
        raise ValidationError(f"Не отвечено на пункты: {', '.join(missing)}.")
    sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, timezone.now()
    sheet.save()
    return sheet


@transaction.atomic
def return_sheet(user, sheet: CampaignSchool, comment: str) -> CampaignSchool:
    """Return the sheet to the school with what to correct (the comment is required)."""
    _require(user, "monitoring.review_campaignschool", sheet)
    _check_open(sheet.campaign)
    if not comment.strip():
        raise ValidationError("Напишите, что нужно исправить: без замечаний вернуть нельзя.")
    if sheet.status not in (SheetStatus.SUBMITTED, SheetStatus.ACCEPTED):
        raise ValidationError("Вернуть можно только отправленный или принятый чек-лист.")
    sheet.status, sheet.review_comment = SheetStatus.RETURNED, comment.strip()
    sheet.save()
    return sheet


@transaction.atomic
def accept_sheet(user, sheet: CampaignSchool, comment: str = "") -> CampaignSchool:
    _require(user, "monitoring.review_campaignschool", sheet)
    _check_open(sheet.campaign)
    if sheet.status != SheetStatus.SUBMITTED:
        raise ValidationError("Принять можно только отправленный школой чек-лист.")
    sheet.status = SheetStatus.ACCEPTED
    sheet.review_comment = comment.strip()
    sheet.save()
    return sheet


# ---------------------------------------------------------------- Excel

ANSWER_WORDS = {
    Answer.DONE: "выполнено",
    Answer.PARTLY: "частично",
    Answer.NOT_DONE: "не выполнено",
}
_ANSWER_SYNONYMS = {
    "выполнено": Answer.DONE,
    "да": Answer.DONE,
    "+": Answer.DONE,
    "1": Answer.DONE,
    "частично": Answer.PARTLY,
    "±": Answer.PARTLY,
    "+/-": Answer.PARTLY,
    "0,5": Answer.PARTLY,
    "не выполнено": Answer.NOT_DONE,
    "невыполнено": Answer.NOT_DONE,
    "нет": Answer.NOT_DONE,
    "-": Answer.NOT_DONE,
    "0": Answer.NOT_DONE,
}
CODE_HEADER, SCHOOL_HEADER, COMMENT_WORD = "Код ОО", "Школа", "комментарий"


def _item_header(label: str, item: ChecklistItem) -> str:
    text = item.text if len(item.text) <= 70 else item.text[:69].rstrip() + "…"
    return f"{label}. {text}"


def export_answers_xlsx(user, campaign: MonitoringCampaign) -> bytes:
    """A row per school, a column per item with its comment column beside it.

    The second sheet lists the items in full and the accepted answers.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    items = template_items(campaign.template)
    labels = item_labels(items)
    sheets = list(sheets_for(user, campaign))
    answers = answers_by_sheet(sheets)

    book = Workbook()
    table = book.active
    table.title = "Ответы"
    header = [CODE_HEADER, SCHOOL_HEADER]
    for item in items:
        header += [_item_header(labels[item.pk], item), f"{labels[item.pk]}. {COMMENT_WORD}"]
    table.append(header)
    for sheet in sheets:
        row = [sheet.school.code, sheet.school.short_name]
        for item in items:
            answer = answers[sheet.pk].get(item.pk)
            row += [
                ANSWER_WORDS.get(answer.answer, "") if answer else "",
                answer.comment if answer else "",
            ]
        table.append(row)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in table[1]:
        cell.font, cell.alignment = Font(bold=True), wrap
    table.freeze_panes = "C2"
    table.column_dimensions["A"].width = 10
    table.column_dimensions["B"].width = 34
    from openpyxl.utils import get_column_letter

    for index in range(3, len(header) + 1):
        table.column_dimensions[get_column_letter(index)].width = 22 if index % 2 else 28
    if sheets:
        choice = DataValidation(
            type="list", formula1='"выполнено,частично,не выполнено"', allow_blank=True
        )
        table.add_data_validation(choice)
        for index in range(3, len(header) + 1, 2):
            letter = get_column_letter(index)
            choice.add(f"{letter}2:{letter}{len(sheets) + 1}")

    legend = book.create_sheet("Пункты")
    legend.append(["Пункт", "Текст пункта"])
    for item in items:
        legend.append([labels[item.pk], item.text])
    legend.append([])
    legend.append(["Ответы", "выполнено, частично, не выполнено; пустая ячейка ничего не меняет"])
    legend.column_dimensions["B"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class AnswerChange:
    sheet: CampaignSchool
    item: ChecklistItem
    label: str
    old_answer: str
    new_answer: str
    old_comment: str
    new_comment: str

    @property
    def old_answer_word(self) -> str:
        return ANSWER_WORDS.get(self.old_answer, "—")

    @property
    def new_answer_word(self) -> str:
        return ANSWER_WORDS.get(self.new_answer, "—")


@dataclass
class ImportPlan:
    """What an Excel file would change, or why it cannot be taken (then nothing is saved)."""

    rows: int = 0
    changes: list[AnswerChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def schools(self) -> int:
        return len({c.sheet.pk for c in self.changes})


_HEADER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?)\.?\s*(.*)$")


def plan_answers_import(
    user, campaign: MonitoringCampaign, data: bytes, filename: str = ""
) -> ImportPlan:
    """Read an Excel/CSV of answers (the shape :func:`export_answers_xlsx` writes) and list
    the changes. Every problem is collected with its row; any problem rejects the whole file.

    Example row: «700912 | МАОУ СОШ № 28 | выполнено | графики на сайте | частично | …».
    """
    _require(user, "monitoring.change_monitoringcampaign", campaign)
    plan = ImportPlan()
    try:
        table = read_table(data, filename)
    except UploadError as exc:
        plan.errors.append(str(exc))
        return plan
    items = template_items(campaign.template)
    labels = item_labels(items)
    by_label = {label: item for item, label in ((i, labels[i.pk]) for i in items)}
    answer_col: dict[int, str] = {}
    comment_col: dict[int, str] = {}
    for header in table.headers:
        match = _HEADER.match(header)
        if not match or match.group(1) not in by_label:
            continue
        item = by_label[match.group(1)]
        target = comment_col if match.group(2).strip() == COMMENT_WORD else answer_col
        target[item.pk] = header
    code_key, school_key = CODE_HEADER.lower(), SCHOOL_HEADER.lower()
    if code_key not in table.headers and school_key not in table.headers:
        plan.errors.append(
            "В файле нет столбца «Код ОО» или «Школа»: скачайте образец кнопкой «Excel» "
            "на странице мониторинга и заполните его."
        )
    missing = [labels[i.pk] for i in items if i.pk not in answer_col]
    if missing:
        plan.errors.append(f"В файле нет столбцов пунктов: {', '.join(missing)}.")
    if plan.errors:
        return plan

    sheets = list(campaign.sheets.select_related("school"))
    by_code = {s.school.code: s for s in sheets}
    by_name = {" ".join(s.school.short_name.lower().split()): s for s in sheets}
    answers = answers_by_sheet(sheets)
    seen: dict[int, int] = {}
    for line, values in table.rows:
        plan.rows += 1
        code = values.get(code_key, "").strip()
        name = values.get(school_key, "").strip()
        sheet = by_code.get(code) if code else None
        sheet = sheet or by_name.get(" ".join(name.lower().split()))
        if sheet is None:
            plan.errors.append(
                f"Строка {line}: школа «{name or code}» не участвует в этом мониторинге."
            )
            continue
        if sheet.pk in seen:
            plan.errors.append(
                f"Строка {line}: школа «{sheet.school}» уже была в строке {seen[sheet.pk]}."
            )
            continue
        seen[sheet.pk] = line
        row_changes = []
        for item in items:
            label = labels[item.pk]
            raw = values.get(answer_col[item.pk], "").strip()
            comment = values.get(comment_col.get(item.pk, ""), "").strip()
            current = answers[sheet.pk].get(item.pk)
            new_answer = current.answer if current else ""
            if raw:
                new_answer = _ANSWER_SYNONYMS.get(" ".join(raw.lower().split()), "")
                if not new_answer:
                    plan.errors.append(
                        f"Строка {line}, пункт {label}: «{raw}» — допустимо «выполнено», "
                        "«частично», «не выполнено» или пустая ячейка."
                    )
                    continue
            old_comment = current.comment if current else ""
            new_comment = comment or old_comment
            if comment and not new_answer:
                plan.errors.append(
                    f"Строка {line}, пункт {label}: комментарий без ответа — укажите ответ."
                )
                continue
            if (new_answer, new_comment) != ((current.answer if current else ""), old_comment):
                row_changes.append(
                    AnswerChange(
                        sheet,
                        item,
                        label,
                        current.answer if current else "",
                        new_answer,
                        old_comment,
                        new_comment,
                    )
                )
        if row_changes and sheet.status == SheetStatus.ACCEPTED:
            plan.errors.append(
                f"Строка {line}: чек-лист школы «{sheet.school}» уже принят — чтобы изменить "
                "ответы, сначала верните его на доработку."
            )
            continue
        plan.changes.extend(row_changes)
    if campaign.status != CampaignStatus.OPEN and plan.changes:
        plan.errors.append("Мониторинг завершён: ответы больше не меняются.")
    if not plan.rows:
        plan.errors.append("В файле нет ни одной строки со школой.")
    return plan


def apply_answers_import(
    user, campaign: MonitoringCampaign, data: bytes, filename: str = ""
) -> ImportPlan:
    """Save the file's answers all together, or none of them when anything is wrong."""
    plan = plan_answers_import(user, campaign, data, filename)
    if plan.errors:
        return plan
    with transaction.atomic():
        existing = {
            (a.sheet_id, a.item_id): a
            for a in ChecklistAnswer.objects.select_for_update().filter(sheet__campaign=campaign)
        }
        for change in plan.changes:
            row = existing.get((change.sheet.pk, change.item.pk)) or ChecklistAnswer(
                sheet=change.sheet, item=change.item
            )
            row.answer, row.comment = change.new_answer, change.new_comment
            row.save()
    return plan


# ---------------------------------------------------------------- templates


@transaction.atomic
def save_item(user, item: ChecklistItem) -> ChecklistItem:
    """Save an item of a checklist template edited in the UI (region only)."""
    _require(user, "monitoring.change_checklisttemplate", item.template)
    if item.detail_kinds and not all(
        (k.get("kind") if isinstance(k, dict) else k) in DetailKind.values
        for k in item.detail_kinds
    ):
        raise ValidationError("Неизвестный вид подробностей.")
    item.save()
    return item
