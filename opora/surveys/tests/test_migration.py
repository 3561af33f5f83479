"""Campaigns made when a campaign asked one audience migrate forward whole: each keeps its
audience and questionnaire, each school its anonymous link under the same address (links
already handed out keep working), and the answers and running totals learn their audience —
so the results read after the move are the results read before it."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from opora.testing.factories import SchoolFactory

BEFORE = [("surveys", "0002_answer_tallies")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_campaign(old, school, audience: str, token: str):
    Questionnaire = old.get_model("surveys", "Questionnaire")
    questionnaire = Questionnaire.objects.create(title=f"Анкета: {audience}", audience=audience)
    section = old.get_model("surveys", "Section").objects.create(
        questionnaire=questionnaire, title="Раздел"
    )
    question = old.get_model("surveys", "Question").objects.create(
        section=section, kind="scale", text="Насколько?", scale_min=1, scale_max=5
    )
    campaign = old.get_model("surveys", "Campaign").objects.create(
        title=f"Анкетирование: {audience}",
        questionnaire=questionnaire,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 20),
    )
    old.get_model("surveys", "CampaignSchool").objects.create(
        campaign=campaign, school_id=school.pk, token=token
    )
    for i, value in enumerate((4, 5)):
        response = old.get_model("surveys", "Response").objects.create(
            campaign=campaign,
            school_id=school.pk,
            audience=audience,
            submitted_on=date(2026, 10, 2),
            receipt=f"{token}-receipt-{i}",
        )
        old.get_model("surveys", "Answer").objects.create(
            response=response,
            question=question,
            campaign=campaign,
            school_id=school.pk,
            option=str(value),
            number=value,
        )
    Tally = old.get_model("surveys", "Tally")
    Tally.objects.create(
        campaign=campaign, school_id=school.pk, question=question, row=-1, n=2, total=9
    )
    for value in (4, 5):
        Tally.objects.create(
            campaign=campaign, school_id=school.pk, question=question, option=str(value), n=1
        )
    return campaign.pk


@pytest.mark.django_db(transaction=True)
def test_campaigns_of_one_audience_move_to_the_audiences_with_their_links_and_totals():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    school = SchoolFactory()
    old = _migrate(BEFORE)
    parents = _old_campaign(old, school, "parents", "staraya-ssylka-roditelej-0001")
    teachers = _old_campaign(old, school, "teachers", "staraya-ssylka-pedagogov-0002")
    _migrate(leaves)

    from opora.surveys import results, selectors, tallies
    from opora.surveys.models import Answer, Campaign, SchoolLink, Tally
    from opora.testing.factories import UserFactory

    by_pk = {c.pk: c for c in Campaign.objects.prefetch_related("audiences__questionnaire")}
    assert [(a.audience, a.questionnaire.title) for a in by_pk[parents].sendings] == [
        ("parents", "Анкета: parents")
    ]
    assert [a.audience for a in by_pk[teachers].sendings] == ["teachers"]
    # The link handed out before the move still opens the parents' questionnaire.
    link = selectors.link_for_token("staraya-ssylka-roditelej-0001")
    assert (link.target.campaign_id, link.audience) == (parents, "parents")
    # Staff answer signed in: a teachers' campaign has no link.
    assert not SchoolLink.objects.filter(target__campaign_id=teachers).exists()
    assert set(Answer.objects.filter(campaign_id=parents).values_list("audience", flat=True)) == {
        "parents"
    }
    assert set(Tally.objects.filter(campaign_id=teachers).values_list("audience", flat=True)) == {
        "teachers"
    }
    key = ("school_id", "audience", "question_id", "row", "option", "n", "total")
    moved = sorted(Tally.objects.filter(campaign_id=parents).values_list(*key))
    tallies.rebuild(by_pk[parents])
    assert sorted(Tally.objects.filter(campaign_id=parents).values_list(*key)) == moved
    region = UserFactory(username="region-after-move", role="region")
    read = results.campaign_results(region, by_pk[parents])
    assert read.responses == 2 and read.questions[0].region_n == 2
    assert [o.region for o in read.questions[0].options] == [0, 0, 0, 1, 1]
