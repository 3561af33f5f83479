"""Implementation monitoring (seed 004): the writes.

The municipality starts a campaign over its schools with a checklist; each school answers every
item with its evidence and sends the sheet; the municipality returns it or accepts it; the
answers may also come back in the Excel file the campaign gave out (preview, then apply).
Every write here takes the acting user and checks the permission with ``accounts.guards``.
Links a school gives are checked by a background task (``monitoring.tasks``), never here.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.core.intake.documents import check_document_file
from opora.core.states import StateChanged, change_state, stale_message, upsert
from opora.monitoring import links, tasks
from opora.monitoring.checklist import item_labels
from opora.monitoring.exchange import ImportPlan, plan_answers_import
from opora.monitoring.models import (
    Answer,
    CampaignSchool,
    CampaignStatus,
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    DetailKind,
    ItemEvidence,
    MonitoringCampaign,
    SheetStatus,
)
from opora.monitoring.selectors import listed_schools, template_items
from opora.registry.models import Municipality, School


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
    # Held: a school saving its first answer meanwhile is not deleted with its sheet.
    sheets = {
        s.school_id: s
        for s in campaign.sheets.select_for_update(of=("self",)).select_related("school")
    }
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
    # Only what the form edits: a campaign closed meanwhile stays closed.
    _stamp(campaign, user).save(update_fields=["title", "period_text", "due_date"])
    for school_id, sheet in sheets.items():
        if school_id not in wanted:
            sheet.delete()
    for school_id, school in wanted.items():
        if school_id not in sheets:
            CampaignSchool.objects.create(campaign=campaign, school=school)
    return campaign


@transaction.atomic
def set_campaign_status(user, campaign: MonitoringCampaign, status: str) -> None:
    """Close or reopen a campaign, from the status the request read («завершить» twice: the
    second click is told the campaign is already closed)."""
    _require(user, "monitoring.change_monitoringcampaign", campaign)
    if status not in CampaignStatus.values:
        raise ValidationError("Неизвестное состояние мониторинга.")
    if campaign.status == status:
        raise StateChanged(_campaign_stale(campaign), code="stale")
    change_state(
        _stamp(campaign, user),
        expected={"status": campaign.status},
        changes={"status": status},
        stale=_campaign_stale,
    )


def _campaign_stale(current: MonitoringCampaign | None) -> str:
    if current is None:
        return stale_message("мониторинг удалён")
    return stale_message(f"мониторинг сейчас «{current.get_status_display()}»")


def _sheet_stale(current: CampaignSchool | None) -> str:
    if current is None:
        return stale_message("чек-лист удалён")
    return stale_message(f"чек-лист сейчас «{current.get_status_display()}»")


def _locked_sheet(sheet: CampaignSchool) -> CampaignSchool:
    """The sheet as it is now, its row held until the change commits: an answer saved while
    the school submits in another tab waits, then finds the sheet sent and is refused."""
    current = (
        CampaignSchool.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .filter(pk=sheet.pk)
        .first()
    )
    if current is None:
        raise StateChanged(_sheet_stale(None), code="stale")
    return current


def _require_school_of(user, sheet: CampaignSchool) -> None:
    """Only the school itself, or its municipality's coordinator checking the school, writes
    its sheet — not even a superuser (who could otherwise pass every ``has_perm``): the answers
    are evidence, given by those who checked."""
    from opora.monitoring.rules import fills_sheet

    if not fills_sheet(user, sheet):
        raise PermissionDenied("Чек-лист заполняет школа или муниципальный координатор.")


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
        current = _locked_sheet(sheet)
        if current.status != sheet.status or current.campaign.status != CampaignStatus.OPEN:
            raise StateChanged(_sheet_stale(current), code="stale")
        row, _ = upsert(
            ChecklistAnswer,
            {"sheet": current, "item": item},
            {"answer": answer, "details": details or {}, "comment": comment.strip()},
            prepare=lambda row: _stamp(row, user),
        )
        if links.pending(row.details):
            answer_id = row.pk
            transaction.on_commit(lambda: tasks.check_answer_links.enqueue(answer_id))
    return row


def record_link_checks(answer_id: int) -> int:
    """Check the links of an answer that wait for it and store the results; the number checked.

    Run by ``monitoring.tasks.check_answer_links`` after the school saves, never in a request.
    The requests go out before any row is locked; the results are written only into links
    still waiting (the school may have saved again meanwhile), as a system fact: no history
    record, no acting user.
    """
    row = ChecklistAnswer.objects.filter(pk=answer_id).only("details").first()
    waiting = [
        link["url"]
        for link in ((row.details if row else None) or {}).get("links") or []
        if link.get("status") == links.LINK_PENDING and link.get("url")
    ]
    if not waiting:
        return 0
    checked = {link["url"]: link for link in links.check_links(waiting, [])}
    with transaction.atomic():
        row = ChecklistAnswer.objects.select_for_update().filter(pk=answer_id).first()
        if row is None:
            return 0
        details = dict(row.details or {})
        details["links"] = [
            checked.get(link.get("url"), link) if link.get("status") == links.LINK_PENDING else link
            for link in details.get("links") or []
        ]
        ChecklistAnswer.objects.filter(pk=answer_id).update(details=details)
    return len(checked)


@transaction.atomic
def save_answers(user, sheet: CampaignSchool, answers: list[tuple], files=None) -> int:
    """Save the whole checklist at once: ``answers`` is a list of ``(item, answer, details,
    comment)``, ``files`` the evidence files chosen per item (``{item: [upload, …]}``). All or
    nothing: one refused item or file leaves every answer and file as it was. Returns how many
    answers were saved.
    """
    for item, answer, details, comment in answers:
        save_answer(user, sheet, item, answer=answer, details=details, comment=comment)
    for item, uploads in (files or {}).items():
        attach_evidence(user, sheet, item, uploads)
    return len(answers)


#: At most this many files confirm one item of a sheet.
MAX_FILES_PER_ITEM = 10


@transaction.atomic
def attach_evidence(user, sheet: CampaignSchool, item: ChecklistItem, uploads) -> int:
    """Attach files confirming ``item`` of ``sheet`` («Приказ № 12 от 20.04.2026.pdf»): by
    whoever fills the sheet, while it is a draft or returned; each through the one front door
    (size limit, PDF / Word / Excel / images by content). All or none; returns how many."""
    _require_school_of(user, sheet)
    _check_fillable(sheet)
    if item.template_id != sheet.campaign.template_id:
        raise ValidationError("Этого пункта нет в чек-листе мониторинга.")
    checked = [check_document_file(f, "Файл подтверждения") for f in uploads if f]
    if not checked:
        return 0
    current = _locked_sheet(sheet)
    if current.status != sheet.status or current.campaign.status != CampaignStatus.OPEN:
        raise StateChanged(_sheet_stale(current), code="stale")
    if (
        ItemEvidence.objects.filter(sheet=current, item=item).count() + len(checked)
        > MAX_FILES_PER_ITEM
    ):
        raise ValidationError(
            f"К пункту можно приложить не больше {MAX_FILES_PER_ITEM} файлов: "
            "удалите лишние или объедините их в один."
        )
    for upload, mime in checked:
        evidence = ItemEvidence(
            sheet=current,
            item=item,
            file=upload,
            original_name=upload.name[:300],
            content_type=mime,
            size=upload.size,
            uploaded_by=user,
        )
        _stamp(evidence, user)
        evidence.save()
    return len(checked)


@transaction.atomic
def remove_evidence(user, evidence: ItemEvidence) -> None:
    """Remove a file from an item, while the sheet may still be changed; the history keeps
    who removed what, the stored file goes once the removal commits."""
    sheet = evidence.sheet
    _require_school_of(user, sheet)
    _check_fillable(sheet)
    current = _locked_sheet(sheet)
    if current.status != sheet.status:
        raise StateChanged(_sheet_stale(current), code="stale")
    stored = evidence.file
    _stamp(evidence, user)
    evidence.delete()
    if stored:
        name, storage = stored.name, stored.storage
        transaction.on_commit(lambda: storage.delete(name))


def _missing(sheet: CampaignSchool) -> list[str]:
    items = template_items(sheet.campaign.template)
    answered = set(sheet.answers.values_list("item_id", flat=True))
    labels = item_labels(items)
    return [labels[i.pk] for i in items if i.pk not in answered]


@transaction.atomic
def submit_sheet(user, sheet: CampaignSchool) -> CampaignSchool:
    """Send the sheet to the municipality; every item must be answered."""
    _require_school_of(user, sheet)
    _check_fillable(sheet)
    _locked_sheet(sheet)
    missing = _missing(sheet)
    if missing:
        raise ValidationError(f"Не отвечено на пункты: {', '.join(missing)}.")
    return _move_sheet(user, sheet, status=SheetStatus.SUBMITTED, submitted_at=timezone.now())


def _move_sheet(user, sheet: CampaignSchool, **changes) -> CampaignSchool:
    """A step of the sheet from the status the request read (a plain column in the
    condition: PostgreSQL re-checks it on the row it waited for, not on a joined table)."""
    change_state(
        _stamp(sheet, user),
        expected={"status": sheet.status},
        changes=changes,
        stale=_sheet_stale,
    )
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
    return _move_sheet(user, sheet, status=SheetStatus.RETURNED, review_comment=comment.strip())


@transaction.atomic
def accept_sheet(user, sheet: CampaignSchool, comment: str = "") -> CampaignSchool:
    _require(user, "monitoring.review_campaignschool", sheet)
    _check_open(sheet.campaign)
    if sheet.status == SheetStatus.ACCEPTED:
        raise ValidationError("Чек-лист уже принят.")
    if sheet.status != SheetStatus.SUBMITTED:
        # The municipality checked the school itself and filled the sheet: it accepts it
        # once every item is answered.
        _require_school_of(user, sheet)
        missing = _missing(sheet)
        if missing:
            raise ValidationError(f"Не отвечено на пункты: {', '.join(missing)}.")
    return _move_sheet(user, sheet, status=SheetStatus.ACCEPTED, review_comment=comment.strip())


def apply_answers_import(
    user, campaign: MonitoringCampaign, data: bytes, filename: str = ""
) -> ImportPlan:
    """Save the file's answers all together, or none of them when anything is wrong.

    The campaign's sheets are held while the file is checked and saved, so a sheet accepted
    in the meantime is refused as in the preview, not overwritten.
    """
    _require(user, "monitoring.change_monitoringcampaign", campaign)
    with transaction.atomic():
        list(CampaignSchool.objects.select_for_update().filter(campaign=campaign))
        plan = plan_answers_import(user, campaign, data, filename)
        if plan.errors:
            return plan
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
