"""Issue 15, «Measured»: the results page reads running totals counted when each answer is
stored (``Tally``), never every answer; the totals are what counting the answers again gives,
and a refused answer counts nothing.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from opora.surveys import results, services, tallies
from opora.surveys.models import WHOLE_QUESTION, SchoolLink, Tally
from opora.surveys.synthetic import fill
from opora.testing.surveys import answers_for, parents_questionnaire, questionnaire_of, send

KEY = ("school_id", "question_id", "row", "option", "n", "total")


def _post(data: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in data.items():
        q.setlist(key, value if isinstance(value, list) else [value])
    return q


def _counted(campaign):
    return sorted(Tally.objects.filter(campaign=campaign).values_list(*KEY))


def test_each_stored_answer_is_counted_as_counting_the_answers_again_would(world):
    region = world.users.region
    campaign = send(region, parents_questionnaire(region), [world.home_school])
    questions = services.questions_of(questionnaire_of(campaign))
    matrix = questions[-1]
    for n, (scale, meetings, helps) in enumerate(
        [
            ("4", "Никогда", ["Учитель", "Кружки"]),
            ("2", "Иногда", ["Кружки"]),
            ("5", "Никогда", []),
        ]
    ):
        data = {"Насколько": scale, "Бываете": meetings, "Что мешает": "Работа", "Минут": "30"}
        if helps:
            data["Что помогает"] = helps
        extra = {f"q{matrix.pk}_r0": "Да", f"q{matrix.pk}_r1": "Нет"}
        form = _post({**answers_for(questionnaire_of(campaign), **data), **extra})
        assert services.answer_by_link(
            SchoolLink.objects.get(target__campaign=campaign), form, f"receipt-tally-{n:06d}"
        )

    counted = _counted(campaign)
    by_key = {(q, r, o): (n, total) for _s, q, r, o, n, total in counted}
    scale, meetings, hindrance, minutes, helps, _matrix = questions
    assert by_key[(scale.pk, WHOLE_QUESTION, "")] == (3, 11)
    assert by_key[(scale.pk, 0, "4")][0] == 1
    assert by_key[(meetings.pk, 0, "Никогда")][0] == 2
    assert by_key[(hindrance.pk, WHOLE_QUESTION, "")][0] == 2  # shown after «Никогда» only
    assert by_key[(minutes.pk, WHOLE_QUESTION, "")] == (3, 90)
    assert by_key[(helps.pk, 0, "Кружки")][0] == 2
    assert by_key[(helps.pk, WHOLE_QUESTION, "")][0] == 2
    assert by_key[(matrix.pk, 1, "Нет")][0] == 3
    tallies.rebuild(campaign)
    assert _counted(campaign) == counted


def test_a_refused_answer_counts_nothing(world):
    region = world.users.region
    campaign = send(region, parents_questionnaire(region), [world.home_school])
    form = _post(answers_for(questionnaire_of(campaign), Насколько="9"))  # off the scale
    with pytest.raises(ValidationError):
        services.answer_by_link(
            SchoolLink.objects.get(target__campaign=campaign), form, "receipt-tally-refused"
        )
    assert not Tally.objects.filter(campaign=campaign).exists()


def test_the_results_read_the_totals_in_a_fixed_number_of_queries(world):
    region = world.users.region
    schools = [world.home_school, world.other_home_school]
    campaign = send(region, parents_questionnaire(region), schools)
    fill(campaign, {world.home_school.pk: 6, world.other_home_school.pk: 7})
    # Each count follows a first call, so per-process caches (content types, reference data)
    # filled by whichever test ran before never enter the comparison.
    results.campaign_results(region, campaign, world.home_school)
    with CaptureQueriesContext(connection) as few:
        results.campaign_results(region, campaign, world.home_school)
    fill(campaign, {world.home_school.pk: 40, world.other_home_school.pk: 60}, seed=16)
    results.campaign_results(region, campaign, world.home_school)
    with CaptureQueriesContext(connection) as many:
        large = results.campaign_results(region, campaign, world.home_school)
    # At most the two reads of free texts that show only once a group reaches five.
    assert len(many) <= len(few) + 2
    assert large.responses == 113 and large.questions[0].region_n == 113
    mean = large.questions[0].region_mean
    assert mean is not None and 1 <= mean <= 5
    assert not any("surveys_answer" in q["sql"] and "GROUP BY" in q["sql"] for q in many)
