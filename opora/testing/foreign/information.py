"""Foreign objects of information support for the project-wide scope walk (pk 9001, «Чуж…» in
their text): the foreign school's news and site section, the foreign municipality's material
(not on the open page) and its link to the foreign roadmap's event."""

from datetime import date

from opora.testing import FOREIGN_PK


def create(world: dict) -> None:
    from opora.information.models import Material, MaterialLink, NewsItem, SiteSection
    from opora.roadmaps.models import RoadmapEvent

    school, municipality = world.foreign_school, world.foreign
    NewsItem.objects.create(
        pk=FOREIGN_PK,
        level="school",
        municipality=municipality,
        school=school,
        title="Чужая новость о программе",
        url="https://foreign.example/news/1",
        published_on=date(2026, 12, 1),
    )
    SiteSection.objects.create(
        pk=FOREIGN_PK,
        level="school",
        municipality=municipality,
        school=school,
        url="https://foreign.example/shnor",
        status="broken",
        note="Чужой раздел не открывается",
    )
    material = Material.objects.create(
        pk=FOREIGN_PK,
        kind="methodical",
        title="Чужая методичка",
        municipality=municipality,
        publisher_name="Чужакова",
        published_at="2026-11-02T10:00:00+07:00",
        search_text=" чужой методичка ",
    )
    MaterialLink.objects.create(
        pk=FOREIGN_PK, material=material, event=RoadmapEvent.objects.get(pk=FOREIGN_PK)
    )
