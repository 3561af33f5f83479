"""Pages of diagnostics, deficits, routes and the teacher's own page. Thin: parse, ask a
selector or a service, render. Every page with a named teacher's data records the view."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opora.accounts.access_log import record_access
from opora.accounts.models import Role
from opora.core import pending
from opora.core.calendar import current_year
from opora.core.intake.files import UploadError, read_bytes
from opora.core.spreadsheets import finish_table, workbook_bytes
from opora.core.views import fail
from opora.development import selectors, services
from opora.development.forms import DiagnosticsUploadForm, StepAddForm, TrackForm
from opora.development.importing import apply_diagnostics_import, plan_diagnostics_import
from opora.development.models import (
    CompetenceArea,
    Diagnostic,
    RouteStep,
    TeamKind,
)
from opora.development.readers.diagnostics import TEMPLATE_HEADERS
from opora.registry.models import School
from opora.registry.selectors import municipality_for, school_for

_PLAN_KEY = "development-diagnostics-import"


# ---------------------------------------------------------------- the teacher's own page


def me(request):
    data = selectors.my_route(request.user)
    if data is None:
        raise Http404("Страница педагога: войдите как педагог.")
    record_access(request.user, "Мой маршрут: диагностика и маршрут педагога", data.person)
    return render(request, "development/me.html", {"data": data})


# ---------------------------------------------------------------- deficits


def overview(request):
    user = request.user
    if not user.has_perm("development.view_aggregates"):
        raise PermissionDenied
    if user.role == Role.SCHOOL and user.school_id:
        return redirect("development:school_team", user.school_id)
    municipality = None
    wanted = request.GET.get("municipality", "")
    if wanted.isdigit() and len(wanted) < 10:
        municipality = municipality_for(user, int(wanted))
    elif user.municipality_id and user.role == Role.MUNICIPAL:
        municipality = user.municipality
    aggregate = selectors.region_aggregate(user, municipality)
    return render(
        request,
        "development/overview.html",
        {
            "aggregate": aggregate,
            "municipality": municipality,
            "min_group": selectors.MIN_GROUP,
            "areas": CompetenceArea.objects.all(),
            "can_import": user.has_perm("development.import_diagnostics"),
            "can_edit_areas": user.has_perm("development.change_competencearea"),
            "diagnostics": Diagnostic.objects.all()[:10]
            if user.has_perm("development.import_diagnostics")
            else [],
        },
    )


def school_team(request, pk):
    user = request.user
    school = school_for(user, pk)
    if school is None:
        raise Http404
    team = request.GET.get("team", TeamKind.TEACHING)
    if team not in TeamKind.values:
        team = TeamKind.TEACHING
    summary = selectors.team_summary(user, school, team)
    if summary is None:
        raise Http404
    if summary.named:
        record_access(user, "Дефициты педагогов школы", school)
    return render(
        request,
        "development/school_team.html",
        {
            "school": school,
            "summary": summary,
            "teams": TeamKind.choices,
            "team": team,
            "min_group": selectors.MIN_GROUP,
            "can_propose": user.has_perm("development.propose_routes", school),
            "routes": selectors.routes_for(user).filter(school=school) if summary.named else [],
        },
    )


def teacher(request, pk):
    user = request.user
    person = selectors.person_for(user, pk)
    if person is None:
        raise Http404
    record_access(user, "Диагностика и маршрут педагога", person)
    routes = selectors.routes_for(user).filter(person=person)
    return render(
        request,
        "development/teacher.html",
        {"person": person, "results": selectors.person_results(person), "routes": routes},
    )


@require_POST
def area_threshold(request, pk):
    area = CompetenceArea.objects.filter(pk=pk).first()
    if area is None:
        raise Http404
    try:
        value = _decimal(request.POST.get("threshold", ""))
        services.set_threshold(request.user, area, value)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, f"Порог области «{area.title}»: {value} %.")
    return redirect("development:overview")


def _decimal(text: str):
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(text.replace(",", ".").strip())
    except InvalidOperation as exc:
        raise ValidationError("Порог — число от 0 до 100.") from exc
    if not 0 <= value <= 100:
        raise ValidationError("Порог — число от 0 до 100.")
    return value.quantize(Decimal("0.01"))


# ---------------------------------------------------------------- diagnostics import


def diagnostics_import(request):
    user = request.user
    if not user.has_perm("development.import_diagnostics"):
        raise PermissionDenied
    form = DiagnosticsUploadForm(
        request.POST or None, request.FILES or None, initial={"year": current_year()}
    )
    plan, error = None, None
    if request.method == "POST":
        pending.discard(request, _PLAN_KEY)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["file"].name
        try:
            data = read_bytes(form.cleaned_data["file"])
            plan = plan_diagnostics_import(
                data, name, title=form.cleaned_data["title"], year=form.cleaned_data["year"]
            )
        except UploadError as exc:
            error = str(exc)
        else:
            if plan.ok:
                pending.stash(request, _PLAN_KEY, data, name=name, title=plan.title, year=plan.year)
    return render(request, "development/import.html", {"form": form, "plan": plan, "error": error})


@require_POST
def diagnostics_import_apply(request):
    user = request.user
    if not user.has_perm("development.import_diagnostics"):
        raise PermissionDenied
    taken = pending.take(request, _PLAN_KEY)
    if taken is None:
        messages.error(request, "Файл для применения не найден — загрузите его ещё раз.")
        return redirect("development:diagnostics_import")
    data, meta = taken
    try:
        plan = plan_diagnostics_import(data, meta["name"], title=meta["title"], year=meta["year"])
        if not plan.ok:
            raise UploadError(
                "С момента проверки данные изменились, и в файле появились ошибки — "
                "ничего не записано. Загрузите файл ещё раз."
            )
        diagnostic = apply_diagnostics_import(user, plan)
    except (UploadError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("development:diagnostics_import")
    messages.success(
        request,
        f"Диагностика «{diagnostic.title}» загружена: педагогов — {plan.teachers}, "
        f"результатов — {len(plan.rows)}.",
    )
    return redirect("development:overview")


@require_POST
def diagnostics_import_cancel(request):
    if not request.user.has_perm("development.import_diagnostics"):
        raise PermissionDenied
    pending.discard(request, _PLAN_KEY)
    messages.info(request, "Импорт отменён.")
    return redirect("development:diagnostics_import")


def diagnostics_template(request):
    """The layout to fill in, with two example rows."""
    import openpyxl

    if not request.user.has_perm("development.import_diagnostics"):
        raise PermissionDenied
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Диагностика"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(
        [
            "Иванова Мария Петровна",
            "700101",
            "учитель",
            "математика",
            "Предметные компетенции",
            "14 из 20",
        ]
    )
    sheet.append(
        [
            "Иванова Мария Петровна",
            "700101",
            "учитель",
            "математика",
            "Оценивание образовательных результатов",
            "ниже базового",
        ]
    )
    for column, width in zip("ABCDEF", (34, 10, 24, 18, 40, 16), strict=True):
        sheet.column_dimensions[column].width = width
    return _xlsx(workbook_bytes(book), "Шаблон диагностики.xlsx")


def _xlsx(data: bytes, name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(name)}"
    return response


def pseudonym(person_id: int) -> str:
    """A stable pseudonym: the same teacher, the same code in every export; not reversible
    without the server's key."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"person:{person_id}".encode(), hashlib.sha256)
    return f"Педагог {digest.hexdigest()[:8].upper()}"


def results_export(request):
    """The latest results in scope as Excel: named for those entitled to each school's
    teachers (the school, its curator, the operator), pseudonymised for everyone else; a
    school with fewer than five teachers is left out for them."""
    import openpyxl

    user = request.user
    if not user.has_perm("development.view_aggregates"):
        raise PermissionDenied
    from opora.accounts.scopes import scope_for

    rows = scope_for(user).filter(
        selectors.latest_results(), school="school_id", municipality="school__municipality_id"
    )
    named_schools = {
        s.pk
        for s in School.objects.filter(pk__in=rows.values("school_id"))
        if user.has_perm("development.view_school_team", s)
    }
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Результаты"
    sheet.append(["Педагог", "Код ОО", "Школа", "Должность", "Предмет", "Область", "Результат, %"])
    small = set(
        rows.values("school_id")
        .annotate(n=_count_people())
        .filter(n__lt=selectors.MIN_GROUP)
        .values_list("school_id", flat=True)
    )
    for r in rows.select_related("person", "school", "area").order_by(
        "school__code", "person__last_name", "area__order"
    ):
        named = r.school_id in named_schools
        if not named and r.school_id in small:
            continue
        sheet.append(
            [
                r.person.full_name if named else pseudonym(r.person_id),
                r.school.code,
                r.school.short_name,
                r.position,
                r.subject,
                r.area.title,
                float(r.score),
            ]
        )
    record_access(
        user,
        "Выгрузка результатов диагностики" + ("" if named_schools else " (псевдонимы)"),
    )
    finish_table(sheet, 1)
    return _xlsx(workbook_bytes(book), "Результаты диагностики.xlsx")


def _count_people():
    from django.db.models import Count

    return Count("person_id", distinct=True)


# ---------------------------------------------------------------- routes


def routes(request):
    user = request.user
    if user.role == Role.TEACHER:
        return redirect("development:me")
    qs = selectors.routes_for(user)
    schools = []
    if user.school_id and user.has_perm("development.propose_routes", user.school):
        schools = [user.school]
    return render(
        request,
        "development/routes.html",
        {"routes": qs, "schools": schools, "year": current_year()},
    )


@require_POST
def propose(request, pk):
    user = request.user
    school = school_for(user, pk)
    if school is None:
        raise Http404
    try:
        created = services.propose_routes(user, school)
    except PermissionDenied as exc:
        fail(request, exc)
        return redirect("development:school_team", pk)
    if created:
        from opora.core.russian.plurals import count

        messages.success(
            request,
            f"Предложено {count(len(created), 'маршрут', 'маршрута', 'маршрутов')} — "
            "проверьте и утвердите их.",
        )
    else:
        messages.info(
            request,
            "Новых маршрутов не предложено: у педагогов с дефицитами маршруты уже есть "
            "или в каталоге нет подходящих предложений.",
        )
    return redirect("development:routes")


def _route_or_404(user, pk):
    route = selectors.route_for(user, pk)
    if route is None:
        raise Http404
    return route


def route_detail(request, pk):
    user = request.user
    route = _route_or_404(user, pk)
    if route.person_id:
        record_access(user, "Индивидуальный образовательный маршрут", route)
    deficits = []
    if route.person_id:
        deficits = [
            r
            for r in selectors.person_results(route.person)
            if r.is_latest and r.score < r.area.threshold
        ]
    return render(
        request,
        "development/route.html",
        {
            "route": route,
            "steps": selectors.route_steps(route),
            "deficits": deficits,
            "can_edit": user.has_perm("development.change_route", route),
            "can_submit": user.has_perm("development.submit_route", route),
            "can_approve": user.has_perm("development.approve_route", route),
            "can_track": user.has_perm("development.track_route", route),
            "add_form": StepAddForm(),
            "track_form": TrackForm(),
        },
    )


@require_POST
def route_step_add(request, pk):
    route = _route_or_404(request.user, pk)
    form = StepAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Выберите предложение каталога.")
        return redirect("development:route", pk)
    try:
        services.add_step(
            request.user, route, form.cleaned_data["offer"], form.cleaned_data["area"]
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    return redirect("development:route", pk)


@require_POST
def route_step_remove(request, pk):
    step = RouteStep.objects.select_related("route").filter(pk=pk).first()
    if step is None or selectors.route_for(request.user, step.route_id) is None:
        raise Http404
    try:
        services.remove_step(request.user, step)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    return redirect("development:route", step.route_id)


@require_POST
def route_action(request, pk, action):
    user = request.user
    route = _route_or_404(user, pk)
    actions = {
        "submit": (lambda: services.submit_route(user, route), "Маршрут отправлен на утверждение."),
        "approve": (
            lambda: services.approve_route(user, route, request.POST.get("comment", "")),
            "Маршрут утверждён.",
        ),
        "return": (
            lambda: services.return_route(user, route, request.POST.get("comment", "")),
            "Маршрут возвращён на доработку.",
        ),
    }
    if action not in actions:
        raise Http404
    do, done = actions[action]
    try:
        do()
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, done)
    return redirect("development:route", pk)


@require_POST
def step_track(request, pk):
    user = request.user
    step = RouteStep.objects.select_related("route").filter(pk=pk).first()
    if step is None or selectors.route_for(user, step.route_id) is None:
        raise Http404
    form = TrackForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Проверьте ход шага и дату.")
        return redirect("development:route", step.route_id)
    try:
        services.track_step(
            user,
            step,
            form.cleaned_data["status"],
            completed_on=form.cleaned_data["completed_on"],
            certificate=form.cleaned_data["certificate"],
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, f"Шаг «{step.offer}»: отмечено.")
    return redirect("development:route", step.route_id)


def certificate(request, pk):
    user = request.user
    step = RouteStep.objects.filter(pk=pk).first()
    if step is None or not step.certificate or selectors.route_for(user, step.route_id) is None:
        raise Http404
    record_access(user, "Удостоверение о повышении квалификации", step)
    response = FileResponse(
        step.certificate.open("rb"),
        as_attachment=True,
        filename=step.certificate_name or "удостоверение",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
