"""Assessment pages: results, imports with progress, methodologies, runs and their lists."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from opora.accounts.scopes import can_write_region
from opora.assessment import engine, selectors, services
from opora.assessment.forms import ApproveRunForm, MethodologyForm, RunForm, UploadForm
from opora.assessment.models import IdentificationRun, Methodology, ResultBatch
from opora.core.calendar import current_year
from opora.core.ids import MAX_ID
from opora.core.once import submit_once
from opora.core.views import fail
from opora.documents import services as document_services
from opora.registry.models import Municipality, School


def _region_only(user):
    if not can_write_region(user):
        raise PermissionDenied


def _runs_visible(user):
    if not selectors.can_see_runs(user):
        raise PermissionDenied


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def overview(request):
    choices = selectors.filter_choices()
    procedure = request.GET.get("procedure") or (
        choices["procedures"][0] if choices["procedures"] else "ВПР"
    )
    if choices["procedures"] and procedure not in choices["procedures"]:
        procedure = choices["procedures"][0]
    year = _int(request.GET.get("year"))
    if year not in choices["years"]:  # the selects must show what the page shows
        year = choices["years"][0] if choices["years"] else current_year()
    grade = _int(request.GET.get("grade"))
    if grade not in choices["grades"]:
        grade = None
    subject = request.GET.get("subject", "")
    if subject and subject not in choices["subjects"]:
        subject = ""
    data = selectors.overview(
        request.user, procedure=procedure, year=year, grade=grade, subject=subject
    )
    return render(
        request,
        "assessment/overview.html",
        {
            **choices,
            **data,
            "procedure": procedure,
            "year": year,
            "grade": grade,
            "subject": subject,
            "can_manage": can_write_region(request.user),
            "can_runs": selectors.can_see_runs(request.user),
        },
    )


def batches(request):
    _region_only(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = services.MAX_RESULTS_UPLOAD_BYTES
        if upload.size > limit:
            form.add_error(
                "file", f"Файл больше {limit // 1024**3} ГБ — такой файл не принимается."
            )
        elif not upload.size:
            form.add_error("file", "Файл пустой.")
        else:
            # Streamed into the uploads folder; the import runs as a task, off the request.
            batch = services.start_import(
                request.user, upload, upload.name, valid_only=form.cleaned_data["valid_only"]
            )
            return redirect("assessment:batch", batch.pk)
    return render(
        request,
        "assessment/batches.html",
        {
            "form": form,
            "batches": list(ResultBatch.objects.select_related("created_by")[:100]),
        },
    )


def batch_detail(request, pk):
    _region_only(request.user)
    batch = get_object_or_404(ResultBatch, pk=pk)
    batch.progress = services.live_progress(batch)
    template = "assessment/_batch_status.html" if request.htmx else "assessment/batch.html"
    return render(request, template, {"batch": batch})


@require_POST
def batch_delete(request, pk):
    _region_only(request.user)
    batch = get_object_or_404(ResultBatch, pk=pk)
    try:
        services.delete_batch(request.user, batch)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("assessment:batch", batch.pk)
    messages.success(request, f"Пакет «{batch.file_name}» удалён вместе с его данными.")
    return redirect("assessment:batches")


def methodologies(request):
    _runs_visible(request.user)
    return render(
        request,
        "assessment/methodologies.html",
        {
            "methodologies": list(Methodology.objects.all()),
            "can_manage": can_write_region(request.user),
        },
    )


def methodology_edit(request, pk):
    _region_only(request.user)
    base = get_object_or_404(Methodology, pk=pk)
    form = MethodologyForm(request.POST or None, initial=MethodologyForm.initial_from(base))
    if request.method == "POST" and form.is_valid():
        try:
            m = services.save_methodology(
                request.user,
                base,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                params=form.params(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Сохранена методика «{m}».")
            return redirect("assessment:methodologies")
    return render(request, "assessment/methodology_form.html", {"form": form, "base": base})


def runs(request):
    _runs_visible(request.user)
    default = Methodology.objects.filter(is_default=True).order_by("-version").first()
    form = RunForm(
        request.POST or None,
        methodologies=Methodology.objects.all(),
        initial={"year": current_year(), "methodology": default},
    )
    if request.method == "POST":
        _region_only(request.user)
        if form.is_valid():
            run = services.create_run(
                request.user, form.cleaned_data["methodology"], form.cleaned_data["year"]
            )
            seconds = f"{run.seconds:.2f}".replace(".", ",")
            messages.success(request, f"Расчёт выполнен за {seconds} с.")
            return redirect("assessment:run", run.pk)
    return render(
        request,
        "assessment/runs.html",
        {
            "form": form,
            "runs": list(IdentificationRun.objects.select_related("methodology")[:100]),
            "can_manage": can_write_region(request.user),
        },
    )


def _school_names(codes):
    return {
        s.code: s
        for s in School.objects.filter(code__in=codes)
        .select_related("municipality")
        .only("code", "short_name", "municipality__name")
    }


def _run_filter(request) -> selectors.RunSchoolFilter:
    listing = request.GET.get("list", "")
    municipality = _int(request.GET.get("municipality"))
    if municipality is not None and not 0 < municipality <= MAX_ID:
        municipality = None  # no id at all: the database would fail on it, not find nothing
    return selectors.RunSchoolFilter(
        listing=listing if listing in selectors.RunList.values else selectors.RunList.LOW_RESULTS,
        municipality=municipality,
        q=request.GET.get("q", "").strip()[:200],
    )


def run_detail(request, pk):
    """A run: its figures, the comparison with another run, and its schools one page at a
    time — on a chosen list, in a municipality, found by name — each with why it is there."""
    _runs_visible(request.user)
    run = get_object_or_404(IdentificationRun.objects.select_related("methodology"), pk=pk)
    others = (
        IdentificationRun.objects.exclude(pk=run.pk)
        .select_related("methodology")
        .only(*selectors.RUN_HEADING, "methodology__name", "low_results")
        .order_by("-year", "-pk")
    )
    other = others.filter(pk=_int(request.GET.get("compare"), 0)).first()
    if other is None:
        other = others.filter(year=run.year - 1).first()
    comparison = services.compare_lists(other.low_results, run.low_results) if other else None
    if comparison:
        schools = _school_names(set(comparison["entered"]) | set(comparison["left"]))
        comparison = {
            "entered": [(c, schools.get(c)) for c in comparison["entered"]],
            "left": [(c, schools.get(c)) for c in comparison["left"]],
            "stayed": comparison["stayed"],
        }
    f = _run_filter(request)
    listed, counts = selectors.run_schools(run, f)
    paginator = Paginator(listed, selectors.RUN_PAGE_SIZE)
    paginator.count = counts[f"{f.listing}_count"]  # counted already: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    params = engine.Params.from_dict(run.params)
    return render(
        request,
        "assessment/run.html",
        {
            "run": run,
            "filter": f,
            "page": page,
            "rows": selectors.run_school_rows(page.object_list, f),
            "counts": counts,
            "lists": [
                (value, label, counts[f"{value}_count"], value == f.listing)
                for value, label in selectors.RunList.choices
            ],
            "municipalities": list(Municipality.objects.order_by("name").only("pk", "name")),
            "comparison": comparison,
            "other": other,
            "others": list(others[:30]),
            "pooling_label": engine.POOLING.get(params.pool_small),
            "can_manage": can_write_region(request.user),
            "params": params,
            "documents": list(document_services.documents_of(request.user, run)),
            "draft_url": reverse("assessment:run_order", args=[run.pk])
            if request.user.has_perm("assessment.manage_results")
            else "",
        },
    )


# The parameters a what-if may change, with the type each one takes (a stored methodology may
# hold 80 where 80.0 is meant, so the type is not taken from the stored value).
WHATIF_PARAMS = {
    "percentile": (float, "Процентиль порога"),
    "min_threshold": (float, "Порог не ниже"),
    "min_participants": (int, "Минимум участников"),
    "low_cell_share": (float, "Доля низких ячеек"),
    "low_years_required": (int, "Лет с низкими результатами"),
    "context_percentile": (float, "Процентиль индекса контекста"),
    "pool_small": (str, "Малые ячейки"),
}
WHATIF_LIMIT = 1_000_000


def run_whatif(request, pk):
    """Change a parameter and see the difference before saving anything."""
    _runs_visible(request.user)
    run = get_object_or_404(IdentificationRun, pk=pk)
    params = engine.Params.from_dict(run.params)
    changed, errors = {}, []
    for name, (convert, label) in WHATIF_PARAMS.items():
        raw = request.GET.get(name)
        if raw in (None, ""):
            continue
        if convert is str:
            value = raw.strip() if raw.strip() != "-" else ""
            if value != params.pool_small:
                setattr(params, name, value)
                changed[name] = value
            continue
        try:
            value = convert(raw.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            errors.append(f"{label}: «{raw[:20]}» — не число.")
            continue
        if abs(value) > WHATIF_LIMIT:
            errors.append(f"{label}: «{raw[:20]}» — слишком большое число.")
            continue
        setattr(params, name, value)
        changed[name] = value
    errors += params.errors()
    result = comparison = None
    if changed and not errors:
        result, _, seconds = services.compute(run.year, params, run.batch_ids)
        before = services.compute(run.year, engine.Params.from_dict(run.params), run.batch_ids)[0]
        comparison = services.compare_lists(run.low_results, result.low_results)
        schools = _school_names(set(comparison["entered"]) | set(comparison["left"]))
        comparison = {
            k: [(c, schools.get(c)) for c in v] for k, v in comparison.items() if k != "stayed"
        } | {
            "stayed": len(set(run.low_results) & set(result.low_results)),
            "seconds": seconds,
            "not_assessed_before": len(before.not_assessed),
            "not_assessed_after": len(result.not_assessed),
        }
    return render(
        request,
        "assessment/whatif.html",
        {
            "run": run,
            "params": params,
            "changed": changed,
            "errors": errors,
            "comparison": comparison,
            "result": result,
            "pooling": engine.POOLING,
        },
    )


def run_approve(request, pk):
    """GET: what approval would change in the year's lists (entered, left, stayed) beside the
    approving document's form; POST: approve."""
    _region_only(request.user)
    run = get_object_or_404(IdentificationRun.objects.select_related("methodology"), pk=pk)
    if request.method != "POST":
        form = ApproveRunForm(initial={"day": timezone.localdate()})
        return _approve_page(request, run, form)
    form = ApproveRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите вид, номер и дату документа.")
        return _approve_page(request, run, form)
    try:
        n = services.approve_run(
            request.user,
            run,
            kind=form.cleaned_data["kind"],
            number=form.cleaned_data["number"],
            day=form.cleaned_data["day"],
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, f"Списки утверждены: статусы {run.year} года заданы у {n} школ.")
    return redirect("assessment:run", run.pk)


def _approve_page(request, run, form):
    return render(
        request,
        "assessment/run_approve.html",
        {"run": run, "form": form, "changes": selectors.list_changes(run)},
    )


def run_export(request, pk, fmt):
    _runs_visible(request.user)
    run = get_object_or_404(IdentificationRun.objects.select_related("methodology"), pk=pk)
    from opora.assessment.export import run_docx, run_xlsx

    if fmt == "xlsx":
        data, ctype = (
            run_xlsx(run),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "docx":
        data, ctype = (
            run_docx(run),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    else:
        raise Http404
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="lists-{run.year}-{run.pk}.{fmt}"'
    return response


@require_POST
@submit_once
def run_order(request, pk):
    """The order approving the run's lists (the methodology as its basis, the lists as its
    appendices): open its draft or build one now."""
    if not request.user.has_perm("assessment.manage_results"):
        raise PermissionDenied("Распоряжение о списках готовит регион.")
    run = get_object_or_404(IdentificationRun.objects.select_related("methodology"), pk=pk)
    try:
        document, created = services.draft_lists_order(request.user, run)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("assessment:run", run.pk)
    if created:
        messages.success(
            request,
            "Проект распоряжения об утверждении списков готов: проверьте текст и зафиксируйте "
            "с номером и датой.",
        )
    return redirect("documents:detail", document.pk)
