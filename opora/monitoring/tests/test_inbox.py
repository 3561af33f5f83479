"""«Ждут меня» for monitoring (issue 16): a submitted sheet waits for the coordinator who runs
the campaign; a returned one for its school; decided or sent again, it leaves; nothing foreign;
a constant number of queries."""

# ruff: noqa: F811  (fixtures imported from the modules that define them)
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from opora.core import contributions as c
from opora.monitoring import services as monitoring
from opora.monitoring.defaults import ensure_default_template
from opora.monitoring.models import CampaignSchool, SheetStatus
from opora.testing.factories import SchoolFactory
from opora.testing.monitoring import answer_all, sheet_of


def _sheets(user):
    return [i for i in c.inbox_for(user) if i.kind.startswith("Чек-лист")]


def test_a_sheet_waits_for_review_then_for_the_school_to_redo(world, campaign):
    users = world.users
    school, municipal = users["school"], users["municipal"]
    sheet = sheet_of(campaign, world.home_school)
    assert _sheets(school) == [] and _sheets(municipal) == []
    answer_all(school, sheet)
    monitoring.submit_sheet(school, sheet)
    [item] = _sheets(municipal)
    assert item.kind == "Чек-лист на приёмку" and f"/sheets/{sheet.pk}/" in item.url
    assert [i.kind for i in _sheets(users["region"]) if i.url == item.url] == [item.kind]
    for who in ("school", "curator", "expert", "observer"):
        assert _sheets(users[who]) == []
    monitoring.return_sheet(municipal, sheet, "Приложите графики")
    assert _sheets(municipal) == []
    [back] = _sheets(school)
    assert back.returned and back.note == "Приложите графики"
    monitoring.submit_sheet(school, sheet)
    assert _sheets(school) == [] and len(_sheets(municipal)) == 1
    monitoring.accept_sheet(municipal, sheet)
    assert _sheets(municipal) == [] and _sheets(school) == []


def test_another_municipalitys_sheets_wait_only_for_their_coordinator_and_the_region(world):
    foreign_campaign = monitoring.create_campaign(
        world.users.region,
        title="Чужой мониторинг",
        municipality=world.foreign,
        template=ensure_default_template(),
        period_text="Чужой период",
        due_date=date(2026, 2, 15),
    )
    CampaignSchool.objects.filter(campaign=foreign_campaign).update(status=SheetStatus.SUBMITTED)
    users = world.users
    for who in ("municipal", "school", "curator", "expert", "observer"):
        assert _sheets(users[who]) == []
    assert _sheets(users["region"]) and all("Чуж" in i.title for i in _sheets(users["region"]))


def test_the_review_inbox_reads_the_same_queries_for_3_and_30(world, campaign):
    municipal = world.users.municipal

    def grow(n):
        for _ in range(n):
            CampaignSchool.objects.create(
                campaign=campaign,
                school=SchoolFactory(municipality=world.home),
                status=SheetStatus.SUBMITTED,
            )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            n = len(_sheets(municipal))
        return len(ctx), n

    grow(3)
    few, n_few = count()
    grow(27)
    many, n_many = count()
    assert (n_few, n_many) == (3, 30) and few == many
