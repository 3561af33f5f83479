"""Questionnaire pages. Thin: parse, call a selector or a service, render.

The anonymous answer pages (``answer_by_link``, ``thanks``) are the only ones open without
signing in (``login_not_required``); they are rate-limited per address and link and remember a
browser that has answered by a signed cookie — nothing of it is stored with the answers.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from opora.accounts.addresses import client_address
from opora.accounts.models import Role
from opora.accounts.reach import reminder_message
from opora.core.ids import MAX_ID
from opora.core.once import submit_once
from opora.core.russian.plurals import count
from opora.core.views import fail
from opora.documents import services as documents
from opora.registry.selectors import school_for
from opora.surveys import documents as report
from opora.surveys import export, results, selectors, services
from opora.surveys.forms import (
    CampaignForm,
    PeriodForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
)
from opora.surveys.models import ANONYMOUS, Audience, Question, Section

ANSWERED_COOKIE = "opora_answered_{pk}"


def _questionnaire_or_404(user, pk: int):
    questionnaire = selectors.questionnaire_for(user, pk)
    if questionnaire is None:
        raise Http404("Анкета не найдена или недоступна.")
    return questionnaire


def _editable_or_404(user, pk: int):
    questionnaire = _questionnaire_or_404(user, pk)
    if not user.has_perm("surveys.change_questionnaire", questionnaire):
        raise PermissionDenied
    return questionnaire


def _section_or_404(user, pk: int) -> Section:
    section = (
        Section.objects.select_related("questionnaire").filter(pk=pk).first()
        if pk <= MAX_ID
        else None
    )
    if section is None or selectors.questionnaire_for(user, section.questionnaire_id) is None:
        raise Http404
    if not user.has_perm("surveys.change_questionnaire", section.questionnaire):
        raise PermissionDenied
    return section


def _question_or_404(user, pk: int) -> Question:
    question = (
        Question.objects.select_related("section__questionnaire").filter(pk=pk).first()
        if pk <= MAX_ID
        else None
    )
    if (
        question is None
        or selectors.questionnaire_for(user, question.section.questionnaire_id) is None
    ):
        raise Http404
    if not user.has_perm("surveys.change_questionnaire", question.section.questionnaire):
        raise PermissionDenied
    return question


def _campaign_or_404(user, pk: int):
    campaign = selectors.campaign_for(user, pk)
    if campaign is None:
        raise Http404("Анкетирование не найдено или недоступно.")
    return campaign


# ---------------------------------------------------------------- the builder


def questionnaire_list(request):
    user = request.user
    if not user.has_perm("surveys.view_questionnaire"):
        raise PermissionDenied
    return render(
        request,
        "surveys/questionnaire_list.html",
        {
            "questionnaires": selectors.questionnaires_for(user),
            "can_create": user.has_perm("surveys.add_questionnaire"),
        },
    )


@submit_once
def questionnaire_create(request):
    user = request.user
    if not user.has_perm("surveys.add_questionnaire"):
        raise PermissionDenied
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.create_questionnaire(user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Анкета создана: добавьте вопросы.")
            return redirect("surveys:questionnaire_detail", questionnaire.pk)
    return render(request, "surveys/questionnaire_form.html", {"form": form, "creating": True})


def questionnaire_edit(request, pk: int):
    user = request.user
    questionnaire = _editable_or_404(user, pk)
    form = QuestionnaireForm(
        request.POST or None,
        initial={
            "title": questionnaire.title,
            "audience": questionnaire.audience,
            "description": questionnaire.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_questionnaire(user, questionnaire, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            return redirect("surveys:questionnaire_detail", questionnaire.pk)
    return render(
        request, "surveys/questionnaire_form.html", {"form": form, "questionnaire": questionnaire}
    )


def questionnaire_detail(request, pk: int):
    user = request.user
    questionnaire = _questionnaire_or_404(user, pk)
    can_edit = user.has_perm("surveys.change_questionnaire", questionnaire)
    sent = questionnaire.sendings.exists()
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "sections": selectors.structure(questionnaire),
            "can_edit": can_edit and not sent,
            "can_copy": user.has_perm("surveys.add_questionnaire"),
            "can_send": user.has_perm("surveys.add_campaign"),
            "sent": sent,
            "campaigns": selectors.campaigns_for(user)
            .filter(audiences__questionnaire=questionnaire)
            .distinct(),
            "section_form": SectionForm(),
        },
    )


@require_POST
def questionnaire_copy(request, pk: int):
    user = request.user
    questionnaire = _questionnaire_or_404(user, pk)
    try:
        copy = services.copy_questionnaire(user, questionnaire)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("surveys:questionnaire_detail", questionnaire.pk)
    messages.success(request, "Копия анкеты создана — её можно править.")
    return redirect("surveys:questionnaire_detail", copy.pk)


def questionnaire_preview(request, pk: int):
    """The questionnaire as a respondent sees it; nothing is sent from here."""
    questionnaire = _questionnaire_or_404(request.user, pk)
    return render(
        request,
        "surveys/answer.html",
        {
            "questionnaire": questionnaire,
            "sections": selectors.structure(questionnaire),
            "preview": True,
            "anonymous": questionnaire.is_anonymous,
            "errors": {},
            "data": None,
        },
    )


@require_POST
def section_add(request, pk: int):
    user = request.user
    questionnaire = _editable_or_404(user, pk)
    form = SectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Укажите название раздела.")
        services.save_section(user, questionnaire, title=form.cleaned_data["title"])
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    return redirect("surveys:questionnaire_detail", questionnaire.pk)


@require_POST
def section_edit(request, pk: int):
    user = request.user
    section = _section_or_404(user, pk)
    form = SectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Укажите название раздела.")
        services.save_section(
            user, section.questionnaire, title=form.cleaned_data["title"], section=section
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    return redirect("surveys:questionnaire_detail", section.questionnaire_id)


@require_POST
def section_delete(request, pk: int):
    user = request.user
    section = _section_or_404(user, pk)
    try:
        services.delete_section(user, section)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    return redirect("surveys:questionnaire_detail", section.questionnaire_id)


def _conditions(section: Section, question: Question | None = None):
    """The questions a condition may name: choice questions of the questionnaire before this one."""
    qs = Question.objects.filter(
        section__questionnaire_id=section.questionnaire_id, kind__in=["single", "multiple"]
    ).order_by("section__order", "order", "pk")
    return qs.exclude(pk=question.pk) if question else qs


def _question_form(request, section: Section, question: Question | None):
    initial = {"required": True}
    if question is not None:
        initial = {
            "kind": question.kind,
            "text": question.text,
            "hint": question.hint,
            "required": question.required,
            "options": "\n".join(question.options),
            "rows": "\n".join(question.rows),
            "scale_min": question.scale_min,
            "scale_max": question.scale_max,
            "code": question.code,
            "show_if": question.show_if_id,
            "show_if_option": question.show_if_option,
        }
    form = QuestionForm(
        request.POST or None, conditions=_conditions(section, question), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(request.user, section, question=question, **form.values())
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Вопрос сохранён.")
            return redirect("surveys:questionnaire_detail", section.questionnaire_id)
    return render(
        request,
        "surveys/question_form.html",
        {"form": form, "section": section, "question": question},
    )


def question_add(request, pk: int):
    return _question_form(request, _section_or_404(request.user, pk), None)


def question_edit(request, pk: int):
    question = _question_or_404(request.user, pk)
    return _question_form(request, question.section, question)


@require_POST
def question_delete(request, pk: int):
    user = request.user
    question = _question_or_404(user, pk)
    try:
        services.delete_question(user, question)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    return redirect("surveys:questionnaire_detail", question.section.questionnaire_id)


@require_POST
def question_move(request, pk: int, action: str):
    user = request.user
    question = _question_or_404(user, pk)
    if action not in ("up", "down"):
        raise Http404
    try:
        services.move_question(user, question, -1 if action == "up" else 1)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    return redirect(
        reverse("surveys:questionnaire_detail", args=[question.section.questionnaire_id])
        + f"#question-{question.pk}"
    )


# ---------------------------------------------------------------- campaigns


def campaign_list(request):
    user = request.user
    return render(
        request,
        "surveys/campaign_list.html",
        {
            "campaigns": selectors.campaign_list(user),
            "is_school": user.role in selectors.SIGNED_IN_STAFF,
            "answers_links": user.role == Role.SCHOOL,
            "is_teacher": user.role == Role.TEACHER,
            "can_build": user.has_perm("surveys.view_questionnaire"),
        },
    )


@submit_once
def campaign_create(request, pk: int):
    user = request.user
    questionnaire = _questionnaire_or_404(user, pk)
    if not user.has_perm("surveys.add_campaign"):
        raise PermissionDenied
    schools = selectors.schools_to_choose(user)
    today = timezone.localdate()
    form = CampaignForm(
        request.POST or None,
        schools=schools,
        questionnaire=questionnaire,
        questionnaires=selectors.questionnaires_to_send(user),
        initial={
            "title": questionnaire.title,
            "starts_on": today,
            "ends_on": today + timezone.timedelta(days=14),
            "schools": [s.pk for s in schools if s.is_listed],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(user, questionnaire=questionnaire, **form.values())
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(
                request,
                f"Анкетирование разослано: {count(campaign.targets.count(), 'школа', 'школы', 'школ')}.",
            )
            return redirect("surveys:campaign_detail", campaign.pk)
    return render(
        request, "surveys/campaign_form.html", {"form": form, "questionnaire": questionnaire}
    )


def campaign_detail(request, pk: int):
    user = request.user
    campaign = _campaign_or_404(user, pk)
    if user.role == Role.TEACHER:
        # A teacher answers; the school's progress and results are for the school's head.
        return redirect("surveys:answer_as_staff", campaign.pk, Audience.TEACHERS)
    own = selectors.own_target(user, campaign)
    rows = selectors.tracking(user, campaign)
    links = [
        (link, request.build_absolute_uri(reverse("surveys:answer_by_link", args=[link.token])))
        for link in (own.links.all() if own else [])
    ]
    answering = [
        (a, own is not None and selectors.has_answered(user, a))
        for a in campaign.sendings
        if user.has_perm("surveys.answer_campaign", a)
    ]
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "missing": [r for r in rows if r.missing],
            "answered_count": sum(r.responses for r in rows),
            "is_open": campaign.is_open_on(timezone.localdate()),
            "own_links": links,
            "answering": answering,
            "can_remind": user.has_perm("surveys.remind_campaign", campaign),
            "can_change": user.has_perm("surveys.change_campaign", campaign),
            "can_export": user.has_perm("surveys.export_campaign", campaign),
            "period_form": PeriodForm(
                initial={"starts_on": campaign.starts_on, "ends_on": campaign.ends_on}
            ),
            "documents": list(documents.documents_of(user, campaign)),
        },
    )


@require_POST
def campaign_period(request, pk: int):
    user = request.user
    campaign = _campaign_or_404(user, pk)
    form = PeriodForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Укажите даты начала и окончания.")
        services.change_period(user, campaign, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Сроки анкетирования изменены.")
    return redirect("surveys:campaign_detail", campaign.pk)


@require_POST
def campaign_remind(request, pk: int):
    user = request.user
    campaign = _campaign_or_404(user, pk)
    missing = [r.target.school_id for r in selectors.tracking(user, campaign) if r.missing]
    try:
        if not missing:
            raise ValidationError("Ответили все школы — напоминать некому.")
        reach = services.remind(user, campaign, missing)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        reached, text = reminder_message(reach)
        (messages.success if reached else messages.warning)(request, text)
    return redirect("surveys:campaign_detail", campaign.pk)


def _audience_asked(request, campaign) -> str:
    """The audience named by ``?audience=`` if the campaign asks it; «» — all together."""
    audience = request.GET.get("audience", "")
    return audience if campaign.sending(audience) is not None else ""


def campaign_results(request, pk: int):
    user = request.user
    campaign = _campaign_or_404(user, pk)
    if not user.has_perm("surveys.view_campaign", campaign):
        raise PermissionDenied
    school = None
    if user.role == Role.SCHOOL:
        school = selectors.own_target(user, campaign)
        school = school.school if school else None
    elif (raw := request.GET.get("school", "")).isdigit() and int(raw) <= MAX_ID:
        school = school_for(user, int(raw))
        if school is not None and not campaign.targets.filter(school=school).exists():
            school = None
    data = results.campaign_results(user, campaign, school, _audience_asked(request, campaign))
    return render(
        request,
        "surveys/results.html",
        {
            "campaign": campaign,
            "results": data,
            "charts": data.charts(),
            "can_choose_school": user.role != Role.SCHOOL,
            "can_export": user.has_perm("surveys.export_campaign", campaign),
            "can_report": user.has_perm("surveys.change_campaign", campaign),
        },
    )


def campaign_export(request, pk: int):
    user = request.user
    campaign = _campaign_or_404(user, pk)
    if not user.has_perm("surveys.export_campaign", campaign):
        raise PermissionDenied
    audience = _audience_asked(request, campaign)
    response = HttpResponse(
        export.results_workbook(user, campaign, audience),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"anketirovanie-{campaign.pk}" + (f"-{audience}" if audience else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_POST
def campaign_report(request, pk: int):
    user = request.user
    campaign = _campaign_or_404(user, pk)
    try:
        document = report.create_report(user, campaign)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
        return redirect("surveys:campaign_results", campaign.pk)
    messages.success(
        request, "Черновик аналитической справки создан — проверьте текст и зафиксируйте."
    )
    return redirect("documents:detail", document.pk)


def answer_as_staff(request, pk: int, audience: str = ""):
    user = request.user
    campaign = _campaign_or_404(user, pk)
    sending = selectors.sending_for(user, campaign, audience)
    if sending is None or not user.has_perm("surveys.answer_campaign", sending):
        raise PermissionDenied
    done = "surveys:campaign_list" if user.role == Role.TEACHER else "surveys:campaign_detail"
    done_args = [] if user.role == Role.TEACHER else [campaign.pk]
    if selectors.has_answered(user, sending):
        messages.info(request, "Вы уже ответили на эту анкету. Спасибо!")
        return redirect(done, *done_args)
    errors: dict[int, str] = {}
    if request.method == "POST":
        try:
            services.answer_as_staff(user, sending, request.POST, request.POST.get("receipt", ""))
        except services.AnswerRefused as exc:
            errors = exc.errors
            fail(request, exc)
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Спасибо! Ответы сохранены.")
            return redirect(done, *done_args)
    return _answer_form(request, sending, errors, action=request.path)


def _answer_form(request, sending, errors, *, action: str, school=None, status: int = 200):
    return render(
        request,
        "surveys/answer.html",
        {
            "questionnaire": sending.questionnaire,
            "campaign": sending.campaign,
            "anonymous": sending.is_anonymous,
            "school": school,
            "sections": selectors.structure(sending.questionnaire),
            "errors": errors,
            "data": request.POST if request.method == "POST" else None,
            "receipt": request.POST.get("receipt") or services.new_receipt(),
            "action": action,
        },
        status=status,
    )


# ---------------------------------------------------------------- the anonymous link


def _too_many(request, token: str) -> bool:
    """Past the allowed answers per hour from one address through one link (the cache
    forgets the key within the hour; nothing of it goes to the database)."""
    limit = settings.OPORA_SURVEY_ANSWERS_PER_ADDRESS
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"surveys:rate:{token}:{client_address(request) or '-'}:{hour}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > limit
    except ValueError:  # evicted between add and incr
        return False


def _link_or_404(token: str):
    link = selectors.link_for_token(token)
    if link is None or link.audience not in ANONYMOUS:
        raise Http404("Ссылка недействительна.")
    sending = link.target.campaign.sending(link.audience)
    if sending is None:
        raise Http404("Ссылка недействительна.")
    return link, sending


@login_not_required
def answer_by_link(request, token: str):
    link, sending = _link_or_404(token)
    campaign = sending.campaign
    cookie = ANSWERED_COOKIE.format(pk=f"{campaign.pk}_{link.audience}")
    if request.get_signed_cookie(cookie, default="", salt="surveys") == "1":
        return render(request, "surveys/thanks.html", {"campaign": campaign, "again": True})
    today = timezone.localdate()
    if not campaign.is_open_on(today):
        return render(
            request,
            "surveys/closed.html",
            {"campaign": campaign, "questionnaire": sending.questionnaire, "today": today},
            status=410,
        )
    errors: dict[int, str] = {}
    school = link.target.school
    if request.method == "POST":
        if _too_many(request, token):
            messages.error(request, "Слишком много ответов с этого адреса. Попробуйте через час.")
            return _answer_form(
                request, sending, {}, action=request.path, school=school, status=429
            )
        try:
            services.answer_by_link(link, request.POST, request.POST.get("receipt", ""))
        except services.AnswerRefused as exc:
            errors = exc.errors
            fail(request, exc)
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            response = redirect("surveys:thanks", token)
            response.set_signed_cookie(
                cookie,
                "1",
                salt="surveys",
                max_age=max(1, (campaign.ends_on - today).days + 1) * 86400,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    return _answer_form(request, sending, errors, action=request.path, school=school)


@login_not_required
def thanks(request, token: str):
    _link, sending = _link_or_404(token)
    return render(request, "surveys/thanks.html", {"campaign": sending.campaign, "again": False})
