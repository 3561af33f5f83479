"""Risk profile pages. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opora.accounts.models import Role
from opora.core.ids import MAX_ID
from opora.core.views import fail
from opora.registry.selectors import school_for
from opora.risks import selectors, services
from opora.risks.forms import RuleForm
from opora.risks.models import Level, PriorityRisk, RiskFactor, RiskMeasure, RiskRule
from opora.roadmaps.models import RoadmapEvent


def _school_or_404(user, pk: int):
    school = school_for(user, pk) if pk <= MAX_ID else None
    if school is None or not user.has_perm("risks.view_profile", school):
        raise Http404("Школа не найдена или недоступна.")
    return school


def _priority_or_404(user, pk: int) -> PriorityRisk:
    priority = (
        PriorityRisk.objects.select_related("school", "factor").filter(pk=pk).first()
        if pk <= MAX_ID
        else None
    )
    if priority is None or not user.has_perm("risks.view_profile", priority.school):
        raise Http404
    return priority


def overview(request):
    user = request.user
    if user.role == Role.SCHOOL:
        if not user.school_id:
            raise Http404
        return redirect("risks:profile", user.school_id)
    rows = selectors.overview(user)
    factors = rows[0].factors if rows else []
    return render(
        request,
        "risks/overview.html",
        {"rows": rows, "factors": [f.factor for f in factors], "levels": Level},
    )


def profile(request, pk: int):
    user = request.user
    school = _school_or_404(user, pk)
    data = selectors.profile(school)
    return render(
        request,
        "risks/profile.html",
        {
            "profile": data,
            "school": school,
            "can_choose": user.has_perm("risks.choose_priorities", school),
            "max_priorities": services.MAX_PRIORITIES,
        },
    )


@require_POST
def priorities(request, pk: int):
    user = request.user
    school = _school_or_404(user, pk)
    ids = [int(v) for v in request.POST.getlist("factor") if v.isdigit() and int(v) <= MAX_ID]
    notes = {
        int(key[5:]): value
        for key, value in request.POST.items()
        if key.startswith("note_") and key[5:].isdigit() and int(key[5:]) <= MAX_ID
    }
    try:
        n = services.set_priorities(user, school, ids, notes)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(
            request,
            "Приоритетные риски сохранены." if n else "Приоритетные риски сняты.",
        )
    return redirect("risks:profile", school.pk)


@require_POST
def measure_add(request, pk: int):
    user = request.user
    priority = _priority_or_404(user, pk)
    raw = request.POST.get("event", "")
    event = (
        RoadmapEvent.objects.select_related("roadmap").filter(pk=int(raw)).first()
        if raw.isdigit() and int(raw) <= MAX_ID
        else None
    )
    try:
        if event is None:
            raise ValidationError("Выберите мероприятие программы.")
        services.add_measure(user, priority, event)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Мера добавлена.")
    return redirect(
        reverse("risks:profile", args=[priority.school_id]) + f"#factor-{priority.factor_id}"
    )


@require_POST
def measure_delete(request, pk: int):
    user = request.user
    measure = (
        RiskMeasure.objects.select_related("priority__school").filter(pk=pk).first()
        if pk <= MAX_ID
        else None
    )
    if measure is None or not user.has_perm("risks.view_profile", measure.priority.school):
        raise Http404
    try:
        services.remove_measure(user, measure)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    return redirect(
        reverse("risks:profile", args=[measure.priority.school_id])
        + f"#factor-{measure.priority.factor_id}"
    )


def rule_list(request):
    user = request.user
    return render(
        request,
        "risks/rules.html",
        {
            "factors": selectors.rules_by_factor(),
            "can_edit": user.has_perm("risks.change_riskrule"),
        },
    )


def _rule_form(request, factor: RiskFactor, rule: RiskRule | None):
    user = request.user
    if not user.has_perm("risks.change_riskrule"):
        raise PermissionDenied
    initial = {}
    if rule is not None:
        initial = {
            name: getattr(rule, name)
            for name in ("source", "key", "option", "direction", "high", "medium", "low")
        }
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rule(user, factor, rule=rule, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Правило сохранено.")
            return redirect(reverse("risks:rules") + f"#factor-{factor.pk}")
    return render(request, "risks/rule_form.html", {"form": form, "factor": factor, "rule": rule})


def rule_add(request, pk: int):
    factor = RiskFactor.objects.filter(pk=pk).first() if pk <= MAX_ID else None
    if factor is None:
        raise Http404
    return _rule_form(request, factor, None)


def rule_edit(request, pk: int):
    rule = RiskRule.objects.select_related("factor").filter(pk=pk).first() if pk <= MAX_ID else None
    if rule is None:
        raise Http404
    return _rule_form(request, rule.factor, rule)


@require_POST
def rule_delete(request, pk: int):
    user = request.user
    rule = RiskRule.objects.select_related("factor").filter(pk=pk).first() if pk <= MAX_ID else None
    if rule is None:
        raise Http404
    try:
        services.delete_rule(user, rule)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Правило удалено.")
    return redirect(reverse("risks:rules") + f"#factor-{rule.factor_id}")
