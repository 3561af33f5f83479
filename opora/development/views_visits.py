"""Pages of methodical visits and lesson observations. Thin: parse, ask a selector or a
service, render. A page that names a teacher's observed lesson records the view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opora.accounts.access_log import record_access
from opora.accounts.models import Role
from opora.core.ids import MAX_ID
from opora.core.views import fail
from opora.development import visits
from opora.development import visits_selectors as selectors
from opora.development.models import (
    AttendedLesson,
    LessonObservation,
    MethodicalVisitStatus,
    ObservationScore,
    RubricItem,
)
from opora.development.selectors import MIN_GROUP
from opora.development.visits_forms import (
    LessonForm,
    ObservationForm,
    ReportForm,
    RouteStepForm,
    RubricItemForm,
    VisitForm,
)
from opora.registry.selectors import school_for


def _int(raw) -> int | None:
    raw = str(raw or "")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


def _visit_or_404(user, pk):
    visit = selectors.visit_for(user, pk)
    if visit is None:
        raise Http404("Десант не найден или недоступен.")
    return visit


# ---------------------------------------------------------------- visits


def visit_list(request):
    user = request.user
    if user.role == Role.TEACHER:
        return redirect("development:observations")
    status = request.GET.get("status", "")
    status = status if status in MethodicalVisitStatus.values else ""
    qs = selectors.visits_for(user)
    if status:
        qs = qs.filter(status=status)
    return render(
        request,
        "development/visits/list.html",
        {
            "visits": qs[:200],
            "status": status,
            "statuses": MethodicalVisitStatus.choices,
            "can_plan": selectors.plannable_schools(user).exists(),
        },
    )


def visit_new(request):
    user = request.user
    schools = selectors.plannable_schools(user)
    if not schools.exists():
        raise PermissionDenied
    form = VisitForm(
        request.POST or None,
        schools=schools,
        people=selectors.team_candidates(),
        initial={"school": _int(request.GET.get("school")), "team": _own_person(user)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = visits.plan_visit(
                user,
                data["school"],
                visit_on=data["visit_on"],
                aim=data["aim"],
                team=data["team"],
                team_others=data["team_others"],
            )
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Десант запланирован. Добавьте уроки, которые посетите.")
            return redirect("development:visit", visit.pk)
    return render(request, "development/visits/form.html", {"form": form, "visit": None})


def _own_person(user):
    return [user.person_id] if user.person_id else []


def visit_edit(request, pk):
    user = request.user
    visit = _visit_or_404(user, pk)
    if not user.has_perm("development.edit_methodicalvisit", visit):
        raise PermissionDenied
    form = VisitForm(
        request.POST or None,
        schools=selectors.plannable_schools(user),
        people=selectors.team_candidates(),
        editing=True,
        initial={
            "visit_on": visit.visit_on,
            "aim": visit.aim,
            "team": list(visit.team.values_list("pk", flat=True)),
            "team_others": visit.team_others,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visits.change_visit(
                user,
                visit,
                visit_on=data["visit_on"],
                aim=data["aim"],
                team=data["team"],
                team_others=data["team_others"],
            )
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Десант изменён.")
            return redirect("development:visit", visit.pk)
    return render(request, "development/visits/form.html", {"form": form, "visit": visit})


def visit_detail(request, pk):
    user = request.user
    visit = _visit_or_404(user, pk)
    manages = user.has_perm("development.change_methodicalvisit", visit)
    named = manages or user.has_perm("development.view_observations_named", visit.school)
    lessons = list(visit.lessons.select_related("teacher"))
    observed = {
        o.lesson_id: o
        for o in LessonObservation.objects.filter(visit=visit).select_related("school")
    }
    rows = [
        (
            lesson,
            observed.get(lesson.pk),
            lesson.pk in observed
            and user.has_perm("development.view_lessonobservation", observed[lesson.pk]),
        )
        for lesson in lessons
    ]
    if named and lessons:
        record_access(user, "Посещённые уроки методического десанта", visit)
    teachers = selectors.school_teachers(visit.school)
    return render(
        request,
        "development/visits/detail.html",
        {
            "visit": visit,
            "team": visit.team.all(),
            "rows": rows,
            "named": named,
            "recommendations": visit.recommendations.order_by("pk"),
            "can_manage": manages,
            "can_edit": user.has_perm("development.edit_methodicalvisit", visit),
            "lesson_form": LessonForm(teachers=teachers) if manages else None,
            "report_form": ReportForm(initial={"held_on": visit.visit_on})
            if manages and visit.is_planned
            else None,
        },
    )


@require_POST
def visit_lesson_add(request, pk):
    user = request.user
    visit = _visit_or_404(user, pk)
    form = LessonForm(request.POST, teachers=selectors.school_teachers(visit.school))
    if not form.is_valid():
        messages.error(request, "Выберите педагога и укажите класс и предмет урока.")
        return redirect("development:visit", pk)
    try:
        visits.add_lesson(user, visit, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Урок добавлен.")
    return redirect("development:visit", pk)


@require_POST
def lesson_remove(request, pk):
    user = request.user
    lesson = AttendedLesson.objects.select_related("visit").filter(pk=pk).first()
    if lesson is None or selectors.visit_for(user, lesson.visit_id) is None:
        raise Http404
    try:
        visits.remove_lesson(user, lesson)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Урок убран из десанта.")
    return redirect("development:visit", lesson.visit_id)


@require_POST
def visit_report(request, pk):
    user = request.user
    visit = _visit_or_404(user, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите дату проведения и выводы.")
        return redirect("development:visit", pk)
    data = form.cleaned_data
    try:
        given = visits.report_visit(
            user,
            visit,
            held_on=data["held_on"],
            consultations=data["consultations"],
            findings=data["findings"],
            recommendations_text=data["recommendations"].splitlines(),
            due_date=data["due_date"],
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        from opora.core.russian.plurals import count

        messages.success(
            request,
            "Десант проведён. В трекер рекомендаций передано "
            f"{count(len(given), 'рекомендация', 'рекомендации', 'рекомендаций')}.",
        )
    return redirect("development:visit", pk)


# ---------------------------------------------------------------- observations


def observations(request):
    """The school's levels per rubric item beside the region's, and the observations the
    user may read by name."""
    user = request.user
    school = None
    wanted = _int(request.GET.get("school"))
    if user.role == Role.SCHOOL and user.school_id:
        school = user.school
    elif wanted:
        school = school_for(user, wanted)
        if school is None:
            raise Http404
    aggregate = selectors.rubric_aggregate(user, school) if school else None
    named = selectors.observations_named(user)
    if school is not None:
        named = named.filter(school=school)
    named = list(named[:200])
    if named:
        record_access(user, "Список наблюдений уроков", school)
    return render(
        request,
        "development/visits/observations.html",
        {
            "school": school,
            "aggregate": aggregate,
            "observations": named,
            "min_group": MIN_GROUP,
            "schools": selectors.observed_schools(user),
            "can_observe": (
                school is not None and user.has_perm("development.observe_lesson", school)
            )
            or (user.role == Role.TEACHER and selectors.mentees_to_observe(user).exists()),
            "can_export": user.has_perm("development.view_aggregates"),
            "can_edit_rubric": user.has_perm("development.change_rubricitem"),
        },
    )


def observation_new(request):
    user = request.user
    lesson = None
    lesson_pk = _int(request.GET.get("lesson"))
    if lesson_pk:
        lesson = (
            AttendedLesson.objects.select_related("visit__school", "teacher")
            .filter(pk=lesson_pk)
            .first()
        )
        if lesson is None or selectors.visit_for(user, lesson.visit_id) is None:
            raise Http404
        if not user.has_perm("development.change_methodicalvisit", lesson.visit):
            raise PermissionDenied
        school = lesson.visit.school
        teachers = selectors.school_teachers(school)
    elif user.role == Role.TEACHER:
        school = None  # a mentor observes the teachers they mentor, in any school
        teachers = selectors.mentees_to_observe(user)
        if not teachers.exists():
            raise PermissionDenied
    else:
        school = school_for(user, _int(request.GET.get("school")) or user.school_id or 0)
        if school is None:
            raise Http404
        if not user.has_perm("development.observe_lesson", school):
            raise PermissionDenied
        teachers = selectors.school_teachers(school)
    if user.person_id:
        teachers = teachers.exclude(pk=user.person_id)
    items = selectors.rubric()
    initial = {}
    if lesson is not None:
        initial = {
            "teacher": lesson.teacher_id,
            "observed_on": lesson.visit.visit_on,
            "grade": lesson.grade,
            "subject": lesson.subject,
            "topic": lesson.topic,
        }
    form = ObservationForm(request.POST or None, teachers=teachers, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observation = visits.record_observation(
                user,
                teacher=data["teacher"],
                observed_on=data["observed_on"],
                grade=data["grade"],
                subject=data["subject"],
                topic=data["topic"],
                analysis=data["analysis"],
                recommendation=data["recommendation"],
                levels=form.levels(),
                lesson=lesson,
            )
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Наблюдение урока сохранено.")
            return redirect("development:observation", observation.pk)
    chosen = form.levels() if form.is_bound else {}
    return render(
        request,
        "development/visits/observation_form.html",
        {
            "form": form,
            "lesson": lesson,
            "school": school,
            "school_filter": school,
            "items": [(item, chosen.get(item.pk)) for item in items],
        },
    )


def observation_detail(request, pk):
    user = request.user
    observation = selectors.observation_for(user, pk)
    if observation is None:
        raise Http404("Наблюдение не найдено или недоступно.")
    record_access(user, "Наблюдение урока педагога", observation)
    step_form = None
    if user.has_perm("development.propose_routes", observation.school):
        step_form = RouteStepForm()
    return render(
        request,
        "development/visits/observation.html",
        {
            "observation": observation,
            "scores": selectors.observation_scores(observation),
            "step_form": step_form,
            "visit_shown": observation.visit_id
            and user.has_perm("development.view_methodicalvisit", observation.visit),
            # The observed teacher reads the advice, not the school's tracker it went to.
            "given_shown": observation.given_id
            and user.has_perm("recommendations.view_recommendation", observation.given),
            "can_edit": user.has_perm("development.change_lessonobservation", observation),
            "changes": selectors.observation_changes(observation),
        },
    )


def observation_edit(request, pk):
    """Correct a saved observation (its author, the operator, the head outside a visit);
    every opening of the form and every saving is recorded in the access log."""
    user = request.user
    observation = selectors.observation_for(user, pk)
    if observation is None or not user.has_perm(
        "development.change_lessonobservation", observation
    ):
        raise Http404("Наблюдение не найдено или недоступно.")
    record_access(user, "Изменение наблюдения урока педагога", observation)
    items = selectors.rubric()
    initial = {
        "teacher": observation.teacher_id,
        "observed_on": observation.observed_on,
        "grade": observation.grade,
        "subject": observation.subject,
        "topic": observation.topic,
        "analysis": observation.analysis,
        "recommendation": observation.recommendation,
    }
    teachers = selectors.observed_teacher(observation)
    form = ObservationForm(request.POST or None, teachers=teachers, items=items, initial=initial)
    form.fields["teacher"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visits.edit_observation(
                user,
                observation,
                observed_on=data["observed_on"],
                grade=data["grade"],
                subject=data["subject"],
                topic=data["topic"],
                analysis=data["analysis"],
                recommendation=data["recommendation"],
                levels=form.levels(),
            )
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Изменения наблюдения сохранены.")
            return redirect("development:observation", observation.pk)
    if form.is_bound:
        chosen = form.levels()
    else:
        chosen = {s.item_id: s.level for s in selectors.observation_scores(observation)}
    return render(
        request,
        "development/visits/observation_form.html",
        {
            "form": form,
            "observation": observation,
            "school": observation.school,
            # the list filtered by the school, for who may read it (not a mentor: 404)
            "school_filter": school_for(user, observation.school_id),
            "items": [(item, chosen.get(item.pk)) for item in items],
        },
    )


@require_POST
def observation_route(request, pk):
    user = request.user
    observation = selectors.observation_for(user, pk)
    if observation is None:
        raise Http404
    form = RouteStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Выберите предложение каталога.")
        return redirect("development:observation", pk)
    try:
        step = visits.attach_route_step(
            user, observation, form.cleaned_data["offer"], form.cleaned_data["area"]
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, f"В маршрут педагога добавлен шаг «{step.offer.title}».")
    return redirect("development:observation", pk)


def observations_export(request):
    """Observations in scope as Excel, one row per observation and a column per item: named
    for those entitled to the school's teachers, pseudonymised for everyone else, and a school
    with fewer than five observed teachers left out for them."""
    import openpyxl
    from django.db.models import Count

    from opora.accounts.scopes import scope_for
    from opora.core.spreadsheets import finish_table, workbook_bytes
    from opora.development.views import _xlsx, pseudonym

    user = request.user
    if not user.has_perm("development.view_aggregates"):
        raise PermissionDenied
    rows = scope_for(user).filter(
        LessonObservation.objects.all(), school="school_id", municipality="school__municipality_id"
    )
    schools = {o.school for o in rows.select_related("school").order_by()}
    named = {s.pk for s in schools if user.has_perm("development.view_observations_named", s)}
    small = set(
        rows.values("school_id")
        .annotate(n=Count("teacher_id", distinct=True))
        .filter(n__lt=MIN_GROUP)
        .values_list("school_id", flat=True)
    )
    items = selectors.rubric(active_only=False)
    levels: dict[int, dict[int, int]] = {}
    for observation_id, item_id, level in ObservationScore.objects.filter(
        observation__in=rows
    ).values_list("observation_id", "item_id", "level"):
        levels.setdefault(observation_id, {})[item_id] = level
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Наблюдения"
    sheet.append(
        ["Педагог", "Код ОО", "Школа", "Дата", "Класс", "Предмет", "Кто наблюдал"]
        + [item.title for item in items]
    )
    for o in rows.select_related("teacher", "school").order_by("school__code", "observed_on"):
        shown = o.school_id in named
        if not shown and o.school_id in small:
            continue
        sheet.append(
            [
                o.teacher.full_name if shown else pseudonym(o.teacher_id),
                o.school.code,
                o.school.short_name,
                o.observed_on,
                o.grade,
                o.subject,
                o.get_kind_display(),
            ]
            + [levels.get(o.pk, {}).get(item.pk) for item in items]
        )
    record_access(user, "Выгрузка наблюдений уроков" + ("" if named else " (псевдонимы)"))
    finish_table(sheet, 1)
    return _xlsx(workbook_bytes(book), "Наблюдения уроков.xlsx")


# ---------------------------------------------------------------- the rubric


def rubric(request):
    user = request.user
    if not user.has_perm("development.change_rubricitem"):
        raise PermissionDenied
    return render(
        request,
        "development/visits/rubric.html",
        {
            "forms": [
                (item, RubricItemForm(instance=item, prefix=f"i{item.pk}"))
                for item in selectors.rubric(active_only=False)
            ],
            "new_form": RubricItemForm(prefix="new", initial={"is_active": True}),
        },
    )


@require_POST
def rubric_item(request, pk=None):
    user = request.user
    if not user.has_perm("development.change_rubricitem"):
        raise PermissionDenied
    item = None
    if pk is not None:
        item = RubricItem.objects.filter(pk=pk).first()
        if item is None:
            raise Http404
    form = RubricItemForm(request.POST, instance=item, prefix=f"i{pk}" if pk else "new")
    if not form.is_valid():
        messages.error(request, "Заполните название пункта и описания всех четырёх уровней.")
        return redirect("development:rubric")
    data = {name: form.cleaned_data[name] for name in RubricItemForm.Meta.fields}
    try:
        saved = visits.save_rubric_item(user, item, **data)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, f"Пункт «{saved.title}» сохранён.")
    return redirect("development:rubric")
