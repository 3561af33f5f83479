"""What each app adds to the whole, registered in its ``AppConfig.ready()``.

An app never names another app's module in a string: it hands objects to this registry, and the
composing code (the menu, the home page, the school card, the demo command, the scope walk)
reads them back in the order of their explicit ``order`` number. Core imports no app; the
registry holds only what the apps gave it.

    # opora/assessment/apps.py
    def ready(self):
        from opora.assessment import selectors
        from opora.core import contributions as c

        c.add(c.MenuEntry(order=50, label="Результаты", url_name="assessment:overview"))
        c.add(c.HomePanel(order=20, template="assessment/_home_widget.html",
                          context=selectors.home_panel))

Mistakes fail loudly: two contributions of one kind with the same order (the order would be a
coin toss), a menu entry in a group nobody registered, anything that is not a contribution.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

from opora.core.memo import per_request
from opora.core.querysets import count_all

Predicate = Callable[[Any], bool]


def _everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class MenuGroup:
    """A drop-down of the top menu («Контроль», «Реестр»); shown when an entry in it is.

    ``visible(user)`` hides the whole drop-down from a role it means nothing to (a teacher has
    no use for the registry).
    """

    key: str
    label: str
    order: int
    visible: Predicate = _everyone


@dataclass(frozen=True)
class MenuEntry:
    """A link of the top menu (``group=""``) or of a drop-down (``group`` = its key).

    ``args(user)`` gives the URL's arguments («Моя школа» leads to the user's own school);
    ``visible(user)`` hides a link from roles it means nothing to — access itself is checked
    by the view.
    """

    order: int
    label: str
    url_name: str
    group: str = ""
    args: Callable[[Any], tuple] | None = None
    visible: Predicate = _everyone
    #: A number shown beside the link («Ждут меня 3», the bell's unread count); 0 shows none.
    badge: Callable[[Any], int] | None = None
    #: The Bootstrap icon shown with the badge on a phone, where the menu is folded.
    icon: str = "bi-bell"
    #: Shown as its icon beside the user's name (the bell), not among the menu's links.
    corner: bool = False

    def url(self, user) -> str:
        if self.args:
            return reverse(self.url_name, args=self.args(user))
        return _plain_url(self.url_name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=256)
def _plain_url(url_name: str, prefix: str, urlconf) -> str:
    """A menu link without arguments, reversed once per prefix and URL configuration (the
    menu reverses some forty links on every page)."""
    return reverse(url_name, urlconf=urlconf)


@receiver(setting_changed)
def _forget_urls(*, setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # a test's own URLs
        _plain_url.cache_clear()


@dataclass(frozen=True)
class HomePanel:
    """A card of the home page: ``context(user)`` gives the template's data, or None to show
    nothing to this user. The data comes from selectors; the HTML from ``template``.

    ``first`` marks a card of a role's own job (the expert's expertises, the school's
    programme, the curator's schools): the page starts from it, under «Ждут меня»."""

    order: int
    template: str
    context: Callable[[Any], dict | None]
    first: bool = False


@dataclass(frozen=True)
class SchoolPanel:
    """A card of the school page: ``context(user, school)`` gives the template's data, or None."""

    order: int
    template: str
    context: Callable[[Any, Any], dict | None]


@dataclass(frozen=True)
class MunicipalityPanel:
    """A card of the municipality page: ``context(user, municipality)`` gives the template's
    data, or None."""

    order: int
    template: str
    context: Callable[[Any, Any], dict | None]


@dataclass(frozen=True)
class RoadmapPanel:
    """A card of the roadmap page (the expertise's automatic pre-check shown before approval):
    ``context(user, roadmap)`` gives the template's data, or None."""

    order: int
    template: str
    context: Callable[[Any, Any], dict | None]


@dataclass(frozen=True)
class PersonDirectory:
    """People of the registry as the executors a plan names: the people app offers them, the
    roadmap import reads them (``roadmaps`` and ``people`` do not import each other).

    ``entries(municipality)`` → ``[(key, label, name_key), …]``: «person:12», «Иванова Н.П.» and
    :func:`opora.core.russian.names.person_key` («иванова нп»), for the region's people and the
    municipality's; ``can_add(user)``; ``add(user, name, position, organisation, school)`` adds
    a person written «Иванова Н.П.» and returns the name as the registry shows it, raising
    ``ValidationError`` / ``PermissionDenied`` with a Russian message.
    """

    order: int
    entries: Callable[[Any], list[tuple[str, str, str]]]
    can_add: Callable[[Any], bool]
    add: Callable[..., str]


@dataclass(frozen=True)
class ReportPanel:
    """A part under each progress report of an event page (coaching's thread on a school's
    report): ``context(user, event, reports)`` is called once per page with the reports shown
    and gives ``{report id: the template's data}`` for the reports it has something for — a
    couple of queries whatever the number of reports."""

    order: int
    template: str
    context: Callable[[Any, Any, list], dict[int, dict]]


@dataclass(frozen=True)
class EventPanel:
    """A card of a roadmap event's page (the recommendations the event answers):
    ``context(user, event)`` gives the template's data, or None."""

    order: int
    template: str
    context: Callable[[Any, Any], dict | None]


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for a user: what (``title``, ``subject``), where it is done (``url``),
    by when (``due``, or None), of which ``kind`` («Отчёт на проверку»). ``returned`` marks the
    user's own work sent back to redo; ``note`` carries the reviewer's comment."""

    kind: str
    title: str
    url: str
    due: date | None = None
    subject: str = ""
    returned: bool = False
    note: str = ""


@dataclass(frozen=True)
class InboxSource:
    """What an app adds to «Ждут меня»: ``items(user)`` → the user's waiting InboxItems.

    ``items`` may stop at a limit (the page says how many more); ``count(user)`` gives the true
    number, counted by the database, not by loading rows — the menu shows it on every page: the
    querysets (or ``core.querysets.Counted``) whose rows add up to it, counted with every other
    app's in one statement (``count_all``), or a number already known. A source whose items are
    never limited may leave ``count`` out: its items are counted.
    Either is a couple of indexed queries, never a loop of queries per item.
    """

    order: int
    items: Callable[[Any], list[InboxItem]]
    count: Callable[[Any], int | list] | None = None
    #: ``first(user, n)``: at most ``n`` items, which hold the source's first ``n`` in the
    #: inbox's order (returned work first, then by due date): the home page shows six, and a
    #: reviewer's inbox holds hundreds. Without it the home page reads all of ``items``.
    first: Callable[[Any, int], list[InboxItem]] | None = None


@dataclass
class Demo:
    """One run of ``opora demo``: what the loaders share, and the figures they report."""

    year: int
    schools: int
    figures: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def report(self, key: str, label: str, value: int) -> None:
        """Set a figure: ``key`` in the JSON, «label value» in the summary line."""
        self.figures[key] = value
        self.labels[key] = label


@dataclass(frozen=True)
class DemoLoader:
    """Loads (or tops up: every loader is idempotent) an app's part of the demo region."""

    order: int
    load: Callable[[Demo], None]


@dataclass(frozen=True)
class ReferenceData:
    """An app's reference data (checklists, criteria, risk factors, …): ``load()`` creates
    what is missing and never overwrites what users edited. Run after every ``migrate`` (and
    ``flush``) by :mod:`opora.core.reference` — never while a page is read."""

    order: int
    label: str
    load: Callable[[], object]


KINDS = (
    MenuGroup,
    MenuEntry,
    HomePanel,
    SchoolPanel,
    RoadmapPanel,
    PersonDirectory,
    ReportPanel,
    EventPanel,
    InboxSource,
    MunicipalityPanel,
    DemoLoader,
    ReferenceData,
)
_registered: dict[type, list] = {kind: [] for kind in KINDS}


def _slot(item) -> tuple:
    """Two contributions may not share a slot: their order would be undefined."""
    if isinstance(item, MenuGroup):  # a drop-down stands among the top-level links
        return ("key", item.key), ("order", "", item.order)
    if isinstance(item, MenuEntry):
        return (("order", item.group, item.order),)
    return (("order", item.order),)


def _rivals(item) -> list:
    if isinstance(item, MenuGroup | MenuEntry):
        return _registered[MenuGroup] + _registered[MenuEntry]
    return _registered[type(item)]


def add(*items) -> None:
    """Register contributions. Registering the very same one again (a second ``ready()``)
    changes nothing; a different one in a taken slot is an error."""
    for item in items:
        if type(item) not in _registered:
            raise ImproperlyConfigured(f"Неизвестный вид вклада приложения: {item!r}")
        if item in _registered[type(item)]:
            continue
        for other in _rivals(item):
            clash = set(_slot(item)) & set(_slot(other))
            if clash:
                raise ImproperlyConfigured(
                    f"Вклады {item!r} и {other!r} занимают одно место {sorted(clash)}"
                )
        _registered[type(item)].append(item)


def remove(*items) -> None:
    """Take contributions back (a test that registers its own cleans up after itself)."""
    for item in items:
        _registered[type(item)].remove(item)


def _sorted(kind: type) -> list:
    return sorted(_registered[kind], key=lambda item: item.order)


def menu_groups() -> list[MenuGroup]:
    return _sorted(MenuGroup)


def menu_entries() -> list[MenuEntry]:
    return _sorted(MenuEntry)


def home_panels() -> list[HomePanel]:
    return _sorted(HomePanel)


def school_panels() -> list[SchoolPanel]:
    return _sorted(SchoolPanel)


def roadmap_panels() -> list[RoadmapPanel]:
    return _sorted(RoadmapPanel)


def person_directories() -> list[PersonDirectory]:
    return _sorted(PersonDirectory)


def report_panels() -> list[ReportPanel]:
    return _sorted(ReportPanel)


def event_panels() -> list[EventPanel]:
    return _sorted(EventPanel)


def inbox_sources() -> list[InboxSource]:
    return _sorted(InboxSource)


def inbox_for(user) -> list[InboxItem]:
    """Everything waiting for ``user``, from every app: returned work first, then by due date.

    Once per request (core.memo): the menu's badge, the home page and «Ждут меня» share it."""
    items = [item for source in inbox_sources() for item in _source_items(source, user)]
    return _in_order(items)


def inbox_first(user, n: int) -> list[InboxItem]:
    """The first ``n`` items of ``inbox_for(user)``, reading from each source only what may
    be among them (``InboxSource.first``)."""
    items = [
        item
        for source in inbox_sources()
        for item in (source.first(user, n) if source.first else _source_items(source, user))
    ]
    return _in_order(items)[:n]


def _in_order(items: list[InboxItem]) -> list[InboxItem]:
    return sorted(items, key=lambda i: (not i.returned, i.due is None, i.due or date.min))


def inbox_count(user) -> int:
    """How many things wait for ``user``: the true count, whatever the sources' limits."""
    return per_request(("inbox_count", user.pk), lambda: _inbox_count(user))


def _inbox_count(user) -> int:
    """Every source that counts is counted, in one statement with the others (two with the
    cheap supersets), even where this request has loaded all of its items: the same queries
    whether a list is short or past its limit (bench/loop.py holds the count constant)."""
    total, to_count = 0, []
    for source in inbox_sources():
        if not source.count:
            total += len(_source_items(source, user))
            continue
        counted = source.count(user)
        if isinstance(counted, int):
            total += counted
        else:
            to_count += counted
    return total + count_all(to_count)


def _items_key(source: InboxSource, user) -> tuple:
    return ("inbox_items", source.order, user.pk)


def _source_items(source: InboxSource, user) -> list[InboxItem]:
    return per_request(_items_key(source, user), lambda: list(source.items(user)))


def municipality_panels() -> list[MunicipalityPanel]:
    return _sorted(MunicipalityPanel)


def demo_loaders() -> list[DemoLoader]:
    return _sorted(DemoLoader)


def reference_loaders() -> list[ReferenceData]:
    return _sorted(ReferenceData)


def problems() -> list[str]:
    """What is wrong with the contributions as registered (the system check reports these)."""
    found = []
    groups = {g.key for g in menu_groups()}
    for entry in menu_entries():
        if entry.group and entry.group not in groups:
            found.append(
                f"пункт меню «{entry.label}» ссылается на неизвестную группу {entry.group!r}"
            )
    for kind in KINDS:
        for item in _registered[kind]:
            for name in (
                "context",
                "load",
                "visible",
                "args",
                "items",
                "badge",
                "count",
                "entries",
                "can_add",
            ):
                value = getattr(item, name, None)
                if value is not None and not callable(value):
                    found.append(f"{item!r}: {name} должен быть функцией")
    return found


def menu_for(user) -> list[tuple[MenuGroup | None, list[MenuEntry]]]:
    """The menu ``user`` sees, top-level links and drop-downs in one order: a top-level link
    stands alone (group None), a drop-down carries its visible entries; empty drop-downs go."""
    wrong = problems()
    if wrong:
        raise ImproperlyConfigured("; ".join(wrong))
    groups = {g.key: g for g in menu_groups() if g.visible(user)}
    rows: list[tuple[int, MenuGroup | None, list[MenuEntry]]] = []
    children: dict[str, list[MenuEntry]] = {key: [] for key in groups}
    for entry in menu_entries():
        if not entry.visible(user):
            continue
        if entry.group:
            if entry.group in children:
                children[entry.group].append(entry)
        else:
            rows.append((entry.order, None, [entry]))
    for key, group in groups.items():
        if children[key]:
            rows.append((group.order, group, children[key]))
    return [(group, entries) for _, group, entries in sorted(rows, key=lambda row: row[0])]
