"""Roadmap pages. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

import mimetypes
from collections import OrderedDict
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from opora.accounts.access_log import record_access
from opora.accounts.models import Role
from opora.accounts.reach import reminder_message
from opora.core import contributions
from opora.core.calendar import current_year
from opora.core.history import history_entries
from opora.core.ids import MAX_ID
from opora.core.intake.documents import attachment, sniff_type
from opora.core.intake.files import UploadError
from opora.core.once import submit_once
from opora.core.views import fail
from opora.registry.selectors import municipalities_for
from opora.roadmaps import selectors, services
from opora.roadmaps.documents import create_approval_order, draft_tasks_letter
from opora.roadmaps.export import roadmap_docx, roadmap_xlsx
from opora.roadmaps.forms import (
    ApproveForm,
    CommentForm,
    CopyForm,
    EventForm,
    ParentEventForm,
    ReportForm,
)
from opora.roadmaps.models import (
    EventExecutor,
    EventPeriod,
    ExecutorRole,
    ProgressStatus,
    RoadmapEvent,
    RoadmapLevel,
    RoadmapStatus,
)
from opora.roadmaps.rollup import STATES, rollup_of
from opora.roadmaps.versions import diff as version_diff

EVENTS_PER_PAGE = 100


def _roadmap_or_404(user, pk):
    roadmap = selectors.roadmap_for(user, pk)
    if roadmap is None:
        raise Http404("Дорожная карта не найдена или недоступна.")
    return roadmap


def _event_or_404(user, pk) -> RoadmapEvent:
    event = selectors.event_for(user, pk)
    if event is None:
        raise Http404("Мероприятие не найдено или недоступно.")
    return event


def _id_param(value) -> int | None:
    """A database id from a query or form parameter: «12» → 12; «abc», «-1», «9…9» → None."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def _executor_param(value: str, *, allow_unknown: bool = False) -> str:
    """«org:<id>», «role:<role>» (and «unknown» where allowed) as given; anything else: ""."""
    if value.startswith("org:"):
        org_id = _id_param(value[4:])
        return f"org:{org_id}" if org_id else ""
    if value.startswith("role:") or (allow_unknown and value == "unknown"):
        return value
    return ""


def roadmap_list(request):
    status = request.GET.get("status", "")
    level = request.GET.get("level", "")
    if status not in RoadmapStatus.values:
        status = ""
    if level not in RoadmapLevel.values:
        level = ""
    return render(
        request,
        "roadmaps/list.html",
        {
            "roadmaps": list(selectors.roadmap_list(request.user, status=status, level=level)),
            "status": status,
            "level": level,
            "statuses": RoadmapStatus.choices,
            "levels": RoadmapLevel.choices,
            "can_import": request.user.has_perm("roadmaps.add_roadmap"),
            "summary": selectors.overdue_summary(request.user),
        },
    )


def _event_filter(request, roadmap):
    f = selectors.EventFilter()
    section = _id_param(request.GET.get("section"))
    if section and roadmap.sections.filter(pk=section).exists():
        f.section = section
    f.executor = _executor_param(request.GET.get("executor", ""), allow_unknown=True)
    state = request.GET.get("state", "")
    if state in {"overdue", "week", "month", "done", "unknown_deadline"}:
        f.state = state
    return f


def roadmap_detail(request, pk):
    user = request.user
    roadmap = _roadmap_or_404(user, pk)
    f = _event_filter(request, roadmap)
    # A page of events: a long roadmap (500 events) is read and rendered a hundred at a time.
    page = Paginator(selectors.events_of(roadmap, f), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    sections = OrderedDict()
    for event in page.object_list:
        sections.setdefault(event.section, []).append(event)
    # The distinct executors only, not one row per event (500 events: a thousand rows).
    executors = (
        EventExecutor.objects.filter(event__roadmap=roadmap)
        .values_list("organisation_id", "organisation__short_name", "role")
        .order_by("organisation__short_name", "role")
        .distinct()
    )
    role_labels = dict(ExecutorRole.choices)
    executor_choices = OrderedDict()
    for organisation_id, organisation_name, role in executors:
        if organisation_id:
            executor_choices[f"org:{organisation_id}"] = organisation_name
        elif role:
            executor_choices[f"role:{role}"] = role_labels.get(role, role)
        else:
            executor_choices["unknown"] = "нераспознанные"
    return render(
        request,
        "roadmaps/detail.html",
        {
            "roadmap": roadmap,
            "sections": sections,
            "page": page,
            "all_sections": list(roadmap.sections.all()),
            "executor_choices": executor_choices,
            "filter": f,
            "event_states": selectors.EVENT_STATES,
            "progress": selectors.roadmap_progress(roadmap),
            "today": timezone.localdate(),
            "transitions": list(roadmap.transitions.select_related("user")[:20]),
            "indicators": list(roadmap.indicators.all()),
            "versions": list(_versions(roadmap)),
            "can_edit": roadmap.is_editable and user.has_perm("roadmaps.change_roadmap", roadmap),
            "can_owner": user.has_perm("roadmaps.change_roadmap", roadmap),
            "can_review": user.has_perm("roadmaps.review_roadmap", roadmap),
            "own_submission": services.submitted_by_self(user, roadmap),
            "version_diff": version_diff(roadmap),
            "panels": _roadmap_panels(request, roadmap),
            "approve_form": ApproveForm(initial={"day": timezone.localdate()}),
            "comment_form": CommentForm(),
            "copy_form": CopyForm(),
            "history": history_entries(roadmap.history.all(), limit=20),
        },
    )


def _roadmap_panels(request, roadmap) -> list[str]:
    """Cards other apps add to the roadmap page (the expertise's automatic pre-check, shown
    before approval), each with its selector's data (core.contributions)."""
    rendered = []
    for panel in contributions.roadmap_panels():
        data = panel.context(request.user, roadmap)
        if data is not None:
            rendered.append(render_to_string(panel.template, data, request=request))
    return rendered


def _report_panels(request, event, reports) -> None:
    """What other apps add under each report (coaching's thread on a school's report): each
    report gets ``panels``, rendered from one call per contribution (core.contributions)."""
    for report in reports:
        report.panels = []
    by_pk = {r.pk: r for r in reports}
    for panel in contributions.report_panels():
        for pk, data in (panel.context(request.user, event, reports) or {}).items():
            if pk in by_pk:
                by_pk[pk].panels.append(render_to_string(panel.template, data, request=request))


def _versions(roadmap):
    """The chain of versions this roadmap belongs to, oldest first (a handful of rows)."""
    chain = []
    node = roadmap
    while node.previous_id and len(chain) < 20:
        node = node.previous
        chain.append(node)
    return reversed(chain)


def _row(request, event, editing=False, form=None):
    event = selectors.events_of(event.roadmap).get(pk=event.pk)
    return render(
        request,
        "roadmaps/_event_row.html",
        {
            "event": event,
            "roadmap": event.roadmap,
            "editing": editing,
            "form": form,
            "today": timezone.localdate(),
            "can_edit": event.roadmap.is_editable
            and request.user.has_perm("roadmaps.change_roadmap", event.roadmap),
        },
    )


def event_edit(request, pk):
    """Inline editing of an event row (HTMX); a full page without HTMX."""
    user = request.user
    event = _event_or_404(user, pk)
    if not (event.roadmap.is_editable and user.has_perm("roadmaps.change_roadmap", event.roadmap)):
        raise PermissionDenied
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(
                user,
                RoadmapEvent.objects.get(pk=event.pk),
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if request.htmx:
                return _row(request, event)
            messages.success(request, "Мероприятие сохранено.")
            return redirect("roadmaps:detail", event.roadmap_id)
    if request.htmx:
        return _row(request, event, editing=True, form=form)
    return render(request, "roadmaps/event_form.html", {"form": form, "event": event})


def event_row(request, pk):
    return _row(request, _event_or_404(request.user, pk))


def event_detail(request, pk):
    return _event_page(request, _event_or_404(request.user, pk))


def _event_panels(request, event) -> list[str]:
    """Cards other apps add to the event page (the recommendations the event answers)."""
    rendered = []
    for panel in contributions.event_panels():
        data = panel.context(request.user, event)
        if data is not None:
            rendered.append(render_to_string(panel.template, data, request=request))
    return rendered


def _event_page(request, event, report_form=None):
    """The event page; ``report_form`` bound to what was sent when it had an error, so that
    nothing entered is lost."""
    user = request.user
    roadmap = event.roadmap
    periods = EventPeriod.objects.filter(event=event).order_by("start")
    period_list = list(periods)
    can_report = user.has_perm("roadmaps.report_progress", roadmap)
    addressee = _addressee(user, event)
    # The report is most likely due for the earliest period not yet done.
    first_open = next((p for p in period_list if not p.is_finished), None)
    reports = list(selectors.reports_of(event, user))
    for report in reports:
        report.event = event  # the rule reads the roadmap of the event: no query per report
        report.reviewable = user.has_perm("roadmaps.review_this_report", report)
    mine = addressee_of(user, addressee)
    returned = selectors.number_rounds(reports, mine)
    # A school or a municipality answering another body's event reads the periods as its own
    # reports, not as the owner's execution (a curator co-executes: it reads the owner's).
    periods_mine = addressee in ("school", "municipality")
    if periods_mine:
        states = selectors.my_period_states(reports, mine)
        for period in period_list:
            period.my_state = states.get(period.pk)
            period.my_label = selectors.MY_REPORT_STATE.get(period.my_state, "")
    _report_panels(request, event, reports)
    report_form = report_form or ReportForm(
        periods=periods,
        initial={
            "status": ProgressStatus.DONE,
            "done_on": timezone.localdate(),
            "period": first_open.pk if first_open else None,
        },
    )
    parent_form = None
    if roadmap.level != "region" and user.has_perm("roadmaps.change_roadmap", roadmap):
        regional = (
            RoadmapEvent.objects.filter(
                roadmap__level="region",
                roadmap__status__in=[RoadmapStatus.APPROVED, RoadmapStatus.SUBMITTED],
            )
            .select_related("roadmap")
            .order_by("roadmap_id", "order")
        )
        if event.parent_event_id or regional.exists():  # nothing to pick: no empty form
            parent_form = ParentEventForm(
                events=regional, initial={"parent_event": event.parent_event_id}
            )
    return render(
        request,
        "roadmaps/event.html",
        {
            "event": event,
            "roadmap": roadmap,
            "periods": period_list,
            "executors": list(event.executors.select_related("organisation")),
            "schools": list(event.schools.all()),
            "reports": reports,
            "children": list(
                event.child_events.select_related("roadmap__municipality", "roadmap__school")
            ),
            "report_form": report_form if (can_report or addressee) else None,
            "addressee": addressee,
            "addressee_note": ADDRESSEE_NOTES.get(addressee, ""),
            "periods_mine": periods_mine,
            "returned": returned,
            "rollup": rollup_of(user, event),
            "panels": _event_panels(request, event),
            "can_review": user.has_perm("roadmaps.review_report", roadmap),
            "parent_form": parent_form,
            "today": timezone.localdate(),
            "history": history_entries(
                event.history.all(), selectors.report_history_of(event, user), limit=30
            ),
        },
    )


def addressee_of(user, addressee: str) -> dict:
    """The report fields naming who reports as ``user`` (empty: the roadmap's owner)."""
    return {
        "school_id": user.school_id if addressee == "school" else None,
        "municipality_id": user.municipality_id if addressee == "municipality" else None,
        "curator_id": user.person_id if addressee == "curator" else None,
    }


#: How the user reports on an event, by ``_addressee``: the heading of the report form.
ADDRESSEE_NOTES = {
    "school": "за свою школу",
    "municipality": "за свой муниципалитет",
    "curator": "как куратор",
}

#: The tabs of the deadlines page: horizon, label, tone of its count.
HORIZONS = [
    ("overdue", "Просрочено", "danger"),
    ("week", "Срок на этой неделе", "warning"),
    ("month", "В течение месяца", "secondary"),
]


def _addressee(user, event) -> str:
    """'school' or 'municipality' when the user reports on a regional event addressed to them;
    'curator' when a curator reports on an event (of any roadmap it sees) addressed to curators."""
    roles = set(event.executors.values_list("role", flat=True))
    if user.role == Role.CURATOR and user.person_id and ExecutorRole.CURATOR in roles:
        return "curator"
    if event.roadmap.level == "municipality":
        # A municipal event addressed to the schools of the municipality (seed 002).
        own = user.school_id and user.school.municipality_id == event.roadmap.municipality_id
        return "school" if own and "school" in roles else ""
    if event.roadmap.level != "region":
        return ""
    if user.school_id and "school" in roles:
        return "school"
    if user.municipality_id and roles & {"municipal_authority", "methodical_service"}:
        return "municipality"
    return ""


def _kept(request, event, form):
    """The event page again with everything entered in the report form; a browser cannot be
    given back a chosen file, so the page says to choose it again."""
    if request.FILES:
        messages.warning(
            request, "Выбранные файлы браузер не сохраняет: выберите их снова перед отправкой."
        )
    return _event_page(request, event, report_form=form)


@submit_once
@require_POST
def event_report(request, pk):
    user = request.user
    event = _event_or_404(user, pk)
    periods = EventPeriod.objects.filter(event=event)
    form = ReportForm(request.POST, request.FILES, periods=periods)
    if not form.is_valid():
        messages.error(
            request,
            "Отчёт не сохранён: "
            + "; ".join(
                f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}".strip(": ")
                for k, v in form.errors.items()
            ),
        )
        return _kept(request, event, form)
    d = form.cleaned_data
    addressee = _addressee(user, event)
    try:
        services.report_progress(
            user,
            event,
            status=d["status"],
            period=d.get("period"),
            done_on=d["done_on"],
            comment=d["comment"],
            files=d["files"],
            links=d["links"].splitlines(),
            school=user.school if addressee == "school" else None,
            municipality=user.municipality if addressee == "municipality" else None,
            curator=user.person if addressee == "curator" else None,
        )
    except ValidationError as exc:
        fail(request, exc)
        return _kept(request, event, form)
    except PermissionDenied as exc:
        fail(request, exc)
    else:
        messages.success(request, "Отчёт сохранён.")
    return redirect("roadmaps:event", event.pk)


def event_rollup(request, pk):
    """Who of the event's addressees reported, was accepted, is overdue, has not started."""
    user = request.user
    event = _event_or_404(user, pk)
    rollup = rollup_of(user, event)
    if rollup is None:
        raise Http404
    state = request.GET.get("state", "")
    rows = [r for r in rollup.rows if r.state == state] if state in STATES else rollup.rows
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "roadmaps/rollup.html",
        {
            "event": event,
            "roadmap": event.roadmap,
            "rollup": rollup,
            "page": page,
            "state": state if state in STATES else "",
            "states": [(key, label, rollup.counts[key]) for key, label in STATES.items()],
            "can_remind": bool(rollup.missing),
        },
    )


@require_POST
def event_remind(request, pk):
    user = request.user
    event = _event_or_404(user, pk)
    try:
        reach, kind = services.remind_missing(user, event)
    except PermissionDenied as exc:
        fail(request, exc)
    else:
        reached, text = reminder_message(reach, kind)
        (messages.success if reached else messages.warning)(request, text)
    return redirect("roadmaps:event_rollup", event.pk)


@require_POST
def report_review(request, pk):
    user = request.user
    report = (
        selectors.visible_reports(user)
        .filter(pk=pk)
        .select_related("event__roadmap", "period")
        .first()
    )
    if report is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    try:
        services.review_report(
            user,
            report,
            accept=accept,
            comment=request.POST.get("comment", ""),
            seen_state=request.POST.get("seen_state", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Отчёт принят." if accept else "Отчёт возвращён с комментарием.")
    return redirect("roadmaps:event", report.event_id)


def evidence_download(request, pk):
    user = request.user
    evidence = selectors.visible_evidence(user, pk)
    if evidence is None or not evidence.file:
        raise Http404
    record_access(user, "Файл подтверждения к отчёту", evidence)
    return attachment(evidence.file, evidence.original_name, evidence.content_type)


def approval_document(request, pk):
    """The file of the document that approved the roadmap, to whoever may see the roadmap."""
    roadmap = _roadmap_or_404(request.user, pk)
    if not roadmap.approval_file:
        raise Http404
    with roadmap.approval_file.open("rb") as handle:
        head = handle.read(settings.MAX_UPLOAD_BYTES + 1)
    try:
        content_type = sniff_type(head)
    except UploadError:
        content_type = None
    extension = mimetypes.guess_extension(content_type or "") or ""
    name = f"утверждение-{roadmap.approval_number or roadmap.pk}{extension}"
    return attachment(roadmap.approval_file, name, content_type)


@require_POST
def event_link_parent(request, pk):
    user = request.user
    event = _event_or_404(user, pk)
    given = request.POST.get("parent_event") or ""
    parent = None
    if given:
        parent_id = _id_param(given)
        parent = (
            RoadmapEvent.objects.filter(pk=parent_id, roadmap__level="region").first()
            if parent_id
            else None
        )
        if parent is None:
            raise Http404
    try:
        services.update_event(user, RoadmapEvent.objects.get(pk=event.pk), parent_event=parent)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Связь с региональным мероприятием сохранена.")
    return redirect("roadmaps:event", event.pk)


@submit_once
@require_POST
def roadmap_transition(request, pk, action):
    user = request.user
    roadmap = _roadmap_or_404(user, pk)
    try:
        services.expect_status(roadmap, request.POST.get("seen_status", ""))
        if action == "submit":
            services.submit_roadmap(user, roadmap, request.POST.get("comment", ""))
            messages.success(request, "Карта отправлена на согласование.")
        elif action == "return":
            services.return_roadmap(user, roadmap, request.POST.get("comment", ""))
            messages.success(request, "Карта возвращена на доработку.")
        elif action == "approve":
            form = ApproveForm(request.POST, request.FILES)
            if not form.is_valid():
                if "file" in form.errors:
                    raise ValidationError(form.errors["file"])
                raise ValidationError(
                    "Укажите вид, номер и дату документа об утверждении: "
                    + "; ".join(
                        f"{form.fields[k].label}: {' '.join(v)}"
                        if k in form.fields
                        else " ".join(v)
                        for k, v in form.errors.items()
                    )
                )
            d = form.cleaned_data
            services.approve_roadmap(
                user, roadmap, kind=d["kind"], number=d["number"], day=d["day"], file=d["file"]
            )
            messages.success(request, "Карта утверждена.")
        elif action == "archive":
            services.archive_roadmap(user, roadmap)
            messages.success(request, "Карта перенесена в архив.")
        elif action in ("copy", "version"):
            years = 1
            if action == "copy":  # a new version keeps the period: no shift to read
                form = CopyForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(form.errors["years"])
                years = form.cleaned_data["years"]
            copy = services.copy_roadmap(
                user, roadmap, years=years, as_new_version=action == "version"
            )
            messages.success(request, "Создан черновик на основе карты.")
            return redirect("roadmaps:detail", copy.pk)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    return redirect("roadmaps:detail", roadmap.pk)


def roadmap_export(request, pk, fmt):
    roadmap = _roadmap_or_404(request.user, pk)
    if fmt == "docx":
        data = roadmap_docx(roadmap)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "xlsx":
        data = roadmap_xlsx(roadmap)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    record_access(request.user, "Выгрузка дорожной карты", roadmap)
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="roadmap-{roadmap.pk}.{fmt}"'
    return response


def roadmap_timeline(request, pk):
    """Events by month across the roadmap's period."""
    roadmap = _roadmap_or_404(request.user, pk)
    months = []
    y, m = roadmap.period_start.year, roadmap.period_start.month
    while (y, m) <= (roadmap.period_end.year, roadmap.period_end.month) and len(months) < 60:
        months.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    rows = []
    for event in selectors.events_of(roadmap):
        periods = list(event.periods.all())
        cells = []
        for month in months:
            ny, nm = (month.year + 1, 1) if month.month == 12 else (month.year, month.month + 1)
            end = date(ny, nm, 1)
            hit = [p for p in periods if p.start < end and p.end >= month]
            cells.append(hit[0] if hit else None)
        rows.append((event, cells))
    return render(
        request,
        "roadmaps/timeline.html",
        {"roadmap": roadmap, "months": months, "rows": rows, "today": timezone.localdate()},
    )


def my_tasks(request):
    user = request.user
    return render(
        request,
        "roadmaps/tasks.html",
        {
            "tasks": list(selectors.my_tasks(user)[:200]),
            "regional": selectors.regional_task_rows(user, 200),
            "regional_heading": selectors.addressed_tasks_heading(user),
            "today": timezone.localdate(),
        },
    )


#: Rows on one page of the deadline control.
OVERDUE_PER_PAGE = 100


def overdue(request):
    user = request.user
    horizon = request.GET.get("horizon", "overdue")
    if horizon not in ("overdue", "week", "month"):
        horizon = "overdue"
    municipality = _id_param(request.GET.get("municipality"))
    executor = _executor_param(request.GET.get("executor", ""))
    qs = selectors.overdue_periods(
        user, horizon=horizon, municipality=municipality, executor=executor
    )
    summary = selectors.overdue_summary(user)
    # Unfiltered, the total is one of the summary's counts: not another pass over the periods.
    total = qs.count() if municipality or executor else summary[horizon]
    paginator = Paginator(qs, OVERDUE_PER_PAGE)
    paginator.count = total  # known already: no second COUNT over the periods
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "roadmaps/overdue.html",
        {
            "periods": list(page.object_list),
            "page": page,
            "query": query.urlencode(),
            "total": total,
            "horizon": horizon,
            "horizons": [(value, label, tone, summary[value]) for value, label, tone in HORIZONS],
            "summary": summary,
            "municipalities": list(municipalities_for(user).values("pk", "name")),
            "municipality": municipality,
            "executor": executor,
            "by_municipality": selectors.overdue_by(user, "municipality", horizon),
            "by_executor": selectors.overdue_by(user, "executor", horizon),
            "today": timezone.localdate(),
            "year": current_year(),
        },
    )


@require_POST
def approval_order(request, pk):
    """A draft order approving the roadmap (its appendix the roadmap), opened for editing."""
    roadmap = _roadmap_or_404(request.user, pk)
    try:
        document = create_approval_order(request.user, roadmap)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("roadmaps:detail", roadmap.pk)
    messages.success(request, "Проект приказа об утверждении карты подготовлен: проверьте текст.")
    return redirect("documents:detail", document.pk)


@require_POST
def tasks_letter(request, pk):
    """The letter sending the roadmap's tasks to the municipalities (or the schools)."""
    roadmap = _roadmap_or_404(request.user, pk)
    try:
        document, created = draft_tasks_letter(request.user, roadmap)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("roadmaps:detail", roadmap.pk)
    if created:
        messages.success(request, "Проект письма с мероприятиями подготовлен: проверьте текст.")
    return redirect("documents:detail", document.pk)
