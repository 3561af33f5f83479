"""The analytical report of a campaign (seed 003, event 28) — a draft for the documents layer.

The text says what the region learnt: who answered, each question's leading answers, the
means of scale questions and the schools well below the region. Only aggregates, under the
anonymity rules of :mod:`opora.surveys.results`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from opora.core.formatting import percent
from opora.core.russian.dates import long_date
from opora.core.russian.plurals import count
from opora.documents import services as documents
from opora.documents.drafts import Draft
from opora.documents.models import DocumentKind
from opora.registry import requisites
from opora.surveys import results
from opora.surveys.models import Campaign

#: A school's mean this far below the region's is named in the report.
NOTABLE_GAP = 0.5


def _leading(q: results.QuestionResult) -> str:
    top = sorted(q.options, key=lambda o: -o.region)[:2]
    parts = [f"«{o.label}» — {percent(o.region_share)}" for o in top if o.region]
    line = f"{q.number}. {q.question.text.rstrip('?')}: " + "; ".join(parts) if parts else ""
    if q.region_mean is not None and line:
        line += f" (среднее {q.region_mean:.2f})".replace(".", ",")
    return line + "." if line else ""


def build_report(data: results.Results) -> tuple[str, str]:
    """(title, body) of the report; paragraphs separated by an empty line."""
    campaign = data.campaign
    asked = "; ".join(
        f"анкета «{p.questionnaire.title}», респонденты — {p.audiences}" for p in data.parts
    )
    answered = sum(1 for s in data.schools if s.responses)
    title = f"Об итогах анкетирования «{campaign.title}»"
    paragraphs = [
        f"В период с {long_date(campaign.starts_on)} по {long_date(campaign.ends_on)} проведено "
        f"анкетирование ({asked}). "
        f"Анкета направлена в {count(len(data.schools), 'школу', 'школы', 'школ')}, ответы "
        f"получены из {answered}; всего заполнено {count(data.responses, 'анкета', 'анкеты', 'анкет')}.",
        "Ответы анонимны; показатели школ, где ответили меньше 5 респондентов, не приводятся.",
        "Основные результаты:",
    ]
    paragraphs += [line for line in (_leading(q) for q in data.questions) if line]
    for i, q in enumerate(data.mean_questions):
        below = [
            row.school.short_name
            for row in data.schools
            if row.means[i][0] is not None and q.region_mean - row.means[i][0] >= NOTABLE_GAP
        ]
        if below:
            paragraphs.append(
                f"По вопросу {q.number} «{q.question.text.rstrip('?')}» заметно ниже среднего по "
                f"региону ответы в школах: {', '.join(below)}."
            )
    silent = [row.school.short_name for row in data.schools if not row.responses]
    if silent:
        paragraphs.append(f"Не приняли участие в анкетировании: {', '.join(silent)}.")
    paragraphs.append(
        "Результаты анкетирования учитываются при определении уровней рисков школ и при "
        "планировании адресной методической поддержки."
    )
    return title, "\n\n".join(paragraphs)


def create_report(user, campaign: Campaign):
    """A draft «аналитическая справка» sourced from the campaign."""
    if not user.has_perm("surveys.change_campaign", campaign):
        raise PermissionDenied("Недостаточно прав.")
    data = results.campaign_results(user, campaign)
    if not data.responses:
        raise ValidationError("Ответов ещё нет — справку составлять не по чему.")
    title, body = build_report(data)
    operator = requisites.regional_operator()
    draft = Draft(
        kind=DocumentKind.REPORT,
        organisation=operator.organisation,
        title=title,
        body=body,
        place=operator.place,
    )
    return documents.create_draft(user, draft, source=campaign)
