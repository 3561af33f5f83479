"""Pages for people, working groups, coordinators, curators and school pairs.

Thin: find the object within the user's scope (404 otherwise), check the rule (403), let a
form parse the input with choices limited to the scope, call a service, redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opora.accounts.access_log import record_access
from opora.accounts.guards import require
from opora.core.calendar import current_year
from opora.core.history import history_entries
from opora.core.once import submit_once
from opora.core.views import fail
from opora.documents import services as document_services
from opora.people import selectors, services
from opora.people.documents import appointments_topic
from opora.people.forms import (
    CoordinatorForm,
    CuratorForm,
    MemberEditForm,
    MemberForm,
    PairForm,
    PeopleSearchForm,
    PersonForm,
    WorkingGroupForm,
)
from opora.people.models import Level, Person, WorkingGroup, WorkingGroupMember
from opora.registry import selectors as registry_selectors
from opora.registry.models import Municipality, Organisation, School

PAGE_SIZE = 50


def _form_page(request, form, title: str, cancel_url: str, submit: str = "Сохранить"):
    return render(
        request,
        "people/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "submit": submit},
    )


def _submit(request, form, action):
    """On a valid POST run ``action`` (a service call); its validation errors go back onto
    the form. Returns what the service returned, or None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None


# --- People -------------------------------------------------------------------------------


def _person_choices(user) -> dict:
    if user.role == "municipal":
        return {
            "organisation": Organisation.objects.filter(municipality_id=user.municipality_id),
            "school": School.objects.filter(municipality_id=user.municipality_id),
        }
    return {
        "organisation": registry_selectors.organisations_for(user),
        "school": registry_selectors.schools_for(user).select_related(None),
    }


def group_list(request):
    return render(
        request,
        "people/group_list.html",
        {
            "groups": list(selectors.working_groups_for(request.user)),
            "coordinators": list(selectors.coordinators_for(request.user)),
        },
    )


def curator_list(request):
    year = current_year()

    assignments = list(
        selectors.curator_assignments_for(request.user).order_by("-year", "person__last_name")
    )
    pairs = list(selectors.pairs_for(request.user))
    return render(
        request,
        "people/curator_list.html",
        {
            "assignments": assignments,
            "pairs": pairs,
            "linked_schools": selectors.openable_schools(request.user, pairs),
            "year": year,
            "documents": list(
                document_services.documents_about(request.user, appointments_topic(year))
            ),
            "documents_title": f"Распоряжение о назначении координаторов и кураторов на {year} год",
            "draft_url": reverse("people:appointments_order")
            if request.user.has_perm("people.manage_curators")
            else "",
        },
    )


def people_list(request):
    user = request.user
    form = PeopleSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.search_people(user, q), PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(user, "Список сотрудников", None)
    return render(
        request,
        "people/person_list.html",
        {"form": form, "page": page, "q": q, "can_add": user.has_perm("people.add_person")},
    )


def _person_or_404(user, pk) -> Person:
    person = selectors.person_for(user, pk)
    if person is None:
        raise Http404("Сотрудник не найден или недоступен.")
    return person


def people_detail(request, pk):
    user = request.user
    person = _person_or_404(user, pk)
    record_access(user, "Карточка сотрудника", person)
    memberships = (
        WorkingGroupMember.objects.filter(
            person=person, group__in=selectors.working_groups_for(user).prefetch_related(None)
        )
        .select_related("group__municipality")
        .order_by("-group__year")
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "memberships": list(memberships),
            "coordinators": list(selectors.coordinators_for(user).filter(person=person)),
            "curatorships": list(selectors.curator_assignments_for(user).filter(person=person)),
            "history": history_entries(Person.history.filter(id=person.pk)),
            "can_edit": user.has_perm("people.change_person", person),
        },
    )


def people_create(request):
    user = request.user
    require(user, "people.add_person")
    form = PersonForm(request.POST or None, choices=_person_choices(user))
    person = _submit(request, form, lambda: services.create_person(user, **form.cleaned_data))
    if person is not None:
        messages.success(request, f"Сотрудник «{person.full_name}» добавлен.")
        return redirect("people:people_detail", person.pk)
    return _form_page(request, form, "Новый сотрудник", reverse("people:people_list"))


def people_edit(request, pk):
    user = request.user
    person = _person_or_404(user, pk)
    require(user, "people.change_person", person)
    form = PersonForm(request.POST or None, instance=person, choices=_person_choices(user))
    # Validating the form writes its values onto ``person``; the service gets an unchanged copy.
    fresh = Person.objects.get(pk=person.pk)
    if _submit(request, form, lambda: services.update_person(user, fresh, **form.cleaned_data)):
        messages.success(request, "Изменения сохранены.")
        return redirect("people:people_detail", person.pk)
    return _form_page(
        request,
        form,
        f"Редактирование: {person.full_name}",
        reverse("people:people_detail", args=[person.pk]),
    )


# --- Working groups -----------------------------------------------------------------------


def _group_or_404(user, pk) -> WorkingGroup:
    group = selectors.working_group_for(user, pk)
    if group is None:
        raise Http404("Рабочая группа не найдена или недоступна.")
    return group


def _member_or_404(group: WorkingGroup, member_pk) -> WorkingGroupMember:
    for member in group.members.all():
        if member.pk == member_pk:
            member.group = group
            return member
    raise Http404("Участник не найден.")


def group_detail(request, pk):
    user = request.user
    group = _group_or_404(user, pk)
    can_manage = user.has_perm("people.manage_group_members", group)
    member_form = None
    if can_manage:
        member_form = MemberForm(
            choices={"person": selectors.people_for(user)}, auto_id="id_new_%s"
        )
    return render(
        request,
        "people/group_detail.html",
        {
            "group": group,
            "members": list(group.members.all()),
            "can_manage": can_manage,
            "can_edit": user.has_perm("people.manage_groups"),
            "member_form": member_form,
            "documents": list(document_services.documents_of(user, group)),
            "draft_url": reverse("people:group_order", args=[group.pk])
            if user.has_perm("people.change_workinggroup", group)
            else "",
            "history": history_entries(
                WorkingGroup.history.filter(id=group.pk),
                WorkingGroupMember.history.filter(group_id=group.pk),
            ),
        },
    )


def _group_choices() -> dict:
    return {"municipality": Municipality.objects.order_by("name")}


def group_create(request):
    user = request.user
    require(user, "people.manage_groups")
    form = WorkingGroupForm(
        request.POST or None, choices=_group_choices(), initial={"year": current_year()}
    )
    group = _submit(request, form, lambda: services.save_working_group(user, **form.cleaned_data))
    if group is not None:
        messages.success(request, f"Рабочая группа «{group.title}» создана.")
        return redirect("people:group_detail", group.pk)
    return _form_page(request, form, "Новая рабочая группа", reverse("people:groups"))


def group_edit(request, pk):
    user = request.user
    group = _group_or_404(user, pk)
    require(user, "people.manage_groups", group)
    form = WorkingGroupForm(request.POST or None, instance=group, choices=_group_choices())
    fresh = WorkingGroup.objects.get(pk=group.pk)
    if _submit(
        request, form, lambda: services.save_working_group(user, fresh, **form.cleaned_data)
    ):
        messages.success(request, "Изменения сохранены.")
        return redirect("people:group_detail", group.pk)
    return _form_page(
        request,
        form,
        f"Редактирование: {group.title}",
        reverse("people:group_detail", args=[group.pk]),
    )


def group_member_add(request, pk):
    user = request.user
    group = _group_or_404(user, pk)
    require(user, "people.manage_group_members", group)
    form = MemberForm(request.POST or None, choices={"person": selectors.people_for(user)})
    member = _submit(
        request, form, lambda: services.add_group_member(user, group, **form.cleaned_data)
    )
    if member is not None:
        messages.success(request, f"{member.person.short_name} добавлен(а) в группу.")
        return redirect("people:group_detail", group.pk)
    return _form_page(
        request,
        form,
        f"Новый участник: {group.title}",
        reverse("people:group_detail", args=[group.pk]),
        "Добавить",
    )


def group_member_edit(request, pk, member_pk):
    user = request.user
    group = _group_or_404(user, pk)
    require(user, "people.manage_group_members", group)
    member = _member_or_404(group, member_pk)
    form = MemberEditForm(
        request.POST or None,
        initial={"role": member.role, "position_text": member.position_text},
    )
    if _submit(
        request, form, lambda: services.update_group_member(user, member, **form.cleaned_data)
    ):
        messages.success(request, "Изменения сохранены.")
        return redirect("people:group_detail", group.pk)
    return _form_page(
        request,
        form,
        f"{member.person.full_name} в группе «{group.title}»",
        reverse("people:group_detail", args=[group.pk]),
    )


@require_POST
def group_member_remove(request, pk, member_pk):
    user = request.user
    group = _group_or_404(user, pk)
    require(user, "people.manage_group_members", group)
    member = _member_or_404(group, member_pk)
    services.remove_group_member(user, member)
    messages.success(request, f"{member.person.short_name} исключен(а) из группы.")
    return redirect("people:group_detail", group.pk)


@require_POST
def group_member_move(request, pk, member_pk):
    user = request.user
    group = _group_or_404(user, pk)
    require(user, "people.manage_group_members", group)
    member = _member_or_404(group, member_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Не указано, куда переместить участника.")
    else:
        services.move_group_member(user, member, direction)
    return redirect("people:group_detail", group.pk)


# --- Coordinators -------------------------------------------------------------------------


def coordinator_create(request):
    user = request.user
    require(user, "people.manage_coordinators")
    form = CoordinatorForm(
        request.POST or None,
        choices={
            "municipality": registry_selectors.municipalities_for(user, with_counts=False),
            "person": selectors.people_for(user),
        },
        initial={"year": current_year(), "municipality": user.municipality_id},
    )
    if user.role == "municipal":
        form.fields["level"].choices = [(Level.MUNICIPALITY, Level.MUNICIPALITY.label)]
        form.fields["municipality"].required = True
    if _submit(request, form, lambda: services.assign_coordinator(user, **form.cleaned_data)):
        messages.success(request, "Координатор назначен.")
        return redirect("people:groups")
    return _form_page(request, form, "Назначить координатора", reverse("people:groups"))


@require_POST
def coordinator_remove(request, pk):
    user = request.user
    coordinator = selectors.coordinators_for(user).filter(pk=pk).first()
    if coordinator is None:
        raise Http404("Координатор не найден или недоступен.")
    require(user, "people.change_coordinator", coordinator)
    services.unassign_coordinator(user, coordinator)
    messages.success(request, "Назначение координатора снято.")
    return redirect("people:groups")


# --- Curators -----------------------------------------------------------------------------


def curator_create(request):
    user = request.user
    require(user, "people.manage_curators")
    form = CuratorForm(
        request.POST or None,
        choices={
            "person": selectors.people_for(user),
            "municipality": Municipality.objects.order_by("name"),
            "school": School.objects.select_related("municipality"),
        },
        initial={"year": current_year()},
    )
    if _submit(request, form, lambda: services.assign_curator(user, **form.cleaned_data)):
        messages.success(request, "Куратор закреплён.")
        return redirect("people:curators")
    return _form_page(request, form, "Закрепить куратора", reverse("people:curators"))


@require_POST
def curator_remove(request, pk):
    user = request.user
    require(user, "people.manage_curators")
    assignment = selectors.curator_assignments_for(user).filter(pk=pk).first()
    if assignment is None:
        raise Http404("Закрепление не найдено.")
    services.remove_curator(user, assignment)
    messages.success(request, "Закрепление куратора снято.")
    return redirect("people:curators")


# --- School pairs -------------------------------------------------------------------------


def pair_create(request):
    user = request.user
    require(user, "people.manage_pairs")
    schools = School.objects.select_related("municipality")
    form = PairForm(
        request.POST or None,
        choices={
            "mentor_school": schools,
            "supported_school": schools,
            "mentor_person": selectors.people_for(user),
        },
        initial={"year": current_year()},
    )
    if _submit(request, form, lambda: services.create_pair(user, **form.cleaned_data)):
        messages.success(request, "Пара школ создана.")
        return redirect("people:curators")
    return _form_page(request, form, "Новая пара школ", reverse("people:curators"))


@require_POST
def pair_delete(request, pk):
    user = request.user
    require(user, "people.manage_pairs")
    pair = selectors.pairs_for(user).filter(pk=pk).first()
    if pair is None:
        raise Http404("Пара школ не найдена.")
    services.delete_pair(user, pair)
    messages.success(request, "Пара школ удалена.")
    return redirect("people:curators")


# ---------------------------------------------------------------- documents


def _prepared(request, document, created, label: str):
    if created:
        messages.success(
            request, f"Проект {label} готов: проверьте текст и зафиксируйте с номером и датой."
        )
    return redirect("documents:detail", document.pk)


@require_POST
@submit_once
def group_order(request, pk):
    """The order approving the group with its list: open its draft or build one now."""
    group = _group_or_404(request.user, pk)
    try:
        document, created = services.draft_group_order(request.user, group)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("people:group_detail", group.pk)
    return _prepared(request, document, created, "распоряжения о составе группы")


@require_POST
@submit_once
def appointments_order(request):
    """The order naming this year's coordinators and curators."""
    try:
        document, created = services.draft_appointments_order(request.user, current_year())
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("people:curators")
    return _prepared(request, document, created, "распоряжения о координаторах и кураторах")
