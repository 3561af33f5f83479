"""Builders shared by the tests of interviews and of recommendations: the sample protocol of
seed 000 imported, a roadmap event to carry a recommendation out, a recommendation at home.
"""

from datetime import date

from opora.interviews.importing import apply_protocol_import, plan_protocol_import
from opora.interviews.models import Interview, InterviewProtocol
from opora.interviews.readers import protocol_file
from opora.recommendations.models import (
    Recommendation,
    RecommendationTemplate,
)
from opora.registry.demo import MUNICIPALITIES
from opora.registry.models import Municipality, Region
from opora.roadmaps import services as roadmap_services
from opora.roadmaps.models import EventPeriod, ProgressStatus, Roadmap, RoadmapEvent
from opora.testing import shared_dir

SAMPLE = "000_interview_protocol_2020.docx"


CONTESTS = (
    "использовать региональные профессиональные конкурсы для педагогов в качестве механизма "
    "повышения профессионального мастерства"
)


def sample_bytes() -> bytes:
    return (shared_dir() / "samples" / SAMPLE).read_bytes()


def sample_registry(world, aliases: bool = True) -> dict[str, Municipality]:
    """The 20 municipalities of seed 000 as the registry holds them (demo names and aliases)."""
    region = Region.objects.first()
    found = {}
    for name, kind, spelled in MUNICIPALITIES:
        municipality, _ = Municipality.objects.get_or_create(
            name=name, defaults={"region": region, "kind": kind}
        )
        municipality.aliases = list(spelled) if aliases else []
        municipality.save()
        found[name] = municipality
    return found


def sample_plan(world):
    return plan_protocol_import(
        protocol_file.read_protocol_file(sample_bytes()), Municipality.objects.all()
    )


def import_sample(world, user="region") -> InterviewProtocol:
    plan = sample_plan(world)
    return apply_protocol_import(
        world.users[user],
        plan,
        municipalities=[b.municipality for b in plan.blocks],
        revision_due=plan.file.cover.revision_due,
        source_name=SAMPLE,
    )


def roadmap_with_event(
    world, municipality=None, text="Организация и проведение профессиональных конкурсов"
):
    """A municipal roadmap of the home district with one event of two reporting periods."""
    municipality = municipality or world.home
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=municipality,
        title=f"Дорожная карта: {municipality.name}",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    event = RoadmapEvent.objects.create(
        roadmap=roadmap, order=1, number="26", text=text, deadline_text="март, апрель 2026"
    )
    EventPeriod.objects.create(event=event, start=date(2026, 3, 1), end=date(2026, 3, 31))
    EventPeriod.objects.create(event=event, start=date(2026, 4, 1), end=date(2026, 4, 30))
    return roadmap, event


def report_all_done(user, event):
    for period in event.periods.all():
        roadmap_services.report_progress(
            user, event, status=ProgressStatus.DONE, period=period, done_on=period.end
        )


def home_recommendation(world, **fields) -> Recommendation:
    protocol = InterviewProtocol.objects.create(title="ПРОТОКОЛ собеседования")
    interview = Interview.objects.create(
        protocol=protocol, municipality=world.home, date=date(2026, 2, 1)
    )
    fields.setdefault("text", CONTESTS)
    return Recommendation.objects.create(interview=interview, municipality=world.home, **fields)


def grow(world, n: int, event) -> None:
    interview = Interview.objects.create(
        protocol=InterviewProtocol.objects.create(title="ПРОТОКОЛ"),
        municipality=world.home,
        date=date(2026, 2, 1),
    )
    for i in range(n):
        template = RecommendationTemplate.objects.create(text=f"Совет {i}", key=f"совет {i} {n}")
        recommendation = Recommendation.objects.create(
            interview=interview,
            municipality=world.home,
            template=template,
            text=f"Рекомендация {i}",
            due_date=date(2020, 1, 1),
        )
        recommendation.events.add(event)
