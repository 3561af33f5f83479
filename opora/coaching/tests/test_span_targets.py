"""Issue 15, «Curators»: a curator's target may name several municipalities — «4 методических
выезда в Каргасокском и Парабельском районах» (seed 003, event 9). It counts the curator's
visits of its kind in those municipalities only, and only to the curator's own schools there
(or to a municipality as a whole); the region and the municipalities it names see it against
what was done."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.coaching import selectors, services
from opora.coaching.models import SpanTarget, VisitKind
from opora.core.calendar import current_year
from opora.people.models import CuratorAssignment
from opora.testing.factories import MunicipalityFactory, SchoolFactory, UserFactory


@pytest.fixture
def places(world):
    """The curator's municipalities: Каргасокский (the world's), Парабельский and
    Колпашевский, each with a school; all assigned whole for this year."""
    curator = world.users.curator
    parabel = MunicipalityFactory(region=world.home.region, name="Парабельский район")
    kolpashevo = MunicipalityFactory(region=world.home.region, name="Колпашевский район")
    for m in (parabel, kolpashevo):
        CuratorAssignment.objects.create(
            person_id=curator.person_id, year=current_year(), municipality=m
        )
    return {
        "home": world.home,
        "parabel": parabel,
        "kolpashevo": kolpashevo,
        "parabel_school": SchoolFactory(municipality=parabel),
        "kolpashevo_school": SchoolFactory(municipality=kolpashevo),
    }


def _held(user, plan, kind, school=None, day=None):
    visit = services.plan_visit(
        user, plan, kind=kind, planned_on=day or date(current_year(), 3, 1), school=school
    )
    services.report_visit(
        user,
        visit,
        held_on=day or date(current_year(), 3, 1),
        findings="Посмотрели уроки.",
        recommendations_text=[],
    )
    return visit


def test_a_target_names_several_of_the_curators_municipalities(world, places):
    curator = world.users.curator
    target = services.create_span_target(
        curator,
        kind=VisitKind.METHODICAL,
        quantity=4,
        municipalities=[places["home"], places["parabel"]],
        note="по графику управления",
    )
    assert sorted(m.name for m in target.municipalities.all()) == [
        "Каргасокский район",
        "Парабельский район",
    ]
    assert (target.curator_id, target.year) == (curator.person_id, current_year())
    with pytest.raises(ValidationError, match="хотя бы два муниципалитета"):
        services.create_span_target(
            curator, kind=VisitKind.METHODICAL, quantity=2, municipalities=[places["home"]]
        )
    with pytest.raises(ValidationError, match="не закреплены за вами: Чужой район"):
        services.create_span_target(
            curator,
            kind=VisitKind.METHODICAL,
            quantity=2,
            municipalities=[places["home"], world.foreign],
        )
    with pytest.raises(ValidationError, match="от 1 до 100"):
        services.create_span_target(
            curator,
            kind=VisitKind.METHODICAL,
            quantity=0,
            municipalities=[places["home"], places["parabel"]],
        )
    with pytest.raises(PermissionDenied):
        services.create_span_target(
            world.users.municipal,
            kind=VisitKind.METHODICAL,
            quantity=2,
            municipalities=[places["home"], places["parabel"]],
        )
    assert SpanTarget.objects.exclude(pk=9001).count() == 1


def test_only_visits_to_the_curators_schools_in_the_named_municipalities_count(world, places):
    curator = world.users.curator
    home = services.create_plan(curator, places["home"])
    parabel = services.create_plan(curator, places["parabel"])
    kolpashevo = services.create_plan(curator, places["kolpashevo"])
    target = services.create_span_target(
        curator,
        kind=VisitKind.METHODICAL,
        quantity=4,
        municipalities=[places["home"], places["parabel"]],
    )
    _held(curator, home, VisitKind.METHODICAL, world.home_school)
    _held(curator, parabel, VisitKind.METHODICAL)  # the municipality as a whole
    _held(curator, home, VisitKind.PROJECT_SESSION)  # another kind
    _held(curator, kolpashevo, VisitKind.METHODICAL, places["kolpashevo_school"])  # not named
    services.plan_visit(
        curator,
        parabel,
        kind=VisitKind.METHODICAL,
        planned_on=date(current_year(), 5, 1),
        school=places["parabel_school"],
    )
    [row] = selectors.spans_progress(curator)
    assert (row.target, row.held, row.planned, row.met) == (target, 2, 1, False)
    assert row.places == "Каргасокский район, Парабельский район"

    # The region reassigns Каргасокский район: the curator keeps only the other school there.
    CuratorAssignment.objects.filter(
        person_id=curator.person_id, municipality=places["home"]
    ).update(municipality=None, school=world.other_home_school)
    [row] = [p for p in selectors.spans_progress(world.users.region) if p.target == target]
    assert (row.held, row.planned) == (1, 1)


def test_who_sees_a_target_across_municipalities(world, places):
    curator = world.users.curator
    target = services.create_span_target(
        curator,
        kind=VisitKind.PROJECT_SESSION,
        quantity=6,
        municipalities=[places["home"], places["parabel"]],
    )
    seen = lambda user: [p.target for p in selectors.spans_progress(user)]  # noqa: E731
    assert seen(curator) == [target]
    assert target in seen(world.users.region)
    assert seen(world.users.municipal) == [target]  # names Каргасокский район
    other_municipal = UserFactory(
        username="kolpashevo", role="municipal", municipality=places["kolpashevo"]
    )
    assert seen(other_municipal) == []
    assert seen(world.users.school) == []
    other_curator = UserFactory(username="other-curator", role="curator")
    assert seen(other_curator) == []
    assert SpanTarget.objects.get(pk=9001) not in seen(curator)


def test_the_curator_adds_and_removes_a_target_on_the_plans_page(client, world, places):
    client.force_login(world.users.curator)
    url = reverse("coaching:plans")
    assert client.get(url).context["span_form"] is not None
    response = client.post(
        reverse("coaching:span_new"),
        {
            "kind": VisitKind.METHODICAL,
            "quantity": 4,
            "municipalities": [places["home"].pk, places["parabel"].pk],
        },
    )
    assert response["Location"] == f"{url}#spans"
    target = SpanTarget.objects.exclude(pk=9001).get()
    page = client.get(url)
    assert "Методический выезд: <span" in page.text and "0 из 4" in page.text
    refused = client.post(
        reverse("coaching:span_new"),
        {"kind": VisitKind.METHODICAL, "quantity": 4, "municipalities": [places["home"].pk]},
        follow=True,
    )
    assert "хотя бы два муниципалитета" in refused.text
    # Another curator's target is not there to delete.
    assert client.post(reverse("coaching:span_delete", args=[9001])).status_code == 404
    client.force_login(world.users.municipal)
    assert client.post(reverse("coaching:span_delete", args=[target.pk])).status_code == 302
    assert SpanTarget.objects.filter(pk=target.pk).exists()  # a municipality only reads it
    client.force_login(world.users.curator)
    client.post(reverse("coaching:span_delete", args=[target.pk]))
    assert not SpanTarget.objects.filter(pk=target.pk).exists()


def test_the_progress_costs_the_same_queries_for_more_targets_and_visits(world, places):
    curator = world.users.curator
    plans = {m: services.create_plan(curator, places[m]) for m in ("home", "parabel")}
    pair = [places["home"], places["parabel"]]
    services.create_span_target(curator, kind=VisitKind.METHODICAL, quantity=4, municipalities=pair)
    _held(curator, plans["home"], VisitKind.METHODICAL, world.home_school)
    with CaptureQueriesContext(connection) as few:
        selectors.spans_progress(world.users.region)
    for kind in (VisitKind.PROJECT_SESSION, VisitKind.CONSULTATION):
        services.create_span_target(curator, kind=kind, quantity=3, municipalities=pair)
        _held(curator, plans["parabel"], kind)
    with CaptureQueriesContext(connection) as many:
        rows = selectors.spans_progress(world.users.region)
    assert len(many) == len(few)
    assert sorted((r.target.kind, r.held) for r in rows if r.target.pk != 9001) == [
        ("consultation", 1),
        ("methodical", 1),
        ("project_session", 1),
    ]


def test_the_activity_report_has_the_targets_across_municipalities(world, places):
    curator = world.users.curator
    plan = services.create_plan(curator, places["parabel"])
    services.create_span_target(
        curator,
        kind=VisitKind.METHODICAL,
        quantity=4,
        municipalities=[places["home"], places["parabel"]],
    )
    _held(curator, plan, VisitKind.METHODICAL, places["parabel_school"])
    document, _created = services.prepare_activity_report(world.users.region)
    assert "Цели по нескольким муниципалитетам" in document.body
    assert (
        "| Каргасокский район, Парабельский район | Кураторова А.С. | методический выезд | 4 | 1 |"
        in document.body
    )
