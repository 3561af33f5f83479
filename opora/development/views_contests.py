"""Pages of professional contests: the list, a contest with its stages, participants and
results. The region keeps contests, a municipality its own and registers its teachers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opora.accounts.access_log import record_access
from opora.accounts.models import Role
from opora.core.calendar import current_year
from opora.core.views import fail
from opora.development import selectors_mentoring as selectors
from opora.development import services_contests as services
from opora.development.forms_mentoring import ContestForm, EntryForm, ResultForm, StageForm
from opora.development.models import ContestResult, ContestStage
from opora.registry.selectors import municipalities_for, municipality_for


def _municipalities(user):
    if user.role == Role.MUNICIPAL:
        return municipalities_for(user).filter(pk=user.municipality_id)
    return municipalities_for(user)


def contests(request):
    user = request.user
    wanted = request.GET.get("year", "")
    year = int(wanted) if wanted.isdigit() and len(wanted) == 4 else None
    return render(
        request,
        "development/contests/list.html",
        {
            "contests": selectors.contests_for(user, year),
            "year": year,
            "can_add": user.has_perm("development.add_contest"),
        },
    )


def contest_edit(request, pk=None):
    user = request.user
    contest = None
    if pk is not None:
        contest = selectors.contest_for(user, pk)
        if contest is None:
            raise Http404
        if not user.has_perm("development.change_contest", contest):
            raise PermissionDenied
    elif not user.has_perm("development.add_contest"):
        raise PermissionDenied
    form = ContestForm(
        request.POST or None,
        instance=contest,
        municipalities=_municipalities(user),
        initial={"year": current_year(), "municipality": user.municipality_id}
        if contest is None
        else None,
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = services.save_contest(user, contest, **fields)
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Конкурс сохранён.")
            return redirect("development:contest", saved.pk)
    return render(request, "development/contests/form.html", {"form": form, "contest": contest})


def contest_detail(request, pk):
    user = request.user
    contest = selectors.contest_for(user, pk)
    if contest is None:
        raise Http404
    shown = list(selectors.participants_shown(user, contest))
    if any(p.person_id != user.person_id for p in shown):
        record_access(user, "Участники профессионального конкурса", contest)
    municipality = None
    wanted = request.GET.get("municipality", "")
    if wanted.isdigit() and len(wanted) < 10:
        municipality = municipality_for(user, int(wanted))
    people = selectors.enterable_people(user, contest, municipality)
    manages = user.has_perm("development.change_contest", contest)
    may_enter = user.has_perm("development.enter_contest", contest)
    stages = contest.stages.all()
    return render(
        request,
        "development/contests/detail.html",
        {
            "contest": contest,
            "stages": stages,
            "participants": shown,
            "total": contest.participants.count(),
            "awarded": contest.participants.exclude(result=ContestResult.PARTICIPANT).count(),
            "manages": manages,
            "may_enter": may_enter,
            "entry_form": EntryForm(people=people) if people.exists() else None,
            "choose_municipality": may_enter
            and not people.exists()
            and not contest.municipality_id
            and user.role != Role.MUNICIPAL,
            "municipalities": municipalities_for(user),
            "municipality": municipality,
            "stage_form": StageForm() if manages else None,
            "results": ContestResult.choices,
        },
    )


@require_POST
def contest_stage_add(request, pk):
    user = request.user
    contest = selectors.contest_for(user, pk)
    if contest is None:
        raise Http404
    form = StageForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Укажите название этапа и даты начала и окончания.")
        services.add_stage(user, contest, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Этап добавлен.")
    return redirect("development:contest", pk)


@require_POST
def contest_stage_remove(request, pk):
    user = request.user
    stage = ContestStage.objects.select_related("contest").filter(pk=pk).first()
    if stage is None or selectors.contest_for(user, stage.contest_id) is None:
        raise Http404
    try:
        services.remove_stage(user, stage)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Этап удалён.")
    return redirect("development:contest", stage.contest_id)


@require_POST
def contest_enter(request, pk):
    user = request.user
    contest = selectors.contest_for(user, pk)
    if contest is None:
        raise Http404
    municipality = None
    wanted = request.POST.get("municipality", "")
    if wanted.isdigit() and len(wanted) < 10:
        municipality = municipality_for(user, int(wanted))
    people = selectors.enterable_people(user, contest, municipality)
    form = EntryForm(request.POST, people=people)
    if not form.is_valid():
        messages.error(request, "Выберите педагога из списка.")
        return redirect("development:contest", pk)
    try:
        services.enter_participant(
            user, contest, form.cleaned_data["person"], topic=form.cleaned_data["topic"]
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, f"{form.cleaned_data['person'].short_name}: в числе участников.")
    return redirect("development:contest", pk)


@require_POST
def participant_result(request, pk):
    user = request.user
    participant = selectors.participant_for(user, pk)
    if participant is None:
        raise Http404
    form = ResultForm(request.POST, stages=participant.contest.stages.all())
    try:
        if not form.is_valid():
            raise ValidationError("Выберите результат и этап из списков.")
        services.set_result(
            user,
            participant,
            result=form.cleaned_data["result"],
            reached=form.cleaned_data["reached"],
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, f"{participant.person.short_name}: результат записан.")
    return redirect("development:contest", participant.contest_id)


@require_POST
def participant_remove(request, pk):
    user = request.user
    participant = selectors.participant_for(user, pk)
    if participant is None:
        raise Http404
    try:
        services.withdraw_participant(user, participant)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Участник снят с конкурса.")
    return redirect("development:contest", participant.contest_id)
