"""Pages of coaching. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opora.accounts.access_log import record_access
from opora.accounts.models import Role
from opora.coaching import selectors, services
from opora.coaching.forms import (
    AnalysisForm,
    CommentForm,
    PlanForm,
    SpanTargetForm,
    TargetsForm,
    VisitForm,
    VisitReportForm,
)
from opora.coaching.models import Comment, PracticeLevel, Visit, VisitKind, VisitStatus
from opora.core.calendar import current_year
from opora.core.ids import MAX_ID
from opora.core.views import fail
from opora.documents.services import documents_about
from opora.registry.models import School
from opora.registry.selectors import school_for
from opora.roadmaps.models import Roadmap
from opora.roadmaps.selectors import visible_reports


def _int(raw) -> int | None:
    raw = str(raw or "")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


def _school_or_404(user, pk: int) -> School:
    school = school_for(user, pk) if pk <= MAX_ID else None
    if school is None or not user.has_perm("coaching.view_selfanalysis", school):
        raise Http404("Школа не найдена или недоступна.")
    return school


# ---------------------------------------------------------------- self-analysis


def analyses(request):
    user = request.user
    if user.role == Role.SCHOOL and user.school_id:
        return redirect("coaching:analysis", user.school_id)
    if not user.has_perm("coaching.view_overview"):
        raise Http404
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUS_LABELS else ""
    data = selectors.analysis_overview(
        user, municipality=_int(request.GET.get("municipality")), status=status
    )
    return render(
        request,
        "coaching/analyses.html",
        {
            "data": data,
            "labels": selectors.STATUS_LABELS,
            "status": status,
            "municipality": _int(request.GET.get("municipality")),
            "year": current_year(),
        },
    )


def analysis(request, pk: int):
    user = request.user
    school = _school_or_404(user, pk)
    current = selectors.analysis_of(school)
    can_edit = user.has_perm("coaching.change_selfanalysis", school)
    form = AnalysisForm(
        initial={
            "internal_causes": current.internal_causes,
            "external_causes": current.external_causes,
            "goals": current.goals,
        }
        if current
        else None
    )
    return render(
        request,
        "coaching/analysis.html",
        {
            "school": school,
            "analysis": current,
            "ratings": list(current.ratings.all()) if current else [],
            "levels": PracticeLevel.choices,
            "form": form,
            "can_edit": can_edit,
            "can_comment": user.has_perm("coaching.comment_school", school),
            "can_overview": user.has_perm("coaching.view_overview"),
            "thread": selectors.thread(analysis=current) if current else [],
            "comment_form": CommentForm(),
            "programmes": list(selectors.school_programmes(school)) if can_edit else [],
            "year": current_year(),
        },
    )


@require_POST
def analysis_start(request, pk: int):
    school = _school_or_404(request.user, pk)
    try:
        services.start_analysis(request.user, school)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    return redirect("coaching:analysis", school.pk)


def _ratings_from(post, analysis) -> dict[int, services.RatingInput]:
    return {
        r.indicator_id: services.RatingInput(
            level=post.get(f"level_{r.indicator_id}", ""),
            evidence=post.get(f"evidence_{r.indicator_id}", ""),
            is_priority=post.get(f"priority_{r.indicator_id}") == "on",
        )
        for r in analysis.ratings.all()
    }


@require_POST
def analysis_save(request, pk: int):
    user = request.user
    school = _school_or_404(user, pk)
    current = selectors.analysis_of(school)
    if current is None:
        raise Http404
    form = AnalysisForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Тексты слишком длинные: не больше 5000 знаков в каждом поле.")
        return redirect("coaching:analysis", school.pk)
    try:
        services.save_analysis(
            user, current, ratings=_ratings_from(request.POST, current), **form.cleaned_data
        )
        if "submit" in request.POST:
            services.submit_analysis(user, current)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(
            request, "Самоанализ завершён." if "submit" in request.POST else "Самоанализ сохранён."
        )
    return redirect("coaching:analysis", school.pk)


@require_POST
def move_priorities(request, pk: int):
    user = request.user
    current = selectors.analysis_for(user, pk) if pk <= MAX_ID else None
    if current is None:
        raise Http404
    roadmap_id = _int(request.POST.get("roadmap"))
    roadmap = Roadmap.objects.filter(pk=roadmap_id).first() if roadmap_id else None
    try:
        if roadmap is None:
            raise ValidationError("Выберите программу школы.")
        n = services.move_priorities(user, current, roadmap)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, f"Перенесено в программу мероприятий: {n}.")
    return redirect(reverse("coaching:analysis", args=[current.school_id]) + "#priorities")


def _post_comment(request, school, back: str, anchor: str = "thread", **subject):
    form = CommentForm(request.POST)
    parent = None
    if form.is_valid() and form.cleaned_data["parent"]:
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
    try:
        if not form.is_valid():
            raise ValidationError("Напишите комментарий (не больше 5000 знаков).")
        comment = services.post_comment(
            request.user, school, form.cleaned_data["text"], parent=parent, **subject
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect(back + f"#{anchor}")
    messages.success(request, "Комментарий отправлен.")
    return redirect(back + f"#comment-{comment.pk}")


@require_POST
def analysis_comment(request, pk: int):
    current = selectors.analysis_for(request.user, pk) if pk <= MAX_ID else None
    if current is None:
        raise Http404
    back = reverse("coaching:analysis", args=[current.school_id])
    return _post_comment(request, current.school, back, analysis=current)


@require_POST
def roadmap_comment(request, pk: int):
    user = request.user
    roadmap = (
        Roadmap.objects.select_related("school").filter(pk=pk, level="school").first()
        if pk <= MAX_ID
        else None
    )
    if roadmap is None or not user.has_perm("roadmaps.view_roadmap", roadmap):
        raise Http404
    back = reverse("roadmaps:detail", args=[roadmap.pk])
    return _post_comment(request, roadmap.school, back, roadmap=roadmap)


@require_POST
def report_comment(request, pk: int):
    """A message on a school's progress report, from the event page where it is shown."""
    user = request.user
    report = (
        visible_reports(user).filter(pk=pk).select_related("event__roadmap", "school").first()
        if pk <= MAX_ID
        else None
    )
    school_id = services.school_of_report(report) if report is not None else None
    school = School.objects.filter(pk=school_id).first() if school_id else None
    if school is None or not user.has_perm("coaching.view_selfanalysis", school):
        raise Http404
    back = reverse("roadmaps:event", args=[report.event_id])
    return _post_comment(request, school, back, report=report, anchor=f"report-{report.pk}")


# ---------------------------------------------------------------- plans and visits


def plans(request):
    user = request.user
    if not user.has_perm("coaching.view_overview"):
        raise Http404
    municipalities = selectors.assigned_municipalities(user)
    year = current_year()
    spans = selectors.spans_progress(user)
    return render(
        request,
        "coaching/plans.html",
        {
            "rows": selectors.curators_progress(user),
            "spans": [(p, user.has_perm("coaching.change_spantarget", p.target)) for p in spans],
            "span_form": (
                SpanTargetForm(municipalities=municipalities)
                if user.has_perm("coaching.add_spantarget") and len(municipalities) > 1
                else None
            ),
            "plan_form": PlanForm(municipalities=municipalities) if municipalities else None,
            "can_report": user.has_perm("coaching.prepare_activity_report"),
            "documents": documents_about(user, services.report_topic(year))[:5],
            "year": year,
        },
    )


@require_POST
def plan_new(request):
    user = request.user
    form = PlanForm(request.POST, municipalities=selectors.assigned_municipalities(user))
    if not form.is_valid():
        messages.error(request, "Выберите муниципалитет и укажите цели числами от 0 до 100.")
        return redirect("coaching:plans")
    d = form.cleaned_data
    try:
        plan = services.create_plan(
            user,
            d["municipality"],
            note=d["note"],
            targets={k: d[k] for k in VisitKind.values},
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("coaching:plans")
    messages.success(request, "План работы создан.")
    return redirect("coaching:plan", plan.pk)


@require_POST
def span_new(request):
    user = request.user
    form = SpanTargetForm(request.POST, municipalities=selectors.assigned_municipalities(user))
    try:
        if not form.is_valid():
            raise ValidationError(
                "Выберите вид работы, отметьте муниципалитеты и укажите цель числом от 1 до 100."
            )
        services.create_span_target(user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Цель по нескольким муниципалитетам сохранена.")
    return redirect(reverse("coaching:plans") + "#spans")


@require_POST
def span_delete(request, pk: int):
    user = request.user
    target = selectors.span_target_for(user, pk) if pk <= MAX_ID else None
    if target is None:
        raise Http404("Цель не найдена или недоступна.")
    try:
        services.delete_span_target(user, target)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Цель удалена.")
    return redirect(reverse("coaching:plans") + "#spans")


def _plan_or_404(user, pk: int):
    plan = selectors.plan_for(user, pk) if pk <= MAX_ID else None
    if plan is None:
        raise Http404("План не найден или недоступен.")
    return plan


def _schools_of(plan):
    return School.objects.filter(municipality_id=plan.municipality_id, is_active=True).order_by(
        "short_name"
    )


def plan(request, pk: int):
    user = request.user
    current = _plan_or_404(user, pk)
    record_access(user, "План работы куратора", current)  # names the curator
    progress = selectors.progress(current)
    targets = {t.kind: t.quantity for t in current.targets.all()}
    return render(
        request,
        "coaching/plan.html",
        {
            "plan": current,
            "progress": progress,
            "visits": list(current.visits.all()),
            "can_edit": user.has_perm("coaching.change_workplan", current),
            "visit_form": VisitForm(schools=_schools_of(current)),
            "targets_form": TargetsForm(initial={k: targets.get(k, 0) for k in VisitKind.values}),
        },
    )


@require_POST
def plan_targets(request, pk: int):
    user = request.user
    current = _plan_or_404(user, pk)
    form = TargetsForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Цели — целые числа от 0 до 100.")
        for kind in VisitKind.values:
            services.set_target(user, current, kind, form.cleaned_data[kind])
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Цели плана сохранены.")
    return redirect("coaching:plan", current.pk)


@require_POST
def visit_new(request, pk: int):
    user = request.user
    current = _plan_or_404(user, pk)
    form = VisitForm(request.POST, schools=_schools_of(current))
    try:
        if not form.is_valid():
            raise ValidationError("Укажите вид и дату выезда; школа — из муниципалитета плана.")
        services.plan_visit(user, current, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Выезд запланирован.")
    return redirect(reverse("coaching:plan", args=[current.pk]) + "#visits")


def _visit_or_404(user, pk: int) -> Visit:
    visit = (
        Visit.objects.select_related("plan__curator", "plan__municipality", "school")
        .filter(pk=pk)
        .first()
        if pk <= MAX_ID
        else None
    )
    if visit is None or not user.has_perm("coaching.view_workplan", visit.plan):
        raise Http404("Выезд не найден или недоступен.")
    return visit


def visit(request, pk: int):
    user = request.user
    current = _visit_or_404(user, pk)
    can_edit = user.has_perm("coaching.change_workplan", current.plan)
    form = VisitReportForm(request.POST or None, initial={"held_on": current.planned_on})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.report_visit(
                    user,
                    current,
                    held_on=d["held_on"],
                    findings=d["findings"],
                    recommendations_text=d["recommendations"].splitlines(),
                    due_date=d["due_date"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Отчёт о выезде сохранён.")
                return redirect("coaching:visit", current.pk)
    return render(
        request,
        "coaching/visit.html",
        {
            "visit": current,
            "recommendations": list(current.recommendations.order_by("pk")),
            "form": form if can_edit and current.status == VisitStatus.PLANNED else None,
            "can_cancel": can_edit and current.status == VisitStatus.PLANNED,
        },
    )


@require_POST
def visit_cancel(request, pk: int):
    current = _visit_or_404(request.user, pk)
    try:
        services.cancel_visit(request.user, current)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Выезд отменён.")
    return redirect("coaching:plan", current.plan_id)


def activity(request):
    user = request.user
    if not user.has_perm("coaching.view_overview"):
        raise Http404
    return render(
        request,
        "coaching/activity.html",
        {"rows": selectors.schools_activity(user), "labels": selectors.STATUS_LABELS},
    )


@require_POST
def report_prepare(request):
    try:
        document, _ = services.prepare_activity_report(request.user)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("coaching:plans")
    return redirect("documents:detail", document.pk)
