"""Questionnaires and campaigns for the tests, built through the services as the region does."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from opora.surveys import services
from opora.surveys.models import Audience, QuestionKind


def parents_questionnaire(region):
    """«Анкета для родителей»: a scale (code involvement), a single choice, a text shown only
    after «Никогда», a number, a multiple choice and a matrix."""
    q = services.create_questionnaire(
        region, title="Анкета для родителей", audience=Audience.PARENTS
    )
    section = q.sections.get()
    add = lambda **kw: services.save_question(region, section, **kw)  # noqa: E731
    add(
        kind=QuestionKind.SCALE,
        text="Насколько вы вовлечены?",
        scale_min=1,
        scale_max=5,
        code="involvement",
    )
    meetings = add(
        kind=QuestionKind.SINGLE,
        text="Бываете ли вы на собраниях?",
        options="Всегда\nИногда\nНикогда",
    )
    add(
        kind=QuestionKind.TEXT,
        text="Что мешает приходить?",
        required=True,
        show_if=meetings,
        show_if_option="Никогда",
    )
    add(
        kind=QuestionKind.NUMBER,
        text="Минут на уроки в день",
        scale_min=0,
        scale_max=300,
        required=False,
    )
    add(
        kind=QuestionKind.MULTIPLE,
        text="Что помогает ребёнку?",
        options="Учитель\nКружки\nВидеоуроки",
        required=False,
    )
    add(
        kind=QuestionKind.MATRIX,
        text="Довольны ли вы:",
        options="Да\nНет",
        rows="питанием\nбезопасностью",
        required=False,
    )
    return q


def staff_questionnaire(region, audience=Audience.TEACHERS):
    q = services.create_questionnaire(region, title="Анкета для педагогов", audience=audience)
    section = q.sections.get()
    services.save_question(
        region,
        section,
        kind=QuestionKind.SCALE,
        text="Уверенность в методиках",
        scale_min=1,
        scale_max=5,
        code="methodical_confidence",
    )
    services.save_question(
        region, section, kind=QuestionKind.TEXT, text="Какая помощь нужна?", required=False
    )
    return q


def send(region, questionnaire, schools, **kw):
    """Send ``questionnaire`` to its audience (and ``also={audience: questionnaire}``)."""
    today = timezone.localdate()
    return services.create_campaign(
        region,
        questionnaire=questionnaire,
        also=kw.pop("also", None),
        title=kw.pop("title", "Анкетирование октября"),
        starts_on=kw.pop("starts_on", today - timedelta(days=1)),
        ends_on=kw.pop("ends_on", today + timedelta(days=10)),
        schools=schools,
    )


def answers_for(questionnaire, **by_code_or_text) -> dict:
    """Form data from {question text prefix: value or list}."""
    from opora.surveys.services import questions_of

    data = {}
    for q in questions_of(questionnaire):
        for key, value in by_code_or_text.items():
            if q.text.startswith(key):
                data[f"q{q.pk}"] = value
    return data


def link_of(campaign, school=None, audience: str = "") -> str:
    """The token of a school's anonymous link (the only school, the only anonymous audience
    when not named)."""
    from opora.surveys.models import SchoolLink

    links = SchoolLink.objects.filter(target__campaign=campaign)
    if school is not None:
        links = links.filter(target__school=school)
    if audience:
        links = links.filter(audience=audience)
    return links.get().token


def questionnaire_of(campaign, audience: str = ""):
    """The questionnaire the campaign sends to ``audience`` (or to its only audience)."""
    return (campaign.sending(audience) if audience else campaign.sendings[0]).questionnaire
