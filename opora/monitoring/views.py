"""Monitoring pages. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opora.accounts.access_log import record_access
from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region
from opora.core import pending
from opora.core.ids import MAX_ID
from opora.core.intake.documents import attachment
from opora.core.intake.files import UploadError, read_bytes
from opora.core.once import submit_once
from opora.core.russian.plurals import count
from opora.core.views import fail
from opora.documents import services as documents
from opora.documents.text import split_signer
from opora.monitoring import checklist as checklist
from opora.monitoring import exchange as exchange
from opora.monitoring import links
from opora.monitoring import selectors as monitoring_selectors
from opora.monitoring import services as monitoring
from opora.monitoring.documents import (
    OrderOptions,
    bracket_note,
    build_order,
    create_order_document,
    default_options,
    monitoring_data,
)
from opora.monitoring.forms import (
    CampaignEditForm,
    CampaignForm,
    ChecklistItemForm,
    ImportForm,
    ItemAnswerForm,
    OrderForm,
    ReviewForm,
)
from opora.monitoring.models import (
    Answer,
    CampaignStatus,
    ChecklistItem,
    ChecklistTemplate,
    MonitoringCampaign,
    SheetStatus,
)
from opora.monitoring.rules import fills_sheet
from opora.registry.models import School
from opora.registry.selectors import municipalities_for

_IMPORT_KEY = "monitoring_import"


def _campaign_or_404(user, pk: int) -> MonitoringCampaign:
    campaign = monitoring_selectors.campaign_for(user, pk) if pk <= MAX_ID else None
    if campaign is None:
        raise Http404("Мониторинг не найден или недоступен.")
    return campaign


def _managed_or_404(user, pk: int) -> MonitoringCampaign:
    campaign = _campaign_or_404(user, pk)
    if not user.has_perm("monitoring.change_monitoringcampaign", campaign):
        raise PermissionDenied
    return campaign


def _sheet_or_404(user, pk: int):
    sheet = monitoring_selectors.sheet_for(user, pk) if pk <= MAX_ID else None
    if sheet is None:
        raise Http404("Чек-лист не найден или недоступен.")
    return sheet


# ---------------------------------------------------------------- campaigns


def campaign_list(request):
    user = request.user
    return render(
        request,
        "monitoring/campaign_list.html",
        {
            "campaigns": monitoring_selectors.campaign_list(user),
            "can_create": user.has_perm("monitoring.add_monitoringcampaign"),
            "is_school": user.role == Role.SCHOOL,
        },
    )


@submit_once
def campaign_create(request):
    user = request.user
    if not user.has_perm("monitoring.add_monitoringcampaign"):
        raise PermissionDenied
    municipalities = municipalities_for(user)
    if not can_write_region(user):  # a coordinator starts campaigns in its own municipality
        municipalities = municipalities.filter(pk=user.municipality_id)
    chosen_id = request.POST.get("municipality") or request.GET.get("municipality")
    chosen_id = chosen_id if str(chosen_id or "").isdigit() else user.municipality_id
    municipality = (
        municipalities.filter(pk=int(chosen_id)).first() if chosen_id else None
    ) or municipalities.first()
    schools = (
        monitoring_selectors.municipality_schools(municipality)
        if municipality
        else School.objects.none()
    )
    template = monitoring_selectors.default_template()
    form = CampaignForm(
        request.POST or None,
        municipalities=municipalities,
        schools=schools,
        initial={
            "municipality": municipality,
            "template": template,
            "schools": [s.pk for s in schools if s.is_listed],
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            campaign = monitoring.create_campaign(
                user,
                title=d["title"],
                municipality=d["municipality"],
                template=d["template"],
                period_text=d["period_text"],
                due_date=d["due_date"],
                schools=list(d["schools"]),
            )
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(
                request,
                "Мониторинг начат: чек-листы открыты для "
                f"{count(campaign.sheets.count(), 'школы', 'школ', 'школ')}.",
            )
            return redirect("monitoring:campaign_detail", campaign.pk)
    template_name = (
        "monitoring/_campaign_form.html"
        if request.htmx and request.method == "GET"
        else "monitoring/campaign_form.html"
    )
    return render(request, template_name, {"form": form, "creating": True})


def campaign_detail(request, pk: int):
    user = request.user
    campaign = _campaign_or_404(user, pk)
    if user.role == Role.SCHOOL:
        own = campaign.sheets.filter(school_id=user.school_id).first()
        if own is None:
            raise Http404
        return redirect("monitoring:sheet_detail", own.pk)
    overview = monitoring_selectors.campaign_overview(user, campaign)
    return render(
        request,
        "monitoring/campaign_detail.html",
        {
            "campaign": campaign,
            "overview": overview,
            "columns": [(item, overview.labels[item.pk]) for item in overview.items],
            "manages": user.has_perm("monitoring.change_monitoringcampaign", campaign),
            "documents": list(documents.documents_of(user, campaign)),
            "statuses": SheetStatus,
            "answers": Answer,
        },
    )


def campaign_edit(request, pk: int):
    user = request.user
    campaign = _managed_or_404(user, pk)
    schools = monitoring_selectors.municipality_schools(campaign.municipality)
    form = CampaignEditForm(
        request.POST or None,
        schools=schools,
        initial={
            "title": campaign.title,
            "period_text": campaign.period_text,
            "due_date": campaign.due_date,
            "schools": list(campaign.sheets.values_list("school_id", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            monitoring.update_campaign(
                user,
                campaign,
                title=d["title"],
                period_text=d["period_text"],
                due_date=d["due_date"],
                schools=list(d["schools"]),
            )
        except ValidationError as exc:
            fail(request, exc)
        else:
            messages.success(request, "Мониторинг сохранён.")
            return redirect("monitoring:campaign_detail", campaign.pk)
    return render(
        request,
        "monitoring/campaign_form.html",
        {"form": form, "campaign": campaign, "creating": False},
    )


@require_POST
def campaign_status(request, pk: int):
    campaign = _managed_or_404(request.user, pk)
    status = request.POST.get("status", "")
    if status not in CampaignStatus.values:
        messages.error(request, "Неизвестное состояние мониторинга.")
    else:
        try:
            monitoring.set_campaign_status(request.user, campaign, status)
        except ValidationError as exc:
            fail(request, exc)
        else:
            messages.success(
                request,
                "Мониторинг завершён: чек-листы закрыты."
                if status == CampaignStatus.CLOSED
                else "Мониторинг снова открыт.",
            )
    return redirect("monitoring:campaign_detail", campaign.pk)


def campaign_export(request, pk: int):
    user = request.user
    campaign = _campaign_or_404(user, pk)
    if not user.has_perm("monitoring.export_monitoringcampaign", campaign):
        raise PermissionDenied
    content = exchange.export_answers_xlsx(user, campaign)
    record_access(user, "Выгрузка ответов мониторинга", campaign)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _attachment(f"Ответы мониторинга {campaign.pk}.xlsx")
    return response


def campaign_import(request, pk: int):
    user = request.user
    campaign = _managed_or_404(user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = read_bytes(upload)
        except UploadError as exc:
            error = str(exc)
        else:
            plan = exchange.plan_answers_import(user, campaign, data, upload.name)
            if not plan.errors and plan.changes:
                pending.stash(request, _IMPORT_KEY, data, name=upload.name, campaign=campaign.pk)
    return render(
        request,
        "monitoring/import.html",
        {"campaign": campaign, "form": form, "plan": plan, "error": error},
    )


@submit_once
@require_POST
def campaign_import_confirm(request, pk: int):
    user = request.user
    campaign = _managed_or_404(user, pk)
    stashed = pending.take(request, _IMPORT_KEY)
    if stashed is None or stashed[1].get("campaign") != campaign.pk:
        messages.error(request, "Файл для сохранения не найден — загрузите его ещё раз.")
        return redirect("monitoring:campaign_import", campaign.pk)
    data, meta = stashed
    plan = monitoring.apply_answers_import(user, campaign, data, meta.get("name", ""))
    if plan.errors:
        messages.error(request, "Ответы не сохранены, ничего не записано: " + " ".join(plan.errors))
        return redirect("monitoring:campaign_import", campaign.pk)
    messages.success(
        request, f"Ответы сохранены: изменений {len(plan.changes)} у школ: {plan.schools}."
    )
    return redirect("monitoring:campaign_detail", campaign.pk)


@submit_once
def campaign_order(request, pk: int):
    """Options of the order, the instructions suggested, and the generation of the draft."""
    user = request.user
    campaign = _managed_or_404(user, pk)
    data = monitoring_data(campaign)
    preview = build_order(data)
    defaults = default_options(campaign)
    form = OrderForm(
        request.POST or None,
        suggestions=preview.suggestions,
        initial={
            "kind": defaults.kind,
            "organisation": defaults.organisation,
            "place": defaults.place,
            "title": preview.title,
            "signer_position": split_signer(defaults.signer)[0],
            "signer_name": split_signer(defaults.signer)[1],
            "executor": defaults.executor,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        signer = "\n".join(p for p in (d["signer_position"], d["signer_name"]) if p.strip())
        options = OrderOptions(
            kind=d["kind"],
            organisation=d["organisation"],
            place=d["place"],
            title=d["title"],
            basis=d["basis"],
            instruction_keys=list(d["instructions"]),
            instruction_due=d["instruction_due"],
            report_to=d["report_to"],
            report_due=d["report_due"],
            control_person=d["control_person"],
            control_position=d["control_position"],
            signer=signer,
            executor=d["executor"],
        )
        try:
            document = create_order_document(user, campaign, options)
        except ValidationError as exc:
            fail(request, exc)
        else:
            messages.success(
                request,
                "Проект распоряжения готов: проверьте текст, поправьте его и зафиксируйте "
                "с номером и датой.",
            )
            return redirect("documents:detail", document.pk)
    return render(
        request,
        "monitoring/order_form.html",
        {
            "campaign": campaign,
            "form": form,
            "data": data,
            "preview": preview,
            "total_sheets": len(data.sheets) + len(data.not_accepted),
        },
    )


# ---------------------------------------------------------------- sheets


def _item_forms(sheet, items, answers, data=None, only=None):
    labels = checklist.item_labels(items)
    rows = []
    for item in items:
        bound = data if only is not None and item.pk == only else None
        form = ItemAnswerForm(bound, item=item, existing=answers.get(item.pk))
        rows.append({"item": item, "label": labels[item.pk], "form": form})
    return rows


def _sheet_context(request, sheet, rows=None):
    user = request.user
    items = monitoring_selectors.template_items(sheet.campaign.template)
    answers = monitoring_selectors.answers_by_sheet([sheet])[sheet.pk]
    labels = checklist.item_labels(items)
    can_fill = fills_sheet(user, sheet) and (
        sheet.campaign.status == CampaignStatus.OPEN
        and sheet.status in (SheetStatus.DRAFT, SheetStatus.RETURNED)
    )
    sections: dict[int, list] = {}
    if can_fill:
        rows = rows or _item_forms(sheet, items, answers)
    else:
        rows = []
        for item in items:
            answer = answers.get(item.pk)
            details = (answer.details if answer else None) or {}
            rows.append(
                {
                    "item": item,
                    "label": labels[item.pk],
                    "answer": answer,
                    "note": bracket_note(details),
                    "links": details.get("links") or [],
                    "links_pending": links.pending(details),
                }
            )
    evidence = monitoring_selectors.evidence_by_item(sheet)
    for row in rows:
        row["evidence"] = evidence.get(row["item"].pk, [])
        sections.setdefault(row["item"].section, []).append(row)
    return {
        "sheet": sheet,
        "campaign": sheet.campaign,
        "sections": sorted(sections.items()),
        "can_fill": can_fill,
        "can_review": user.has_perm("monitoring.review_campaignschool", sheet)
        and sheet.campaign.status == CampaignStatus.OPEN
        and sheet.status in (SheetStatus.SUBMITTED, SheetStatus.ACCEPTED),
        # The coordinator checking the school itself accepts the sheet it filled.
        "can_accept_own": can_fill and user.role != Role.SCHOOL,
        "is_school": user.role == Role.SCHOOL,
        "review_form": ReviewForm(),
        "answered": len(answers),
        "total": len(items),
        "statuses": SheetStatus,
        "upload_limit_mb": _upload_limit_mb(),
    }


def sheet_detail(request, pk: int):
    sheet = _sheet_or_404(request.user, pk)
    if not request.user.has_perm("monitoring.view_campaignschool", sheet):
        raise Http404
    return render(request, "monitoring/sheet.html", _sheet_context(request, sheet))


@require_POST
def sheet_item_save(request, pk: int, item_pk: int):
    """Save one item of the sheet (HTMX swaps the item's card; without JS, back to the page)."""
    user = request.user
    sheet = _sheet_or_404(user, pk)
    if not fills_sheet(user, sheet):
        raise PermissionDenied
    item = ChecklistItem.objects.filter(pk=item_pk, template_id=sheet.campaign.template_id).first()
    if item is None or item_pk > MAX_ID:
        raise Http404("Пункт не найден.")
    existing = sheet.answers.filter(item=item).first()
    form = ItemAnswerForm(request.POST, item=item, existing=existing)
    saved = False
    error = ""
    if form.is_valid():
        try:
            existing = monitoring.save_answers(
                user,
                sheet,
                [
                    (
                        item,
                        form.cleaned_data["answer"],
                        form.cleaned_data["details"],
                        form.cleaned_data.get("comment", ""),
                    )
                ],
                files=_item_files(request, [item]),
            )
            existing = sheet.answers.filter(item=item).first()
        except ValidationError as exc:
            error = "; ".join(exc.messages) + _files_again(request)
        else:
            saved = True
            form = ItemAnswerForm(item=item, existing=existing)
    if request.htmx:
        items = monitoring_selectors.template_items(sheet.campaign.template)
        return render(
            request,
            "monitoring/_item_card.html",
            {
                "sheet": sheet,
                "row": {
                    "item": item,
                    "label": checklist.item_labels(items)[item.pk],
                    "form": form,
                    "evidence": list(sheet.evidence.filter(item=item)),
                },
                "saved": saved,
                "error": error,
                "can_fill": True,
                "oob_progress": sheet.answers.count(),
                "upload_limit_mb": _upload_limit_mb(),
                "total": len(items),
            },
        )
    if saved:
        messages.success(request, "Ответ сохранён.")
    elif error:
        messages.error(request, error)
    else:
        messages.error(request, "Ответ не сохранён: проверьте поля пункта.")
    return redirect(reverse("monitoring:sheet_detail", args=[sheet.pk]) + f"#item-{item.pk}")


@require_POST
def sheet_save(request, pk: int):
    """Save the whole checklist as one form: every item valid and saved together, or the page
    again with everything as entered and each refused item marked."""
    user = request.user
    sheet = _sheet_or_404(user, pk)
    if not fills_sheet(user, sheet):
        raise PermissionDenied
    items = monitoring_selectors.template_items(sheet.campaign.template)
    existing = monitoring_selectors.answers_by_sheet([sheet])[sheet.pk]
    labels = checklist.item_labels(items)
    rows = []
    for item in items:
        form = ItemAnswerForm(request.POST, item=item, existing=existing.get(item.pk))
        rows.append({"item": item, "label": labels[item.pk], "form": form})
    # An item left without an answer stays unanswered; one answered must be valid.
    given = [r for r in rows if r["form"].data.get(r["form"].add_prefix("answer"))]
    invalid = [r["label"] for r in given if not r["form"].is_valid()]
    if not invalid:
        try:
            saved = monitoring.save_answers(
                user,
                sheet,
                [
                    (
                        r["item"],
                        r["form"].cleaned_data["answer"],
                        r["form"].cleaned_data["details"],
                        r["form"].cleaned_data.get("comment", ""),
                    )
                    for r in given
                ],
                files=_item_files(request, items),
            )
        except ValidationError as exc:
            fail(request, exc)
            if request.FILES:
                messages.warning(request, _FILES_AGAIN)
        else:
            messages.success(request, f"Сохранено ответов: {saved}.")
            return redirect("monitoring:sheet_detail", sheet.pk)
    else:
        messages.error(
            request,
            f"Ничего не сохранено: исправьте пункты {', '.join(invalid)} — "
            "остальное, что вы ввели, на месте.",
        )
        if request.FILES:
            messages.warning(request, _FILES_AGAIN)
    context = _sheet_context(request, sheet, rows=rows)
    return render(request, "monitoring/sheet.html", context, status=200)


_FILES_AGAIN = "Выбранные файлы браузер не сохраняет: выберите их снова перед сохранением."


def _files_again(request) -> str:
    return f". {_FILES_AGAIN}" if request.FILES else ""


def _upload_limit_mb() -> int:
    return settings.MAX_UPLOAD_BYTES // (1024 * 1024)


def _item_files(request, items) -> dict:
    """The evidence files chosen per item in the sheet's form (``i<item>-files``)."""
    chosen = {item: request.FILES.getlist(f"i{item.pk}-files") for item in items}
    return {item: files for item, files in chosen.items() if files}


def evidence_download(request, pk: int):
    """A file confirming a checklist item, to whoever may see the sheet; the read is logged."""
    evidence = monitoring_selectors.item_evidence_for(request.user, pk) if pk <= MAX_ID else None
    if evidence is None or not evidence.file:
        raise Http404("Файл не найден или недоступен.")
    record_access(request.user, "Файл подтверждения пункта чек-листа", evidence)
    return attachment(evidence.file, evidence.original_name, evidence.content_type)


@require_POST
def evidence_remove(request, pk: int):
    user = request.user
    evidence = monitoring_selectors.item_evidence_for(user, pk) if pk <= MAX_ID else None
    if evidence is None:
        raise Http404("Файл не найден или недоступен.")
    error = ""
    try:
        monitoring.remove_evidence(user, evidence)
    except (ValidationError, PermissionDenied) as exc:
        error = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    if request.htmx:
        items = monitoring_selectors.template_items(evidence.sheet.campaign.template)
        item = next(i for i in items if i.pk == evidence.item_id)
        response = render(
            request,
            "monitoring/_item_evidence.html",
            {
                "item": item,
                "label": checklist.item_labels(items)[item.pk],
                "evidence": list(evidence.sheet.evidence.filter(item_id=item.pk)),
                "can_fill": not error,
            },
        )
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Файл «{evidence.original_name}» удалён.")
    return redirect(
        reverse("monitoring:sheet_detail", args=[evidence.sheet_id]) + f"#item-{evidence.item_id}"
    )


@require_POST
def sheet_submit(request, pk: int):
    user = request.user
    sheet = _sheet_or_404(user, pk)
    if not fills_sheet(user, sheet):
        raise PermissionDenied
    try:
        monitoring.submit_sheet(user, sheet)
    except ValidationError as exc:
        fail(request, exc)
    else:
        messages.success(request, "Чек-лист отправлен в муниципалитет.")
    return redirect("monitoring:sheet_detail", sheet.pk)


@require_POST
def sheet_review(request, pk: int):
    user = request.user
    sheet = _sheet_or_404(user, pk)
    if not user.has_perm("monitoring.review_campaignschool", sheet):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Выберите решение: принять или вернуть.")
        return redirect("monitoring:sheet_detail", sheet.pk)
    try:
        if form.cleaned_data["decision"] == "accept":
            monitoring.accept_sheet(user, sheet, form.cleaned_data["comment"])
            messages.success(request, f"Чек-лист школы «{sheet.school}» принят.")
        else:
            monitoring.return_sheet(user, sheet, form.cleaned_data["comment"])
            messages.success(request, f"Чек-лист возвращён школе «{sheet.school}».")
    except ValidationError as exc:
        fail(request, exc)
        return redirect("monitoring:sheet_detail", sheet.pk)
    return redirect("monitoring:campaign_detail", sheet.campaign_id)


# ---------------------------------------------------------------- checklist templates


def checklist_list(request):
    templates = ChecklistTemplate.objects.order_by("-is_default", "name")
    return render(
        request,
        "monitoring/checklist_list.html",
        {
            "templates": templates,
            "can_edit": request.user.has_perm("monitoring.change_checklisttemplate"),
        },
    )


def checklist_detail(request, pk: int):
    template = ChecklistTemplate.objects.filter(pk=pk).first() if pk <= MAX_ID else None
    if template is None:
        raise Http404
    items = monitoring_selectors.template_items(template)
    labels = checklist.item_labels(items)
    return render(
        request,
        "monitoring/checklist_detail.html",
        {
            "template": template,
            "rows": [
                {"item": i, "label": labels[i.pk], "specs": checklist.detail_specs(i)}
                for i in items
            ],
            "campaigns": template.monitoringcampaign_set.count(),
            "can_edit": request.user.has_perm("monitoring.change_checklisttemplate", template),
        },
    )


def _item_form_page(request, template, item):
    if not request.user.has_perm("monitoring.change_checklisttemplate", template):
        raise PermissionDenied
    form = ChecklistItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        try:
            monitoring.save_item(request.user, item)
        except ValidationError as exc:
            fail(request, exc)
        else:
            messages.success(request, "Пункт чек-листа сохранён.")
            return redirect("monitoring:checklist_detail", template.pk)
    return render(
        request,
        "monitoring/checklist_item_form.html",
        {"form": form, "template": template, "item": item},
    )


def checklist_item_edit(request, pk: int):
    item = (
        ChecklistItem.objects.select_related("template").filter(pk=pk).first()
        if pk <= MAX_ID
        else None
    )
    if item is None:
        raise Http404
    return _item_form_page(request, item.template, item)


@submit_once
def checklist_item_add(request, pk: int):
    template = ChecklistTemplate.objects.filter(pk=pk).first() if pk <= MAX_ID else None
    if template is None:
        raise Http404
    last = template.items.order_by("-order").first()
    item = ChecklistItem(
        template=template,
        order=(last.order + 1) if last else 1,
        section=(last.section + 1) if last else 1,
    )
    return _item_form_page(request, template, item)


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"monitoring.xlsx\"; filename*=UTF-8''{quote(name)}"
