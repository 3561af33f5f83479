"""Small builders for the development tests: a diagnostics file, a catalogue, a route."""

from __future__ import annotations

from dataclasses import dataclass, field

from opora.development.models import CompetenceArea, Offer, OfferKind
from opora.testing.world import World

HEADER = "ФИО;Код ОО;Должность;Предмет;Область компетенций;Балл"


def diagnostics_csv(rows: list[tuple]) -> bytes:
    """rows: (name, code, position, subject, area, score)."""
    return "\n".join([HEADER] + [";".join(str(c) for c in row) for row in rows]).encode()


def school_file(code: str, teachers: int, scores: dict[str, int], manager: bool = False) -> bytes:
    """``teachers`` teachers of school ``code`` with the same ``scores`` by area."""
    rows = []
    for n in range(teachers):
        position = "директор" if manager and n == 0 else "учитель"
        for area, score in scores.items():
            rows.append((f"Педагогова{n} Анна Петровна", code, position, "математика", area, score))
    return diagnostics_csv(rows)


def catalogue(*specs: tuple[str, list[str], str]) -> list[Offer]:
    """specs: (title, area titles, kind)."""
    offers = []
    for title, areas, kind in specs:
        offer = Offer.objects.create(kind=kind or OfferKind.COURSE, title=title, hours=36)
        offer.areas.set([CompetenceArea.objects.get_or_create(title=a)[0] for a in areas])
        offers.append(offer)
    return offers


@dataclass(frozen=True)
class CataloguedWorld(World):
    """The test world and the offers of the catalogue a test made (``with_catalogue``)."""

    offers: list[Offer] = field(default_factory=list)


def with_catalogue(world: World, *specs: tuple[str, list[str], str]) -> CataloguedWorld:
    return CataloguedWorld(**vars(world), offers=catalogue(*specs))


def home_results(world):
    """Results in the home municipality (the world has a foreign one for the scope walk)."""
    from opora.development.models import DiagnosticResult

    return DiagnosticResult.objects.filter(school__municipality=world.home)
