"""Pages of mentoring: the mentor pairs and pairs of schools in scope, each pair's log of
joint work. Thin: parse, ask a selector or a service, render. A pair names teachers: every
view of one by someone other than its two teachers is recorded."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opora.accounts.access_log import record_access
from opora.accounts.models import Role
from opora.core.calendar import current_year
from opora.core.views import fail
from opora.development import selectors_mentoring as selectors
from opora.development import services_mentoring as services
from opora.development.forms_mentoring import ActivityForm, MentorPairForm
from opora.registry.selectors import municipalities_for, municipality_for


def _year(request) -> int:
    wanted = request.GET.get("year", "")
    return int(wanted) if wanted.isdigit() and len(wanted) == 4 else current_year()


def _chosen_municipality(request):
    wanted = request.GET.get("municipality", "") or request.POST.get("municipality", "")
    if wanted.isdigit() and len(wanted) < 10:
        return municipality_for(request.user, int(wanted))
    return None


def mentoring(request):
    user = request.user
    year = _year(request)
    municipality = _chosen_municipality(request)
    pairs = list(selectors.mentor_pairs_for(user, year))
    if any(user.person_id not in (p.mentor_id, p.mentee_id) for p in pairs):
        record_access(user, "Пары «наставник — педагог»")
    people = selectors.pair_candidates(user, municipality)
    can_add = user.has_perm("development.add_mentorpair")
    return render(
        request,
        "development/mentoring/list.html",
        {
            "year": year,
            "pairs": pairs,
            "school_pairs": selectors.school_pairs_for(user, year),
            "shows_school_pairs": user.role != Role.TEACHER,
            "counts": selectors.mentoring_counts(user, year) if not pairs else [],
            "can_add": can_add,
            "form": MentorPairForm(people=people) if can_add and people.exists() else None,
            "municipalities": municipalities_for(user) if can_add and not people.exists() else [],
            "municipality": municipality,
        },
    )


@require_POST
def pair_create(request):
    user = request.user
    municipality = _chosen_municipality(request)
    form = MentorPairForm(request.POST, people=selectors.pair_candidates(user, municipality))
    if not form.is_valid():
        messages.error(request, "Выберите наставника и педагога из списков.")
        return redirect("development:mentoring")
    try:
        pair = services.create_mentor_pair(
            user,
            mentor=form.cleaned_data["mentor"],
            mentee=form.cleaned_data["mentee"],
            year=current_year(),
            focus=form.cleaned_data["focus"],
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("development:mentoring")
    messages.success(request, f"Пара «{pair}» создана.")
    return redirect("development:mentor_pair", pair.pk)


def mentor_pair(request, pk):
    user = request.user
    pair = selectors.mentor_pair_for(user, pk)
    if pair is None:
        raise Http404
    if user.person_id not in (pair.mentor_id, pair.mentee_id):
        record_access(user, "Журнал пары «наставник — педагог»", pair)
    can_log = user.has_perm("development.log_mentorpair", pair)
    return render(
        request,
        "development/mentoring/pair.html",
        {
            "pair": pair,
            "activities": pair.activities.all(),
            "can_log": can_log,
            "can_change": user.has_perm("development.change_mentorpair", pair),
            "form": ActivityForm() if can_log else None,
        },
    )


@require_POST
def pair_delete(request, pk):
    user = request.user
    pair = selectors.mentor_pair_for(user, pk)
    if pair is None:
        raise Http404
    try:
        services.delete_mentor_pair(user, pair)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("development:mentor_pair", pk)
    messages.success(request, "Пара удалена.")
    return redirect("development:mentoring")


def _log(request, **pair):
    form = ActivityForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Укажите дату, вид и тему совместной работы.")
        return False
    data = form.cleaned_data
    try:
        services.log_activity(
            request.user,
            **pair,
            held_on=data["held_on"],
            kind=data["kind"],
            topic=data["topic"],
            outcome=data["outcome"],
            upload=data["file"],
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return False
    messages.success(request, "Запись добавлена в журнал.")
    return True


@require_POST
def mentor_pair_log(request, pk):
    pair = selectors.mentor_pair_for(request.user, pk)
    if pair is None:
        raise Http404
    _log(request, mentor_pair=pair)
    return redirect("development:mentor_pair", pk)


def school_pair(request, pk):
    user = request.user
    pair = selectors.school_pair_for(user, pk)
    if pair is None:
        raise Http404
    can_log = user.has_perm("development.log_schoolpair", pair)
    return render(
        request,
        "development/mentoring/school_pair.html",
        {
            "pair": pair,
            "activities": pair.activities.all(),
            "can_log": can_log,
            "form": ActivityForm() if can_log else None,
        },
    )


@require_POST
def school_pair_log(request, pk):
    pair = selectors.school_pair_for(request.user, pk)
    if pair is None:
        raise Http404
    _log(request, school_pair=pair)
    return redirect("development:school_pair", pk)


def _back(activity):
    if activity.mentor_pair_id:
        return redirect("development:mentor_pair", activity.mentor_pair_id)
    return redirect("development:school_pair", activity.school_pair_id)


@require_POST
def activity_remove(request, pk):
    activity = selectors.activity_for(request.user, pk)
    if activity is None:
        raise Http404
    try:
        services.delete_activity(request.user, activity)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Запись удалена из журнала.")
    return _back(activity)


def activity_file(request, pk):
    activity = selectors.activity_for(request.user, pk)
    if activity is None or not activity.file:
        raise Http404
    record_access(request.user, "Файл журнала совместной работы", activity)
    response = FileResponse(
        activity.file.open("rb"),
        as_attachment=True,
        filename=activity.file_name or "файл",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
