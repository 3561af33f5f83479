"""Running totals of a campaign per school and audience (``Tally``): counted when a response is stored, read by the
results page (``opora.surveys.results``).

``add`` runs inside the transaction that stores the response, after locking the school's
place in the campaign: every response of one school goes through that one row lock, so two
answers sent at once never read the same count and nothing is lost or counted twice; a
rolled-back response rolls its counts back with it. ``rebuild`` counts a campaign again from
its answers (after a bulk load of synthetic answers, or to repair).

Example: a response with «Да» to question 12 and 4 on the scale of question 13 adds one to
(12, 0, «Да»), (12, −1, «»), (13, 0, «4») and (13, −1, «») and 4 to the total of the last.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When

from opora.surveys.models import WHOLE_QUESTION, Answer, Campaign, Tally

Key = tuple[int, int, str]  # question, row, option


def keys_of(values) -> dict[Key, Decimal]:
    """The tallies one response adds to: key -> the number to add to its total."""
    keys: dict[Key, Decimal] = {}
    for v in values:
        if v.option:
            keys[(v.question.pk, v.row, v.option)] = Decimal(0)
        whole = (v.question.pk, WHOLE_QUESTION, "")
        keys[whole] = keys.get(whole, Decimal(0)) + (v.number or Decimal(0))
    return keys


def add(campaign: Campaign, school_id: int, audience: str, values) -> None:
    """Count one stored response of ``audience`` (two queries). Call inside its transaction,
    holding the lock of the school's ``CampaignSchool``."""
    keys = keys_of(values)
    if not keys:
        return
    Tally.objects.bulk_create(
        [
            Tally(
                campaign=campaign,
                school_id=school_id,
                audience=audience,
                question_id=q,
                row=r,
                option=o,
            )
            for q, r, o in sorted(keys)
        ],
        ignore_conflicts=True,
    )
    match = Q()
    for q, r, o in keys:
        match |= Q(question_id=q, row=r, option=o)
    numbers = [
        When(question_id=q, row=WHOLE_QUESTION, then=Value(amount))
        for (q, r, _o), amount in keys.items()
        if r == WHOLE_QUESTION and amount
    ]
    total = (
        F("total") + Case(*numbers, default=Value(Decimal(0)), output_field=DecimalField(18, 2))
        if numbers
        else F("total")
    )
    Tally.objects.filter(match, campaign=campaign, school_id=school_id, audience=audience).update(
        n=F("n") + 1, total=total
    )


@transaction.atomic
def rebuild(campaign: Campaign) -> int:
    """Count a campaign again from its answers (four queries, whatever their number)."""
    Tally.objects.filter(campaign=campaign).delete()
    answers = Answer.objects.filter(campaign=campaign)
    rows: dict[tuple, Tally] = {}
    for school, audience, question, row, option, n in (
        answers.exclude(option="")
        .values_list("school_id", "audience", "question_id", "row", "option")
        .annotate(n=Count("id"))
    ):
        rows[(school, audience, question, row, option)] = Tally(
            campaign=campaign,
            school_id=school,
            audience=audience,
            question_id=question,
            row=row,
            option=option,
            n=n,
        )
    whole: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0)])
    for school, audience, question, n, total in answers.values_list(
        "school_id", "audience", "question_id"
    ).annotate(n=Count("response_id", distinct=True), total=Sum("number")):
        whole[(school, audience, question)] = [n, total or Decimal(0)]
    for (school, audience, question), (n, total) in whole.items():
        rows[(school, audience, question, WHOLE_QUESTION, "")] = Tally(
            campaign=campaign,
            school_id=school,
            audience=audience,
            question_id=question,
            row=WHOLE_QUESTION,
            option="",
            n=n,
            total=total,
        )
    Tally.objects.bulk_create(rows.values(), batch_size=2000)
    return len(rows)
