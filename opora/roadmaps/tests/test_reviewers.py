"""Who reviews a report: the one rule of ``roadmaps.reviewers``, case by case (issue 16).

Each row: who reported, on which roadmap — and the exact set of users who may accept or return
it. The three forms of the rule (may this user review it, what waits for this user, whom to
tell) must give the same answer on every row.
"""

from datetime import date

import pytest

from opora.accounts.models import Role
from opora.people.models import CuratorAssignment
from opora.roadmaps import reviewers
from opora.roadmaps.models import ProgressReport, Roadmap, RoadmapEvent, RoadmapStatus
from opora.testing.factories import PersonFactory, UserFactory

EVERYONE = [
    "region",
    "operator",
    "curator",
    "municipal",
    "school",
    "expert",
    "observer",
    "foreign_municipal",
    "foreign_curator",
    "colleague",
]

# (who reported, roadmap level, reporter's user) → who reviews
CASES = {
    # seed 003, events 11 and 18: school programmes — the school's curator and the region
    "school on a regional event": ("school", "region", "school", {"region", "operator", "curator"}),
    # seed 002, event 11: the municipal coordinator hears its schools
    "school on a municipal event": ("school", "municipality", "school", {"municipal"}),
    # seed 003, event 10: municipal roadmaps — the curator and the region
    "municipality on a regional event": (
        "municipality",
        "region",
        "municipal",
        {"region", "operator", "curator"},
    ),
    "curator on a regional event": ("curator", "region", "curator", {"region", "operator"}),
    "curator on a municipal event": ("curator", "municipality", "curator", {"municipal"}),
    "owner of a school roadmap": ("owner", "school", "school", {"municipal", "curator"}),
    "owner of a municipal roadmap": (
        "owner",
        "municipality",
        "municipal",
        {"region", "operator", "curator"},
    ),
    # nobody reviews their own report: the region's colleague does
    "owner of the regional roadmap": ("owner", "region", "region", {"operator"}),
}


@pytest.fixture
def people(world):
    users = world.users.by_name()
    users["foreign_municipal"] = UserFactory(
        username="foreign-mun", role=Role.MUNICIPAL, municipality=world.foreign
    )
    stranger = PersonFactory(last_name="Чужекураторова")
    CuratorAssignment.objects.create(person=stranger, year=2026, municipality=world.foreign)
    users["foreign_curator"] = UserFactory(
        username="foreign-cur", role=Role.CURATOR, person=stranger
    )
    # a second school user of the same school: a colleague does not review the school's report
    users["colleague"] = UserFactory(
        username="colleague", role=Role.SCHOOL, school=world.home_school
    )
    return users


def _report(world, users, reporter: str, level: str, by: str) -> ProgressReport:
    home, school = world.home, world.home_school
    roadmap = Roadmap.objects.create(
        level=level,
        municipality=home if level == "municipality" else None,
        school=school if level == "school" else None,
        title=f"Карта уровня {level}",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        status=RoadmapStatus.APPROVED,
    )
    event = RoadmapEvent.objects.create(roadmap=roadmap, number="11.", text="Мероприятие")
    fields = {
        "school": {"school": school},
        "municipality": {"municipality": home},
        "curator": {"curator": users["curator"].person},
        "owner": {},
    }[reporter]
    return ProgressReport.objects.create(
        event=event, status="done", reported_by=users[by], **fields
    )


@pytest.mark.parametrize("case", list(CASES))
def test_the_seeds_name_who_reviews_each_report(world, people, case):
    reporter, level, by, expected = CASES[case]
    report = _report(world, people, reporter, level, by)
    for who in EVERYONE:
        user = people[who]
        may = reviewers.may_review(user, report)
        waits = reviewers.reports_to_review(user).filter(pk=report.pk).exists()
        assert may == (who in expected), (case, who, "may_review")
        assert waits == may, (case, who, "reports_to_review")
        assert user.has_perm("roadmaps.review_this_report", report) == may, (case, who)
    told = set(reviewers.reviewers_of(report).values_list("username", flat=True))
    assert told == {people[who].username for who in expected}, case


def test_a_report_reviewed_leaves_the_queue(world, people):
    from opora.roadmaps import services

    report = _report(world, people, "school", "region", "school")
    assert reviewers.reports_to_review(people["curator"]).filter(pk=report.pk).exists()
    services.review_report(people["curator"], report, accept=False, comment="Нет протокола")
    assert not reviewers.reports_to_review(people["curator"]).filter(pk=report.pk).exists()
    assert not reviewers.reports_to_review(people["region"]).filter(pk=report.pk).exists()
