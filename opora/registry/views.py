"""Registry pages. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from opora.core import contributions, pending
from opora.core.calendar import current_year
from opora.core.history import history_entries
from opora.core.intake.files import UploadError, read_bytes
from opora.registry import selectors, services
from opora.registry.export import schools_workbook
from opora.registry.forms import (
    PassportForm,
    RegistryUploadForm,
    SchoolFilterForm,
    SchoolForm,
    StatusForm,
)
from opora.registry.importing import plan_school_import, start_school_import
from opora.registry.models import (
    ImportStatus,
    Municipality,
    RegistryImport,
    SchoolPassport,
    SchoolStatus,
)

PAGE_SIZE = 50


def _school_or_404(user, school_id):
    school = selectors.school_for(user, school_id)
    if school is None:
        raise Http404("Школа не найдена или недоступна.")
    return school


def _school_filter(request):
    form = SchoolFilterForm(
        request.GET or None,
        municipalities=selectors.municipalities_for(request.user, with_counts=False),
    )
    f = selectors.SchoolFilter()
    if form.is_valid():
        d = form.cleaned_data
        f = selectors.SchoolFilter(
            q=d["q"] or "",
            municipality=d["municipality"].pk if d["municipality"] else None,
            kind=d["kind"] or "",
            status=d["status"] or "",
            year=d["year"],
        )
    return form, f


def school_list(request):
    form, f = _school_filter(request)
    page = Paginator(selectors.filter_schools(request.user, f), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "registry/_school_rows.html" if request.htmx else "registry/school_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "year": f.year or current_year(),
            "can_add": request.user.has_perm("registry.add_school"),
        },
    )


def school_export(request):
    _, f = _school_filter(request)
    data = schools_workbook(selectors.filter_schools(request.user, f), f.year or current_year())
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="schools.xlsx"'
    return response


def school_detail(request, pk):
    user = request.user
    school = _school_or_404(user, pk)
    year = current_year()
    history = history_entries(
        school.history.all(),
        SchoolPassport.history.filter(school_id=school.pk),
        SchoolStatus.history.filter(school_id=school.pk),
    )
    return render(
        request,
        "registry/school_detail.html",
        {
            "panels": _school_panels(request, school),
            "school": school,
            "year": year,
            "statuses": list(school.statuses.all()),
            "passports": list(school.passports.all()),
            "history": history,
            "can_edit": user.has_perm("registry.change_school", school),
            "can_edit_passport": user.has_perm("registry.change_passport", school),
            "can_set_status": user.has_perm("registry.change_status", school),
        },
    )


def _school_panels(request, school) -> list[str]:
    """The cards other apps add to the school page (core.contributions), rendered here."""
    rendered = []
    for panel in contributions.school_panels():
        data = panel.context(request.user, school)
        if data is not None:
            rendered.append(render_to_string(panel.template, data, request=request))
    return rendered


def school_create(request):
    user = request.user
    if not user.has_perm("registry.add_school"):
        raise PermissionDenied
    municipalities = selectors.municipalities_for(user, with_counts=False)
    initial = {"municipality": user.municipality_id} if user.municipality_id else {}
    form = SchoolForm(request.POST or None, municipalities=municipalities, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.create_school(user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Школа «{school}» добавлена в реестр.")
            return redirect("registry:school", school.pk)
    return render(request, "registry/school_form.html", {"form": form, "title": "Новая школа"})


def school_edit(request, pk):
    user = request.user
    school = _school_or_404(user, pk)
    if not user.has_perm("registry.change_school", school):
        raise PermissionDenied
    form = SchoolForm(
        request.POST or None,
        instance=school,
        municipalities=selectors.municipalities_for(user, with_counts=False),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        services.update_school(user, school, **data)
        messages.success(request, "Изменения сохранены.")
        return redirect("registry:school", school.pk)
    return render(
        request,
        "registry/school_form.html",
        {"form": form, "title": f"Редактирование: {school}", "school": school},
    )


def passport_edit(request, pk, year):
    user = request.user
    school = _school_or_404(user, pk)
    if not user.has_perm("registry.change_passport", school):
        raise PermissionDenied
    if not 2000 <= year <= 2100:
        raise Http404
    instance = SchoolPassport.objects.filter(school=school, year=year).first()
    form = PassportForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_passport(user, school, year, **form.cleaned_data)
        messages.success(request, f"Паспорт на {year}/{year + 1} учебный год сохранён.")
        return redirect("registry:school", school.pk)
    return render(
        request,
        "registry/passport_form.html",
        {"form": form, "school": school, "passport_year": year},
    )


def status_add(request, pk):
    user = request.user
    school = _school_or_404(user, pk)
    if not user.has_perm("registry.change_status", school):
        raise PermissionDenied
    form = StatusForm(request.POST or None, initial={"year": current_year()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.set_status(user, school, year=d.pop("year"), kind=d.pop("kind"), **d)
        messages.success(request, "Статус сохранён.")
        return redirect("registry:school", school.pk)
    return render(request, "registry/status_form.html", {"form": form, "school": school})


def _municipality_panels(request, municipality) -> list[str]:
    """The cards other apps add to the municipality page (core.contributions), rendered here."""
    rendered = []
    for panel in contributions.municipality_panels():
        data = panel.context(request.user, municipality)
        if data is not None:
            rendered.append(render_to_string(panel.template, data, request=request))
    return rendered


def municipality_list(request):
    return render(
        request,
        "registry/municipality_list.html",
        {
            "municipalities": list(selectors.municipalities_for(request.user)),
            "year": current_year(),
        },
    )


def municipality_detail(request, pk):
    user = request.user
    municipality = selectors.municipality_for(user, pk)
    if municipality is None:
        raise Http404("Муниципалитет не найден или недоступен.")
    year = current_year()
    schools = (
        selectors.schools_for(user, year=year)
        .filter(municipality=municipality)
        .order_by("number", "short_name")
    )
    return render(
        request,
        "registry/municipality_detail.html",
        {
            "municipality": municipality,
            "year": year,
            # A city has a thousand schools: a page at a time, as in the school list.
            "page": Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page")),
            "panels": _municipality_panels(request, municipality),
            "organisations": list(
                selectors.organisations_for(user).filter(municipality=municipality)
            ),
            "history": history_entries(Municipality.history.filter(id=municipality.pk)),
        },
    )


def organisation_list(request):
    return render(
        request,
        "registry/organisation_list.html",
        {"organisations": list(selectors.organisations_for(request.user))},
    )


_PLAN_KEY = "registry_import"


def registry_import(request):
    user = request.user
    if not user.has_perm("registry.import_registry"):
        raise PermissionDenied
    form = RegistryUploadForm(
        request.POST or None, request.FILES or None, initial={"year": current_year()}
    )
    plan = None
    error = None
    if request.method == "POST":
        # A new upload replaces the previewed one, even when it is refused: «Применить»
        # must never write a file other than the one whose preview was shown last.
        _forget_preview(request)
    if request.method == "POST" and form.is_valid():
        try:
            data = read_bytes(form.cleaned_data["file"])
            plan = plan_school_import(
                data, form.cleaned_data["year"], form.cleaned_data["file"].name
            )
        except UploadError as exc:
            error = str(exc)
        else:
            if plan.ok:
                pending.stash(
                    request, _PLAN_KEY, data, year=plan.year, name=form.cleaned_data["file"].name
                )
    return render(
        request,
        "registry/import.html",
        {"form": form, "plan": plan, "error": error},
    )


@require_POST
def registry_import_apply(request):
    """Queue the previewed file for the task worker and show its progress; the preview
    stays in the session until the import is done, so a failed one can be applied again."""
    user = request.user
    if not user.has_perm("registry.import_registry"):
        raise PermissionDenied
    waiting = pending.peek(request, _PLAN_KEY)
    if waiting is None:
        messages.error(request, "Файл для применения не найден — загрузите его ещё раз.")
        return redirect("registry:import")
    job = start_school_import(user, waiting["token"], waiting["year"], waiting["name"])
    return redirect("registry:import_job", job.pk)


@require_POST
def registry_import_cancel(request):
    if not request.user.has_perm("registry.import_registry"):
        raise PermissionDenied
    _forget_preview(request)
    messages.info(request, "Импорт отменён.")
    return redirect("registry:import")


def _forget_preview(request) -> None:
    """Drop the preview and its file — unless an import queued from it still needs the file."""
    waiting = pending.peek(request, _PLAN_KEY)
    busy = (ImportStatus.QUEUED, ImportStatus.RUNNING)
    if waiting and RegistryImport.objects.filter(token=waiting["token"], status__in=busy).exists():
        request.session.pop(_PLAN_KEY, None)
    else:
        pending.discard(request, _PLAN_KEY)


def registry_import_job(request, pk):
    user = request.user
    if not user.has_perm("registry.import_registry"):
        raise PermissionDenied
    job = RegistryImport.objects.filter(pk=pk).first()
    if job is None:
        raise Http404("Импорт не найден.")
    waiting = pending.peek(request, _PLAN_KEY)
    plan = None
    if job.status == ImportStatus.DONE and waiting and waiting["token"] == job.token:
        pending.discard(request, _PLAN_KEY)
    elif job.status == ImportStatus.FAILED and waiting and waiting["token"] == job.token:
        # The preview is shown again with its «Применить» (the file is still waiting).
        data = pending.read(job.token)
        try:
            plan = plan_school_import(data, job.year, job.file_name) if data else None
        except UploadError:
            plan = None
    template = "registry/_import_job.html" if request.htmx else "registry/import_job.html"
    return render(request, template, {"job": job, "plan": plan})
