"""Synthetic answers to a campaign, for the demo and the benchmark — invented, labelled so.

Each school gets a «tone» (how well things go there, 0–1) so that schools differ and the
results page has something to compare; each response leans on its school's tone with noise.
Conditions are respected (a question shown after «Часто» is answered only then). Written
with ``bulk_create`` in batches: 30 000 responses take seconds.
"""

from __future__ import annotations

import random
import secrets
from decimal import Decimal

from django.db import transaction

from opora.surveys import tallies
from opora.surveys.models import Answer, Campaign, Question, QuestionKind, Response
from opora.surveys.services import questions_of

NOTE = "синтетические ответы, сгенерированные для демонстрации и проверки; не реальные данные"
TEXTS = [
    "Больше практических заданий",
    "Хотелось бы больше кружков после уроков",
    "Нужна помощь с подготовкой к экзаменам",
    "Всё устраивает",
    "Больше общения с учителями",
    "Современное оборудование в кабинетах",
]
BATCH = 2000


def _pick(options: list[str], tone: float, rng: random.Random) -> str:
    """Options are written from good to bad or the other way: the tone leans to the first."""
    weights = [
        (tone if i == 0 else (1 - tone) / max(1, len(options) - 1)) + 0.05
        for i in range(len(options))
    ]
    return rng.choices(options, weights=weights)[0]


def _values(q: Question, tone: float, rng: random.Random, chosen: dict[int, list[str]]):
    """(row, option, number, text) tuples of one question's answer."""
    if q.kind == QuestionKind.SINGLE:
        return [(0, _pick(q.options, tone, rng), None, "")]
    if q.kind == QuestionKind.MULTIPLE:
        picked = [o for o in q.options if rng.random() < 0.25 + 0.4 * tone] or [q.options[0]]
        return [(0, o, None, "") for o in picked]
    if q.kind == QuestionKind.SCALE:
        span = q.scale_max - q.scale_min
        value = round(q.scale_min + span * min(1, max(0, rng.gauss(tone, 0.22))))
        return [(0, str(value), Decimal(value), "")]
    if q.kind == QuestionKind.NUMBER:
        low = q.scale_min if q.scale_min is not None else 0
        high = q.scale_max if q.scale_max is not None else 100
        return [
            (0, "", Decimal(rng.randint(low, max(low, round(low + (high - low) * (1 - tone))))), "")
        ]
    if q.kind == QuestionKind.TEXT:
        return [(0, "", None, rng.choice(TEXTS))] if rng.random() < 0.4 else []
    return [(i, _pick(q.options, tone, rng), None, "") for i in range(len(q.rows))]


@transaction.atomic
def fill(
    campaign: Campaign, counts: dict[int, int], seed: int = 15, day=None, audience: str = ""
) -> int:
    """Write ``counts[school_id]`` synthetic responses of ``audience`` (by default the
    campaign's first) for each school; returns how many."""
    rng = random.Random(seed)
    sending = campaign.sending(audience) if audience else campaign.sendings[0]
    questions = questions_of(sending.questionnaire)
    by_pk = {q.pk: q for q in questions}
    audience = sending.audience
    day = day or campaign.starts_on
    total = 0
    pending_answers: list[tuple[int, list]] = []
    responses: list[Response] = []

    def flush():
        nonlocal responses, pending_answers
        Response.objects.bulk_create(responses, batch_size=BATCH)
        rows = [
            Answer(
                response=responses[i],
                question=by_pk[qid],
                campaign=campaign,
                school_id=responses[i].school_id,
                audience=audience,
                row=row,
                option=option,
                number=number,
                text=text,
            )
            for i, values in pending_answers
            for qid, row, option, number, text in values
        ]
        Answer.objects.bulk_create(rows, batch_size=BATCH)
        responses, pending_answers = [], []

    for school_id, n in counts.items():
        tone = 0.25 + 0.6 * ((school_id * 7919) % 97) / 96
        for _ in range(n):
            chosen: dict[int, list[str]] = {}
            values = []
            for q in questions:
                if q.show_if_id and q.show_if_option not in chosen.get(q.show_if_id, []):
                    continue
                got = _values(q, tone, rng, chosen)
                chosen[q.pk] = [g[1] for g in got]
                values += [(q.pk, *g) for g in got]
            pending_answers.append((len(responses), values))
            responses.append(
                Response(
                    campaign=campaign,
                    school_id=school_id,
                    audience=audience,
                    submitted_on=day,
                    receipt=secrets.token_urlsafe(18),
                )
            )
            total += 1
            if len(responses) >= BATCH:
                flush()
    if responses:
        flush()
    tallies.rebuild(campaign)
    return total
