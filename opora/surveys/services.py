"""Questionnaires: every write — the builder, the campaigns, the answers, the reminders.

The builder edits a questionnaire until it is sent: a campaign's answers are read against the
questions as they were, so a sent questionnaire is copied, not changed. Answers are stored in
one transaction each, without anything that points to the person who gave them.
"""

from __future__ import annotations

import re
import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.accounts.reach import Reach, reach_of
from opora.core.russian.dates import day_text
from opora.roadmaps.signals import send_on_commit
from opora.surveys import answering, signals, tallies
from opora.surveys.models import (
    ANONYMOUS,
    CHOICE_KINDS,
    Answer,
    Audience,
    Campaign,
    CampaignAudience,
    CampaignSchool,
    Participation,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    SchoolLink,
    Section,
)

MAX_SCALE_POINTS = 11
RECEIPT = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SENT = (
    "Анкета уже разослана: изменения исказили бы полученные ответы. "
    "Сделайте копию анкеты и правьте её."
)


def new_receipt() -> str:
    return secrets.token_urlsafe(18)


# ---------------------------------------------------------------- the builder


def _editable(questionnaire: Questionnaire) -> None:
    if questionnaire.sendings.exists():
        raise ValidationError(SENT)


def _clean_title(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(f"Укажите {what}.")
    return text


@transaction.atomic
def create_questionnaire(
    user, *, title: str, audience: str, description: str = ""
) -> Questionnaire:
    """A new empty questionnaire with one section.

    Example: «Анкета для родителей обучающихся», audience «parents».
    """
    _require(user, "surveys.add_questionnaire")
    if audience not in Audience.values:
        raise ValidationError("Выберите, кому адресована анкета.")
    questionnaire = _stamp(
        Questionnaire(
            title=_clean_title(title, "название анкеты"),
            description=description.strip(),
            audience=audience,
            created_by=user,
        ),
        user,
    )
    questionnaire.save()
    _stamp(Section(questionnaire=questionnaire, order=1, title="Основные вопросы"), user).save()
    return questionnaire


@transaction.atomic
def update_questionnaire(
    user, questionnaire: Questionnaire, *, title: str, audience: str, description: str
) -> Questionnaire:
    _require(user, "surveys.change_questionnaire", questionnaire)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _editable(questionnaire)
    if audience not in Audience.values:
        raise ValidationError("Выберите, кому адресована анкета.")
    questionnaire.title = _clean_title(title, "название анкеты")
    questionnaire.audience = audience
    questionnaire.description = description.strip()
    _stamp(questionnaire, user).save()
    return questionnaire


@transaction.atomic
def copy_questionnaire(user, questionnaire: Questionnaire) -> Questionnaire:
    """A copy to edit («… (копия)»), with its sections, questions and conditions."""
    _require(user, "surveys.add_questionnaire")
    copy = _stamp(
        Questionnaire(
            title=f"{questionnaire.title} (копия)"[:500],
            description=questionnaire.description,
            audience=questionnaire.audience,
            created_by=user,
        ),
        user,
    )
    copy.save()
    new_ids: dict[int, Question] = {}
    conditions: list[tuple[Question, int]] = []
    for section in questionnaire.sections.prefetch_related("questions"):
        new_section = _stamp(
            Section(questionnaire=copy, order=section.order, title=section.title), user
        )
        new_section.save()
        for q in section.questions.all():
            old_pk, show_if_id = q.pk, q.show_if_id
            q.pk, q.id, q.section, q.show_if = None, None, new_section, None
            _stamp(q, user).save()
            new_ids[old_pk] = q
            if show_if_id:
                conditions.append((q, show_if_id))
    for q, parent_id in conditions:
        q.show_if = new_ids.get(parent_id)
        _stamp(q, user).save(update_fields=["show_if"])
    return copy


@transaction.atomic
def save_section(
    user, questionnaire: Questionnaire, *, title: str, section: Section | None = None
) -> Section:
    _require(user, "surveys.change_questionnaire", questionnaire)
    _editable(questionnaire)
    if section is None:
        last = questionnaire.sections.aggregate(m=Max("order"))["m"] or 0
        section = Section(questionnaire=questionnaire, order=last + 1)
    section.title = _clean_title(title, "название раздела")
    _stamp(section, user).save()
    return section


@transaction.atomic
def delete_section(user, section: Section) -> None:
    questionnaire = section.questionnaire
    _require(user, "surveys.change_questionnaire", questionnaire)
    _editable(questionnaire)
    if questionnaire.sections.count() == 1:
        raise ValidationError("В анкете должен остаться хотя бы один раздел.")
    if Question.objects.filter(show_if__section=section).exclude(section=section).exists():
        raise ValidationError(
            "От ответов этого раздела зависят вопросы других разделов — сначала уберите условия."
        )
    _stamp(section, user).delete()


def _lines(values) -> list[str]:
    if isinstance(values, str):
        values = values.splitlines()
    seen = []
    for v in values:
        v = v.strip()[:300]
        if v and v not in seen:
            seen.append(v)
    return seen


def _check_question(q: Question) -> None:
    """The rules of a well-formed question; a ValidationError names what is wrong."""
    if not q.text.strip():
        raise ValidationError("Напишите текст вопроса.")
    if q.kind not in QuestionKind.values:
        raise ValidationError("Выберите вид вопроса.")
    if q.kind in CHOICE_KINDS and len(q.options) < 2:
        raise ValidationError("Нужно хотя бы два варианта ответа (каждый с новой строки).")
    if q.kind == QuestionKind.MATRIX and not q.rows:
        raise ValidationError("У матрицы должна быть хотя бы одна строка.")
    if q.kind == QuestionKind.SCALE:
        if q.scale_min is None or q.scale_max is None or q.scale_min >= q.scale_max:
            raise ValidationError("У шкалы нужны начало и конец, начало меньше конца (1–5).")
        if q.scale_max - q.scale_min + 1 > MAX_SCALE_POINTS:
            raise ValidationError(f"В шкале не больше {MAX_SCALE_POINTS} делений.")
    if (
        q.kind == QuestionKind.NUMBER
        and q.scale_min is not None
        and q.scale_max is not None
        and q.scale_min > q.scale_max
    ):
        raise ValidationError("Наименьшее число больше наибольшего.")
    _check_condition(q)


def _check_condition(q: Question) -> None:
    parent = q.show_if
    if parent is None:
        q.show_if_option = ""
        return
    if parent.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        raise ValidationError("Условие можно ставить только по вопросу с выбором вариантов.")
    if parent.section.questionnaire_id != q.section.questionnaire_id:
        raise ValidationError("Условие — только по вопросу этой же анкеты.")
    if (parent.section.order, parent.section_id, parent.order, parent.pk) >= (
        q.section.order,
        q.section_id,
        q.order,
        q.pk or 10**18,
    ):
        raise ValidationError("Условие — только по вопросу, который стоит раньше.")
    if q.show_if_option not in parent.options:
        raise ValidationError("Выберите ответ, после которого показывать вопрос.")


@transaction.atomic
def save_question(
    user, section: Section, *, question: Question | None = None, **fields
) -> Question:
    """Add a question at the end of ``section`` or change ``question``.

    ``fields``: kind, text, hint, required, options and rows (lists or lines of text),
    scale_min, scale_max, code, show_if (a question or None), show_if_option.
    Example: kind «scale», text «Насколько вам интересно на уроках?», 1–5.
    """
    questionnaire = section.questionnaire
    _require(user, "surveys.change_questionnaire", questionnaire)
    _editable(questionnaire)
    if question is None:
        last = section.questions.aggregate(m=Max("order"))["m"] or 0
        question = Question(section=section, order=last + 1)
    for name in ("kind", "text", "hint", "required", "scale_min", "scale_max", "show_if"):
        if name in fields:
            setattr(question, name, fields[name])
    question.text = (question.text or "").strip()
    question.hint = (question.hint or "").strip()
    question.options = _lines(fields.get("options", question.options))
    question.rows = _lines(fields.get("rows", question.rows))
    question.code = (fields.get("code", question.code) or "").strip()
    question.show_if_option = (fields.get("show_if_option", question.show_if_option) or "").strip()
    if question.kind not in CHOICE_KINDS:
        question.options = []
    if question.kind != QuestionKind.MATRIX:
        question.rows = []
    _check_question(question)
    if (
        question.code
        and Question.objects.filter(section__questionnaire=questionnaire, code=question.code)
        .exclude(pk=question.pk)
        .exists()
    ):
        raise ValidationError(f"Код «{question.code}» уже есть у другого вопроса анкеты.")
    _stamp(question, user).save()
    return question


@transaction.atomic
def delete_question(user, question: Question) -> None:
    questionnaire = question.section.questionnaire
    _require(user, "surveys.change_questionnaire", questionnaire)
    _editable(questionnaire)
    if question.dependents.exists():
        raise ValidationError(
            "От ответа на этот вопрос зависят другие вопросы — сначала уберите условия."
        )
    _stamp(question, user).delete()


@transaction.atomic
def move_question(user, question: Question, step: int) -> None:
    """One place up (−1) or down (+1) inside its section; a condition keeps its order."""
    section = question.section
    _require(user, "surveys.change_questionnaire", section.questionnaire)
    _editable(section.questionnaire)
    ordered = list(section.questions.select_for_update())
    i = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    j = i + step
    if not 0 <= j < len(ordered):
        return
    a, b = ordered[i], ordered[j]
    if b.pk in (a.show_if_id,) or a.pk == b.show_if_id:
        raise ValidationError("Вопрос с условием должен стоять после вопроса, от которого зависит.")
    ordered[i], ordered[j] = b, a
    for n, q in enumerate(ordered, start=1):
        if q.order != n:
            q.order = n
            _stamp(q, user).save(update_fields=["order"])


# ---------------------------------------------------------------- campaigns


def _audiences(questionnaire: Questionnaire | None, also: dict | None) -> dict[str, Questionnaire]:
    """Whom the campaign asks: the questionnaire's own audience, and the other audiences
    chosen for it (``also``: audience -> questionnaire, the same one or another)."""
    chosen: dict[str, Questionnaire] = {}
    if questionnaire is not None:
        chosen[questionnaire.audience] = questionnaire
    for audience, other in (also or {}).items():
        if other is None:
            continue
        if audience not in Audience.values:
            raise ValidationError("Выберите, кому адресована анкета.")
        if audience in chosen and chosen[audience].pk != other.pk:
            raise ValidationError(
                f"Для адресата «{Audience(audience).label}» выбрано две разные анкеты."
            )
        chosen[audience] = other
    if not chosen:
        raise ValidationError("Выберите хотя бы одного адресата анкетирования.")
    with_questions = set(
        Question.objects.filter(
            section__questionnaire__in=[q.pk for q in chosen.values()]
        ).values_list("section__questionnaire_id", flat=True)
    )
    for q in chosen.values():
        if q.pk not in with_questions:
            raise ValidationError(f"В анкете «{q.title}» нет ни одного вопроса — рассылать нечего.")
    return chosen


@transaction.atomic
def create_campaign(
    user,
    *,
    questionnaire: Questionnaire | None = None,
    also: dict[str, Questionnaire | None] | None = None,
    title: str,
    starts_on: date,
    ends_on: date,
    schools: list,
) -> Campaign:
    """Send questionnaires to ``schools`` for a period: ``questionnaire`` to its own audience
    and, in the same campaign, ``also`` to other audiences (each its questionnaire, or one
    shared). Each school gets a link per audience of pupils or parents; staff answer signed in.

    Example: «Анкетирование ШНОР, октябрь 2026», 01.10.2026–20.10.2026, 68 schools; the
    pupils' questionnaire, ``also={"parents": <the parents' one>, "teachers": <…>}``.
    """
    _require(user, "surveys.add_campaign")
    chosen = _audiences(questionnaire, also)
    if ends_on < starts_on:
        raise ValidationError("Окончание анкетирования раньше его начала.")
    if not schools:
        raise ValidationError("Выберите хотя бы одну школу.")
    campaign = _stamp(
        Campaign(
            title=_clean_title(title, "название анкетирования"),
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=user,
        ),
        user,
    )
    campaign.save()
    CampaignAudience.objects.bulk_create(
        CampaignAudience(campaign=campaign, audience=audience, questionnaire=q)
        for audience, q in chosen.items()
    )
    targets = CampaignSchool.objects.bulk_create(
        CampaignSchool(campaign=campaign, school=s) for s in {s.pk: s for s in schools}.values()
    )
    SchoolLink.objects.bulk_create(
        SchoolLink(target=t, audience=audience, token=secrets.token_urlsafe(24))
        for t in targets
        for audience in chosen
        if audience in ANONYMOUS
    )
    return campaign


@transaction.atomic
def change_period(user, campaign: Campaign, *, starts_on: date, ends_on: date) -> Campaign:
    """Move or extend the period (a campaign closes early by moving its end to today)."""
    _require(user, "surveys.change_campaign", campaign)
    if ends_on < starts_on:
        raise ValidationError("Окончание анкетирования раньше его начала.")
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    _stamp(campaign, user).save(update_fields=["starts_on", "ends_on"])
    return campaign


@transaction.atomic
def remind(user, campaign: Campaign, school_ids: list[int]) -> Reach:
    """Remind the schools of ``school_ids`` (those that have not answered) — once a day each;
    how many were reminded and how many of them have someone in Opora to read it."""
    _require(user, "surveys.remind_campaign", campaign)
    today = timezone.localdate()
    if not campaign.is_open_on(today):
        raise ValidationError("Анкетирование не идёт — напоминать не о чем.")
    targets = campaign.targets.filter(school_id__in=school_ids).exclude(reminded_on=today)
    ids = list(targets.values_list("school_id", flat=True))
    if not ids:
        raise ValidationError("Этим школам сегодня уже напомнили.")
    targets.update(reminded_on=today)
    send_on_commit(
        signals.reminder_requested, sender=Campaign, campaign=campaign, user=user, school_ids=ids
    )
    return reach_of(school_ids=ids)


# ---------------------------------------------------------------- answers


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(
        Question.objects.filter(section__questionnaire=questionnaire)
        .select_related("section")
        .order_by("section__order", "section_id", "order", "pk")
    )


class AnswerRefused(ValidationError):
    """The form is answered wrongly: ``errors`` by question id (shown beside each question)."""

    def __init__(self, errors: dict[int, str]):
        super().__init__("Проверьте ответы: некоторые вопросы заполнены неверно или пропущены.")
        self.errors = errors


def _store(sending: CampaignAudience, school_id: int, data, receipt: str) -> bool:
    """Store one response; False when this form (its receipt) was stored already."""
    if not RECEIPT.match(receipt or ""):
        raise ValidationError("Форма устарела — обновите страницу и ответьте ещё раз.")
    values, errors = answering.read(questions_of(sending.questionnaire), data)
    if errors:
        raise AnswerRefused(errors)
    if not values:
        raise ValidationError("Анкета пуста — ответьте хотя бы на один вопрос.")
    campaign, audience = sending.campaign, sending.audience
    # Every response of a school, whatever its audience, passes through this row lock: its
    # tallies are counted one response at a time (``tallies.add``), whatever arrives at once.
    CampaignSchool.objects.select_for_update().filter(
        campaign=campaign, school_id=school_id
    ).values_list("pk").first()
    try:
        with transaction.atomic():
            response = Response.objects.create(
                campaign=campaign,
                school_id=school_id,
                audience=audience,
                submitted_on=timezone.localdate(),
                receipt=receipt,
            )
    except IntegrityError:
        return False
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=v.question,
            campaign=campaign,
            school_id=school_id,
            audience=audience,
            row=v.row,
            option=v.option,
            number=v.number,
            text=v.text,
        )
        for v in values
    )
    tallies.add(campaign, school_id, audience, values)
    return True


def _check_open(campaign: Campaign) -> None:
    today = timezone.localdate()
    if today < campaign.starts_on:
        raise ValidationError(f"Анкетирование начнётся {day_text(campaign.starts_on)}")
    if today > campaign.ends_on:
        raise ValidationError(f"Анкетирование завершилось {day_text(campaign.ends_on)}")


@transaction.atomic
def answer_by_link(link: SchoolLink, data, receipt: str) -> bool:
    """A pupil's or parent's answer through the school's link: no user, nothing personal.
    True when stored, False when the same form had been stored already."""
    campaign = link.target.campaign
    sending = campaign.sending(link.audience)
    if sending is None or link.audience not in ANONYMOUS:
        raise PermissionDenied("Эта анкета заполняется после входа в систему.")
    _check_open(campaign)
    return _store(sending, link.target.school_id, data, receipt)


@transaction.atomic
def answer_as_staff(user, sending: CampaignAudience, data, receipt: str) -> bool:
    """A head's or teacher's answer, signed in: that they answered is written down
    (``Participation``), what they answered is not linked to them."""
    campaign, audience = sending.campaign, sending.audience
    _require(user, "surveys.answer_campaign", sending)
    _check_open(campaign)
    try:
        with transaction.atomic():
            Participation.objects.create(
                campaign=campaign,
                school_id=user.school_id,
                user=user,
                audience=audience,
                answered_on=timezone.localdate(),
            )
    except IntegrityError:
        if audience == Audience.HEAD:
            raise ValidationError("Руководитель этой школы уже ответил на анкету.") from None
        raise ValidationError("Вы уже ответили на эту анкету.") from None
    stored = _store(sending, user.school_id, data, receipt)
    if not stored:
        # The same form again: the first one took the participation; roll this one back.
        raise ValidationError("Вы уже ответили на эту анкету.")
    return stored
