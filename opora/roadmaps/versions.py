"""A new version of a roadmap in execution (issue 16): what changed against the previous one,
and the progress carried over to the events that did not change.

Each event of a new version remembers the event it was copied from (``origin``). The version
page shows the differences — events added, removed, changed — before it is submitted; when the
new version is approved, the reports (with their files) on every unchanged event move to its
copy, period by period, so the programme's record continues in the version in execution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opora.roadmaps.models import EventPeriod, ProgressReport, Roadmap, RoadmapEvent

#: What makes an event «the same»: its wording, deadline and executors as written.
COMPARED = {
    "number": "№",
    "text": "мероприятие",
    "deadline_text": "сроки",
    "executors_text": "исполнители",
    "indicator_text": "показатель",
    "evidence_text": "результат",
    "is_cancelled": "отменено",
}


@dataclass
class Change:
    event: RoadmapEvent
    fields: list[str]


@dataclass
class VersionDiff:
    added: list[RoadmapEvent] = field(default_factory=list)
    removed: list[RoadmapEvent] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _differs(new: RoadmapEvent, old: RoadmapEvent) -> list[str]:
    return [label for name, label in COMPARED.items() if getattr(new, name) != getattr(old, name)]


def diff(roadmap: Roadmap) -> VersionDiff | None:
    """The differences of ``roadmap`` from the version it replaces, or None for a first one."""
    if not roadmap.previous_id:
        return None
    old = {e.pk: e for e in RoadmapEvent.objects.filter(roadmap_id=roadmap.previous_id)}
    result = VersionDiff()
    kept = set()
    for event in roadmap.events.order_by("order"):
        origin = old.get(event.origin_id)
        if origin is None:
            result.added.append(event)
            continue
        kept.add(origin.pk)
        changed = _differs(event, origin)
        if changed:
            result.changed.append(Change(event, changed))
        else:
            result.unchanged += 1
    result.removed = sorted((e for pk, e in old.items() if pk not in kept), key=lambda e: e.order)
    return result


def carry_over(roadmap: Roadmap) -> int:
    """Move the reports on the unchanged events of the previous version to their copies in
    ``roadmap`` (the period of the same dates, and its status); returns how many moved."""
    moved = 0
    events = roadmap.events.filter(origin__roadmap_id=roadmap.previous_id).select_related("origin")
    for event in events:
        if _differs(event, event.origin):
            continue
        periods = {(p.start, p.end): p for p in event.periods.all()}
        for old_period in event.origin.periods.all():
            new_period = periods.get((old_period.start, old_period.end))
            if new_period is None:
                continue
            new_period.status = old_period.status
            new_period.save(update_fields=["status"])
            moved += ProgressReport.objects.filter(period=old_period).update(
                event=event, period=new_period
            )
        moved += ProgressReport.objects.filter(event=event.origin, period__isnull=True).update(
            event=event
        )
    return moved


def kept_events(roadmap: Roadmap) -> dict[int, int]:
    """The events of the previous version that ``roadmap`` kept, changed or not: ``{previous
    event id: id of its copy}`` (what other apps carry over — the recommendations an event
    answers: an event reworded still answers them; a removed one does not)."""
    return dict(
        roadmap.events.filter(origin__roadmap_id=roadmap.previous_id).values_list("origin_id", "pk")
    )


__all__ = ["EventPeriod", "carry_over", "diff", "kept_events"]
