"""Pages of criteria sets, expertise, pre-check and the two documents. Thin: parse, call a
service, a selector or a document of this app, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from opora.accounts.guards import require
from opora.core.calendar import current_year
from opora.core.history import history_entries
from opora.core.once import submit_once
from opora.core.views import fail
from opora.documents import services as document_services
from opora.expertise import consolidation, documents, selectors
from opora.expertise import services as svc
from opora.expertise.forms import (
    AssignForm,
    CloseForm,
    CopySetForm,
    CriteriaSetForm,
    CriterionForm,
    DefaultSetsForm,
    ExpertiseForm,
    GroupForm,
    ScoreForm,
)
from opora.expertise.models import (
    CriteriaSet,
    Criterion,
    CriterionGroup,
    ExpertAssignment,
    ExpertiseStatus,
)
from opora.expertise.precheck import default_set_for, precheck_roadmap
from opora.roadmaps.selectors import roadmap_for

DRAFT_READY = "{what} готов: проверьте текст, поправьте его и зафиксируйте с номером и датой."


# ================================================================================ criteria sets


@require_safe
def criteria_list(request):
    require(request.user, "expertise.view_criteria")
    return render(
        request,
        "expertise/criteria_list.html",
        {
            "sets": list(selectors.criteria_sets()),
            "can_manage": request.user.has_perm("expertise.manage_criteria"),
            "defaults_form": DefaultSetsForm(initial={"year": current_year()}),
        },
    )


@submit_once
def criteria_create(request):
    require(request.user, "expertise.manage_criteria")
    form = CriteriaSetForm(request.POST or None, initial={"year": current_year()})
    if request.method == "POST" and form.is_valid():
        try:
            created = svc.create_criteria_set(request.user, **form.cleaned_data)
        except ValidationError as exc:
            fail(request, exc)
        else:
            messages.success(request, "Набор создан: добавьте группы и критерии.")
            return redirect("expertise:criteria_detail", created.pk)
    return render(
        request,
        "expertise/criteria_form.html",
        {"form": form, "title": "Новый набор критериев"},
    )


@require_POST
def criteria_defaults(request):
    require(request.user, "expertise.manage_criteria")
    form = DefaultSetsForm(request.POST)
    if form.is_valid():
        sets = svc.ensure_defaults(request.user, form.cleaned_data["year"])
        messages.success(
            request, f"Стартовые наборы на {form.cleaned_data['year']} год: {len(sets)}."
        )
    else:
        messages.error(request, "Укажите год.")
    return redirect("expertise:criteria_list")


@require_safe
def criteria_detail(request, pk):
    require(request.user, "expertise.view_criteria")
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    can_manage = request.user.has_perm("expertise.manage_criteria")
    locked = selectors.is_locked(criteria_set)
    groups = selectors.groups_of(criteria_set)
    return render(
        request,
        "expertise/criteria_detail.html",
        {
            "set": criteria_set,
            "groups": groups,
            "criteria_count": sum(len(g.criteria.all()) for g in groups),
            "can_manage": can_manage,
            "can_edit": can_manage and not locked,
            "locked": locked,
            "group_form": GroupForm(),
            "copy_form": CopySetForm(source=criteria_set),
            "history": _set_history(criteria_set, groups) if can_manage else [],
        },
    )


def _set_history(criteria_set, groups):
    """Changes of the set, of its groups and of their criteria, newest first."""
    return history_entries(
        criteria_set.history.all(),
        CriterionGroup.history.filter(criteria_set_id=criteria_set.pk),
        Criterion.history.filter(group_id__in=[g.pk for g in groups]),
        limit=15,
    )


def criteria_edit(request, pk):
    require(request.user, "expertise.manage_criteria")
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    form = CriteriaSetForm(request.POST or None, instance=criteria_set)
    if request.method == "POST" and form.is_valid():
        try:
            svc.update_criteria_set(request.user, criteria_set, **form.cleaned_data)
        except ValidationError as exc:
            fail(request, exc)
        else:
            messages.success(request, "Набор сохранён.")
            return redirect("expertise:criteria_detail", criteria_set.pk)
    return render(
        request,
        "expertise/criteria_form.html",
        {"form": form, "title": "Набор критериев", "set": criteria_set},
    )


@submit_once
@require_POST
def criteria_copy(request, pk):
    require(request.user, "expertise.manage_criteria")
    source = get_object_or_404(CriteriaSet, pk=pk)
    form = CopySetForm(request.POST, source=source)
    if not form.is_valid():
        messages.error(request, "Укажите год нового набора.")
        return redirect("expertise:criteria_detail", source.pk)
    try:
        copy = svc.copy_criteria_set(request.user, source, **form.cleaned_data)
    except ValidationError as exc:
        fail(request, exc)
        return redirect("expertise:criteria_detail", source.pk)
    messages.success(request, f"Набор скопирован на {copy.year} год.")
    return redirect("expertise:criteria_detail", copy.pk)


@submit_once
@require_POST
def criteria_group_add(request, pk):
    require(request.user, "expertise.manage_criteria")
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            svc.save_group(request.user, criteria_set, **form.cleaned_data)
        except ValidationError as exc:
            fail(request, exc)
    else:
        messages.error(request, "Укажите название группы.")
    return redirect("expertise:criteria_detail", criteria_set.pk)


def criteria_group_edit(request, pk):
    require(request.user, "expertise.manage_criteria")
    group = get_object_or_404(CriterionGroup.objects.select_related("criteria_set"), pk=pk)
    form = GroupForm(request.POST or None, initial={"title": group.title, "order": group.order})
    if request.method == "POST" and form.is_valid():
        try:
            svc.save_group(request.user, group.criteria_set, group=group, **form.cleaned_data)
        except ValidationError as exc:
            fail(request, exc)
        else:
            return redirect("expertise:criteria_detail", group.criteria_set_id)
    return render(
        request,
        "expertise/criteria_form.html",
        {"form": form, "title": "Группа критериев", "set": group.criteria_set},
    )


@require_POST
def criteria_group_delete(request, pk):
    require(request.user, "expertise.manage_criteria")
    group = get_object_or_404(CriterionGroup.objects.select_related("criteria_set"), pk=pk)
    set_pk = group.criteria_set_id
    try:
        svc.delete_group(request.user, group)
    except ValidationError as exc:
        fail(request, exc)
    else:
        messages.success(request, "Группа удалена.")
    return redirect("expertise:criteria_detail", set_pk)


@submit_once
def criteria_criterion_add(request, pk):
    require(request.user, "expertise.manage_criteria")
    group = get_object_or_404(CriterionGroup.objects.select_related("criteria_set"), pk=pk)
    form = CriterionForm(request.POST or None, initial={"scale_max": 2, "weight": 1})
    if request.method == "POST" and form.is_valid():
        try:
            svc.save_criterion(request.user, group, **form.values())
        except ValidationError as exc:
            fail(request, exc)
        else:
            messages.success(request, "Критерий добавлен.")
            return redirect("expertise:criteria_detail", group.criteria_set_id)
    return render(
        request,
        "expertise/criteria_form.html",
        {"form": form, "title": f"Новый критерий: {group.title}", "set": group.criteria_set},
    )


def criteria_criterion_edit(request, pk):
    require(request.user, "expertise.manage_criteria")
    criterion = get_object_or_404(Criterion.objects.select_related("group__criteria_set"), pk=pk)
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            svc.save_criterion(request.user, criterion.group, criterion=criterion, **form.values())
        except ValidationError as exc:
            fail(request, exc)
        else:
            messages.success(request, "Критерий сохранён.")
            return redirect("expertise:criteria_detail", criterion.group.criteria_set_id)
    return render(
        request,
        "expertise/criteria_form.html",
        {"form": form, "title": "Критерий", "set": criterion.group.criteria_set},
    )


@require_POST
def criteria_criterion_delete(request, pk):
    require(request.user, "expertise.manage_criteria")
    criterion = get_object_or_404(Criterion.objects.select_related("group__criteria_set"), pk=pk)
    set_pk = criterion.group.criteria_set_id
    try:
        svc.delete_criterion(request.user, criterion)
    except ValidationError as exc:
        fail(request, exc)
    else:
        messages.success(request, "Критерий удалён.")
    return redirect("expertise:criteria_detail", set_pk)


# ================================================================================ expertise


def _expertise_or_404(user, pk):
    expertise = selectors.expertise_for(user, pk)
    if expertise is None:
        raise Http404("Экспертиза не найдена или недоступна.")
    return expertise


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_safe
def expertise_list(request):
    user = request.user
    status = request.GET.get("status", "")
    year = _int(request.GET.get("year"))
    rows = list(selectors.expertise_list(user, status=status, year=year))
    mine = selectors.sees_own_only(user)
    return render(
        request,
        "expertise/list.html",
        {
            "expertises": rows,
            "mine": mine,
            "status": status if status in ExpertiseStatus.values else "",
            "year": year,
            "statuses": ExpertiseStatus.choices,
            "can_manage": user.has_perm("expertise.manage_expertise"),
            "can_analytics": user.has_perm("expertise.view_expertise_analytics"),
        },
    )


@submit_once
def expertise_create(request):
    user = request.user
    require(request.user, "expertise.manage_expertise")
    form = ExpertiseForm(
        request.POST or None,
        roadmaps=selectors.roadmaps_for_expertise(user),
        experts=selectors.experts(),
    )
    roadmap_pk = _int(request.GET.get("roadmap"))
    if request.method == "GET" and roadmap_pk:
        roadmap = selectors.roadmaps_for_expertise(user).filter(pk=roadmap_pk).first()
        if roadmap:
            form.initial["roadmap"] = roadmap.pk
            form.initial_set_for(roadmap)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = svc.create_expertise(
                user,
                d["roadmap"],
                d["criteria_set"],
                expert_users=d["experts"],
                due_date=d["due_date"],
            )
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Экспертиза создана, эксперты назначены.")
            return redirect("expertise:expertise_detail", created.pk)
    return render(request, "expertise/create.html", {"form": form})


@never_cache
@require_safe
def expertise_detail(request, pk):
    user = request.user
    expertise = _expertise_or_404(user, pk)
    access = selectors.access_of(user, expertise)
    full = selectors.load_for_view(expertise)
    data = (
        consolidation.consolidate(full, include_drafts=access.see_drafts)
        if access.see_scores
        else None
    )
    assignments = list(full.assignments.all())
    context = {
        "expertise": full,
        "roadmap": full.roadmap,
        "access": access,
        "mine": selectors.sees_own_only(user),
        "data": data,
        "assignments": assignments,
        "submitted_count": sum(1 for a in assignments if a.submitted_at),
        "assignment_rows": [(a, len(a.scores.all())) for a in assignments],
        "criteria_total": sum(len(g.criteria.all()) for g in full.criteria_set.groups.all()),
        "precheck": precheck_roadmap(full.roadmap, full.criteria_set),
        "recommendations": list(full.given.order_by("order")) if access.see_conclusion else [],
        "documents": list(document_services.documents_of(user, full)),
        "draft_url": reverse("expertise:expertise_protocol", args=[full.pk])
        if access.manage
        else "",
    }
    if access.manage:
        taken = {a.expert_id for a in assignments}
        context["assign_form"] = AssignForm(experts=selectors.experts().exclude(pk__in=taken))
        context["close_form"] = CloseForm()
        context["history"] = history_entries(full.history.all(), limit=15)
    return render(request, "expertise/detail.html", context)


@never_cache  # «Назад» in the browser must show the scores saved since, not a stale copy
@require_safe
def expertise_workspace(request, pk):
    user = request.user
    expertise = _expertise_or_404(user, pk)
    assignment = selectors.my_assignment(user, expertise)
    if assignment is None:
        raise Http404("Вы не назначены экспертом этой экспертизы.")
    groups = selectors.workspace_rows(assignment)
    can_score = user.has_perm("expertise.score_expertise", expertise)
    rows = [
        (group, [(row, _score_form(row) if can_score else None) for row in work_rows])
        for group, work_rows in groups
    ]
    total = sum(len(r) for _, r in groups)
    scored = sum(1 for _, r in groups for row in r if row.score)
    return render(
        request,
        "expertise/workspace.html",
        {
            "expertise": expertise,
            "roadmap": expertise.roadmap,
            "assignment": assignment,
            "groups": rows,
            "total": total,
            "scored": scored,
            "can_score": can_score,
            "mine": selectors.sees_own_only(user),
            "precheck": precheck_roadmap(expertise.roadmap, expertise.criteria_set),
        },
    )


def _score_form(row, data=None):
    initial = {}
    if row.score is not None:
        initial = {"value": row.score.value, "comment": row.score.comment}
    return ScoreForm(data, criterion=row.criterion, initial=initial, prefix=f"c{row.criterion.pk}")


@require_POST
def expertise_score(request, pk, criterion):
    """Save one score (HTMX: returns the criterion's card and the progress counter)."""
    user = request.user
    expertise = _expertise_or_404(user, pk)
    assignment = selectors.my_assignment(user, expertise)
    if assignment is None:
        raise Http404("Вы не назначены экспертом этой экспертизы.")
    item = get_object_or_404(
        Criterion.objects.select_related("group"),
        pk=criterion,
        group__criteria_set_id=expertise.criteria_set_id,
    )
    number, work_row = next(
        (row.number, row)
        for _, rows in selectors.workspace_rows(assignment)
        for row in rows
        if row.criterion.pk == item.pk
    )
    form = _score_form(work_row, request.POST)
    error = None
    saved = False
    if form.is_valid():
        try:
            work_row.score = svc.save_score(
                user,
                expertise,
                item,
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
            )
            saved = True
        except (ValidationError, PermissionDenied) as exc:
            error = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif not form.is_valid():
            messages.error(request, "Выберите балл.")
        return redirect(
            reverse("expertise:expertise_workspace", args=[expertise.pk]) + f"#c{item.pk}"
        )
    total = Criterion.objects.filter(group__criteria_set_id=expertise.criteria_set_id).count()
    scored = assignment.scores.count()
    return render(
        request,
        "expertise/_score_card.html",
        {
            "expertise": expertise,
            "row": work_row,
            "number": number,
            "form": form if not saved else _score_form(work_row),
            "saved": saved,
            "error": error,
            "can_score": True,
            "oob": True,
            "total": total,
            "scored": scored,
        },
    )


@require_POST
def expertise_submit(request, pk):
    expertise = _expertise_or_404(request.user, pk)
    try:
        svc.submit_assignment(request.user, expertise)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("expertise:expertise_workspace", expertise.pk)
    messages.success(request, "Оценки отправлены. Теперь видны оценки других экспертов.")
    return redirect("expertise:expertise_detail", expertise.pk)


@submit_once
@require_POST
def expertise_assign(request, pk):
    expertise = _expertise_or_404(request.user, pk)
    require(request.user, "expertise.manage_expertise", expertise)
    form = AssignForm(request.POST, experts=selectors.experts())
    if form.is_valid():
        try:
            svc.assign_expert(request.user, expertise, form.cleaned_data["expert"])
        except ValidationError as exc:
            fail(request, exc)
        else:
            messages.success(request, "Эксперт назначен.")
    else:
        messages.error(request, "Выберите эксперта.")
    return redirect("expertise:expertise_detail", expertise.pk)


@require_POST
def expertise_unassign(request, pk):
    assignment = get_object_or_404(ExpertAssignment.objects.select_related("expert"), pk=pk)
    expertise = _expertise_or_404(request.user, assignment.expertise_id)
    require(request.user, "expertise.manage_expertise", expertise)
    try:
        svc.remove_assignment(request.user, assignment)
    except ValidationError as exc:
        fail(request, exc)
    else:
        messages.success(request, f"{assignment.expert.display_name}: назначение снято.")
    return redirect("expertise:expertise_detail", expertise.pk)


@require_POST
def expertise_close(request, pk):
    expertise = _expertise_or_404(request.user, pk)
    require(request.user, "expertise.manage_expertise", expertise)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Напишите заключение.")
        return redirect("expertise:expertise_detail", expertise.pk)
    try:
        created = svc.close_expertise(request.user, expertise, **form.cleaned_data)
    except ValidationError as exc:
        fail(request, exc)
    else:
        messages.success(
            request, f"Экспертиза завершена. Рекомендаций муниципалитету: {len(created)}."
        )
    return redirect("expertise:expertise_detail", expertise.pk)


@require_POST
@submit_once
def expertise_protocol(request, pk):
    """Prepare the protocol: open its draft, or build one from the scores now."""
    expertise = _expertise_or_404(request.user, pk)
    try:
        document, created = svc.draft_protocol(request.user, expertise)
    except ValidationError as exc:
        fail(request, exc)
        return redirect("expertise:expertise_detail", expertise.pk)
    if created:
        messages.success(request, DRAFT_READY.format(what="Проект протокола"))
    return redirect("documents:detail", document.pk)


@require_safe
def expertise_analytics(request):
    require(request.user, "expertise.view_expertise_analytics")
    year = _int(request.GET.get("year")) or current_year()
    expertises = list(selectors.period_expertises(request.user, year))
    data = consolidation.analytics(expertises)
    years = sorted(
        set(CriteriaSet.objects.filter(expertises__status="closed").values_list("year", flat=True))
        | {year},
        reverse=True,
    )
    return render(
        request,
        "expertise/analytics.html",
        {
            "year": year,
            "years": years,
            "data": data,
            "documents": list(
                document_services.documents_about(request.user, documents.report_topic(year))
            ),
            "draft_url": reverse("expertise:expertise_report", args=[year])
            if data.results and request.user.has_perm("expertise.manage_expertise")
            else "",
        },
    )


@require_POST
@submit_once
def expertise_report(request, year):
    """Prepare the analytical report of the year: open its draft, or build one now."""
    require(request.user, "expertise.view_expertise_analytics")
    expertises = list(selectors.period_expertises(request.user, year))
    document, created = svc.draft_report(request.user, year, expertises)
    if created:
        messages.success(request, DRAFT_READY.format(what="Проект аналитической справки"))
    return redirect("documents:detail", document.pk)


# ================================================================================ pre-check


@require_safe
def precheck_card(request, pk):
    """The pre-check card of the roadmap page, filled after the page (htmx)."""
    roadmap = roadmap_for(request.user, pk)
    data = None if roadmap is None else selectors.precheck_card_data(request.user, roadmap)
    if data is None:
        raise Http404("Дорожная карта не найдена или недоступна.")
    return render(request, "expertise/_roadmap_precheck.html", data)


def precheck(request, pk):
    roadmap = roadmap_for(request.user, pk)
    if roadmap is None or not request.user.has_perm("expertise.view_precheck", roadmap):
        raise Http404("Дорожная карта не найдена или недоступна.")
    sets = list(CriteriaSet.objects.filter(is_active=True).order_by("-year", "purpose"))
    chosen = _int(request.GET.get("set"))
    criteria_set = next((s for s in sets if s.pk == chosen), None) or default_set_for(roadmap)
    return render(
        request,
        "expertise/precheck.html",
        {
            "roadmap": roadmap,
            "precheck": precheck_roadmap(roadmap, criteria_set),
            "sets": sets,
            "criteria_set": criteria_set,
            "expertises": list(
                selectors.expertises_for(request.user)
                .filter(roadmap=roadmap)
                .order_by("-created_at")
            ),
        },
    )
