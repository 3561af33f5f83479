"""Foreign objects of questionnaires for the project-wide scope walk.

A campaign sent only to the foreign school (its parents), the school's link, a response with a free-text answer,
each with pk 9001 and «Чуж…» in its text. The questionnaire itself is the region's (not
scoped: every non-school user reads the questionnaires), so it carries no marker.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from opora.testing import FOREIGN_PK

FOREIGN_TOKEN = "chuzhoj-token-9001-abcdefghij"

if TYPE_CHECKING:
    from opora.testing.world import World


def create(world: World) -> None:
    from opora.documents.models import Document, DocumentKind
    from opora.surveys import tallies
    from opora.surveys.models import (
        Answer,
        Audience,
        Campaign,
        CampaignAudience,
        CampaignSchool,
        Question,
        QuestionKind,
        Questionnaire,
        Response,
        SchoolLink,
        Section,
    )

    questionnaire = Questionnaire.objects.create(
        pk=FOREIGN_PK, title="Анкета для проверки доступа", audience=Audience.PARENTS
    )
    section = Section.objects.create(pk=FOREIGN_PK, questionnaire=questionnaire, title="Раздел")
    question = Question.objects.create(
        pk=FOREIGN_PK, section=section, kind=QuestionKind.TEXT, text="Что мешает?"
    )
    campaign = Campaign.objects.create(
        pk=FOREIGN_PK,
        title="Чужое анкетирование",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    CampaignAudience.objects.create(
        pk=FOREIGN_PK, campaign=campaign, audience=Audience.PARENTS, questionnaire=questionnaire
    )
    target = CampaignSchool.objects.create(
        pk=FOREIGN_PK, campaign=campaign, school=world.foreign_school
    )
    SchoolLink.objects.create(
        pk=FOREIGN_PK, target=target, audience=Audience.PARENTS, token=FOREIGN_TOKEN
    )
    response = Response.objects.create(
        pk=FOREIGN_PK,
        campaign=campaign,
        school=world.foreign_school,
        audience=Audience.PARENTS,
        submitted_on=date(2026, 3, 1),
        receipt="chuzhaya-kvitanciya-9001",
    )
    Answer.objects.create(
        pk=FOREIGN_PK,
        response=response,
        question=question,
        campaign=campaign,
        school=world.foreign_school,
        audience=Audience.PARENTS,
        text="Чужой ответ родителя",
    )
    tallies.rebuild(campaign)
    # pk 9001 of documents is monitoring's; this one is found by its source.
    document = Document(
        kind=DocumentKind.REPORT,
        organisation="Чужое управление образования",
        title="Об итогах чужого анкетирования",
        body="Чужой текст справки.",
    )
    document.source = campaign
    document.save()
