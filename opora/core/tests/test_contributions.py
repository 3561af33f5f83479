"""The registry of what apps contribute: explicit order, and mistakes that fail loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from opora.core import contributions as c


@pytest.fixture
def added():
    """Contributions a test registers, taken back afterwards."""
    items = []

    def add(*new):
        c.add(*new)
        items.extend(new)

    yield add
    c.remove(*items)


def test_every_app_contributes_and_nothing_is_wrong():
    assert c.problems() == []
    assert [p.template for p in c.home_panels()] == [
        "recommendations/_overdue_widget.html",
        "development/_home_panel.html",
        "assessment/_home_widget.html",
        "expertise/_home_mine.html",
        "roadmaps/_home_programme.html",
        "roadmaps/_home_curator.html",
    ]
    assert [p.template for p in c.school_panels()] == [
        "people/_school_panel.html",
        "assessment/_school_panel.html",
        "roadmaps/_school_card.html",
        "expertise/_card.html",
        "development/_school_panel.html",
        "monitoring/_school_card.html",
        "risks/_school_panel.html",
        "coaching/_school_panel.html",
        "recommendations/_school_card.html",
        "development/visits/_school_panel.html",
    ]
    assert [p.template for p in c.municipality_panels()] == [
        "people/_municipality_panel.html",
        "roadmaps/_municipality_card.html",
        "recommendations/_municipality_card.html",
        "expertise/_card.html",
        "monitoring/_municipality_card.html",
    ]
    assert [p.template for p in c.roadmap_panels()] == [
        "expertise/_roadmap_precheck.html",
        "development/_roadmap_panel.html",
        "information/_roadmap_panel.html",
        "coaching/_thread.html",
    ]
    assert len(c.demo_loaders()) == 18
    assert [p.template for p in c.event_panels()] == ["recommendations/_event_card.html"]
    assert [r.label for r in c.reference_loaders()] == [
        "чек-лист мониторинга",
        "методика по умолчанию",
        "факторы риска",
        "показатели самоанализа",
        "карта наблюдения урока",
    ]
    assert len(c.inbox_sources()) >= 1


def test_contributions_come_back_in_their_order(added):
    late = c.HomePanel(order=10_001, template="b.html", context=lambda user: {})
    early = c.HomePanel(order=10_000, template="a.html", context=lambda user: {})
    added(late, early)
    assert [p.template for p in c.home_panels()][-2:] == ["a.html", "b.html"]


def test_the_same_contribution_twice_changes_nothing(added):
    panel = c.SchoolPanel(order=10_000, template="a.html", context=lambda user, school: {})
    added(panel)
    c.add(panel)
    assert c.school_panels().count(panel) == 1


def test_two_contributions_in_one_slot_are_refused(added):
    added(c.DemoLoader(order=10_000, load=lambda demo: None))
    with pytest.raises(ImproperlyConfigured, match="одно место"):
        c.add(c.DemoLoader(order=10_000, load=lambda demo: None))


def test_a_drop_down_and_a_top_level_link_may_not_share_an_order(added):
    added(c.MenuEntry(order=10_000, label="Ссылка", url_name="home"))
    with pytest.raises(ImproperlyConfigured):
        c.add(c.MenuGroup(key="test-group", label="Группа", order=10_000))


def test_an_unknown_kind_is_refused():
    with pytest.raises(ImproperlyConfigured, match="Неизвестный вид"):
        c.add("opora.interviews.services")


def test_an_entry_of_an_unknown_group_fails_the_menu(added, rf):
    added(c.MenuEntry(group="nobody", order=10_000, label="Потерянный", url_name="home"))
    assert c.problems() == ["пункт меню «Потерянный» ссылается на неизвестную группу 'nobody'"]
    with pytest.raises(ImproperlyConfigured, match="nobody"):
        c.menu_for(object())


def test_a_loader_that_is_not_callable_is_a_problem(added):
    added(c.DemoLoader(order=10_000, load="opora.interviews.demo"))
    assert len(c.problems()) == 1


def test_the_system_check_names_a_broken_contribution(added):
    from django.core.checks.registry import registry

    from opora.core.apps import _contributions_are_sound

    assert _contributions_are_sound in registry.registered_checks
    assert _contributions_are_sound(None) == []
    added(c.MenuEntry(group="nobody", order=10_000, label="Потерянный", url_name="home"))
    [error] = _contributions_are_sound(None)
    assert error.id == "opora.E001" and "Потерянный" in error.msg
