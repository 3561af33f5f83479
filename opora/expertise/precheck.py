"""Automatic pre-check of a roadmap, before an expert opens it (issue 6, «Criteria and expertise»).

Shown to both sides — the author (the municipal coordinator) and the expert — and printed by
``opora precheck-roadmap ID --json``. It finds:

* ``deadlines`` — events whose deadline text was not understood («в течение года» is understood,
  «по мере необходимости» is not);
* ``executors`` — events without executors, or with executors nobody could recognise;
* ``columns`` — events without an indicator or an evidence document where the form has those
  columns (the regional form of seed 003 has them, the municipal form of seed 002 does not);
* ``period`` — deadlines outside the roadmap's period («Май-июнь 2023» in a 2020–2021 roadmap);
* ``sections`` — required sections missing (a criterion whose topic starts with «Раздел:»);
* ``risks`` — for a school's programme, each priority risk the school chose (issue 15, the
  500+ project's risk profile) with the events it named as measures; a priority risk without
  a measure in this roadmap is reported;
* ``coverage`` — for each open recommendation given to the municipality and each required topic
  of the criteria set, the events that address it, and those left uncovered.

Coverage is matched by meaning by the one meaning matcher,
:class:`opora.core.russian.matcher.MeaningIndex` (lemmas with synonyms and same-root words, word
vectors, refusals and bare lists of keywords recognised; its docstring gives the score). Example:
the recommendation «организовать мероприятия (КПК, семинары) по преемственности между уровнями
начального общего и основного общего образования» is covered by event 15 of the Kargasok
roadmap («… Современное состояние и перспективы развития преемственности начального и основного
общего образования …», a seminar); the coverage names the event and the words it shares.
"""

from __future__ import annotations

from datetime import date

from opora.core.russian.lemmas import lemmas
from opora.core.russian.matcher import COVERED_FROM, MeaningIndex
from opora.core.russian.meaning import addresses
from opora.expertise.models import CriteriaPurpose, CriteriaSet, Criterion
from opora.recommendations.models import Recommendation, RecommendationStatus
from opora.risks.selectors import without_measures
from opora.roadmaps.models import EventExecutor, Roadmap, RoadmapEvent

#: At most this many matching events are listed per recommendation or topic.
MAX_EVENTS = 5
#: A criterion topic written «Раздел: …» asks for a whole section, not only for events.
SECTION_PREFIX = "раздел:"


class EventIndex:
    """The events of one roadmap in the meaning matcher (an event's indicator adds its words;
    whether it does what it names is read from its text alone)."""

    def __init__(self, events: list[RoadmapEvent]):
        self.events = events
        self.index = MeaningIndex(
            [f"{e.text}\n{e.indicator_text}" for e in events],
            acting=[addresses(e.text) for e in events],
        )

    def matches(self, text: str) -> list[tuple[RoadmapEvent, float]]:
        """Events addressing ``text``, best first (at most :data:`MAX_EVENTS`)."""
        return [(self.events[i], s) for i, s in self.index.matches(text, MAX_EVENTS)]

    def closest(self, text: str, n: int = 3) -> list[tuple[RoadmapEvent, float]]:
        """The events nearest to ``text`` below the bar, when nothing addresses it."""
        return [(self.events[i], s) for i, s in self.index.closest(text, n)]

    def why(self, text: str, event: RoadmapEvent) -> str:
        """The words of ``text`` the event shares, has the root of, or is near to."""
        return self.index.why(text, self.events.index(event))

    def best_title(self, text: str, titles: list[str]) -> tuple[str | None, float]:
        """The section title closest to ``text`` and its score."""
        query = lemmas(text)
        best, best_score = None, 0.0
        for title in titles:
            s = self.index.score(query, lemmas(title)) if query else 0.0
            if s > best_score:
                best, best_score = title, s
        return best, best_score


# ------------------------------------------------------------------------------ the pre-check


def number_of(event: RoadmapEvent) -> str:
    """«15.» → «15»; an event without a number keeps an empty one."""
    return (event.number or "").strip().rstrip(".")


def _event_row(event: RoadmapEvent, **extra) -> dict:
    return {"id": event.pk, "number": number_of(event), "text": event.text, **extra}


def default_set_for(roadmap: Roadmap) -> CriteriaSet | None:
    """The criteria a roadmap is checked against when no expertise names a set.

    Municipal and regional roadmaps: the municipal expertise set; school ones: school monitoring.
    The set of the roadmap's years if there is one, else the latest active set.
    """
    purpose = (
        CriteriaPurpose.SCHOOL_MONITORING
        if roadmap.level == "school"
        else CriteriaPurpose.MUNICIPAL_EXPERTISE
    )
    sets = CriteriaSet.objects.filter(purpose=purpose, is_active=True)
    in_period = sets.filter(
        year__gte=roadmap.period_start.year, year__lte=roadmap.period_end.year
    ).order_by("-year", "pk")
    return in_period.first() or sets.order_by("-year", "pk").first()


def required_topics(criteria_set: CriteriaSet | None) -> list[dict]:
    """Criteria with a topic: ``{"criterion", "text", "section"}`` («Раздел: …» → section)."""
    if criteria_set is None:
        return []
    rows = []
    criteria = Criterion.objects.filter(group__criteria_set=criteria_set).exclude(topic="")
    for criterion in criteria.order_by("group__order", "order", "pk"):
        topic = criterion.topic.strip()
        is_section = topic.lower().startswith(SECTION_PREFIX)
        if is_section:
            topic = topic[len(SECTION_PREFIX) :].strip()
        if topic:
            rows.append({"criterion": criterion.pk, "text": topic, "section": is_section})
    return rows


def open_recommendations(roadmap: Roadmap) -> list[Recommendation]:
    """Recommendations given to the roadmap's municipality and not yet done."""
    if roadmap.level != "municipality" or not roadmap.municipality_id:
        return []
    return list(
        Recommendation.objects.filter(
            municipality_id=roadmap.municipality_id,
            status__in=[RecommendationStatus.OPEN, RecommendationStatus.IN_WORK],
        ).order_by("pk")
    )


def _outside(event: RoadmapEvent, start: date, end: date) -> tuple[date, date] | None:
    """The first span of the event's deadline that leaves the period, if any."""
    spans = []
    for p in (event.deadline or {}).get("periods") or []:
        try:
            spans.append((date.fromisoformat(p["start"]), date.fromisoformat(p["end"])))
        except (KeyError, TypeError, ValueError):
            continue
    if not spans and (event.starts_on or event.due_on):
        spans.append((event.starts_on or event.due_on, event.due_on or event.starts_on))
    for s, e in spans:
        if s < start or e > end:
            return s, e
    return None


def precheck_roadmap(roadmap: Roadmap, criteria_set: CriteriaSet | None = None) -> dict:
    """The findings of the pre-check as a JSON-ready document.

    ``criteria_set`` gives the required topics and sections; without it
    :func:`default_set_for` is used. Reads the roadmap in a fixed number of queries.
    """
    if criteria_set is None:
        criteria_set = default_set_for(roadmap)
    events = list(
        roadmap.events.filter(is_cancelled=False)
        .prefetch_related("executors")
        .order_by("order", "pk")
    )
    sections = list(roadmap.sections.order_by("order").values_list("title", flat=True))
    index = EventIndex(events)

    deadlines, executors, columns, period = [], [], [], []
    for event in events:
        if not event.deadline_understood:
            deadlines.append(_event_row(event, deadline_text=event.deadline_text))
        problem = _executor_problem(event, list(event.executors.all()))
        if problem:
            executors.append(
                _event_row(event, executors_text=event.executors_text, problem=problem)
            )
        missing = []
        if roadmap.has_indicator_column and not event.indicator_text.strip():
            missing.append("indicator")
        if roadmap.has_evidence_column and not event.evidence_text.strip():
            missing.append("evidence")
        if missing:
            columns.append(
                _event_row(
                    event,
                    missing=missing,
                    missing_text=", ".join(COLUMN_LABELS[m] for m in missing),
                )
            )
        span = _outside(event, roadmap.period_start, roadmap.period_end)
        if span:
            period.append(
                _event_row(
                    event,
                    deadline_text=event.deadline_text,
                    start=span[0].isoformat(),
                    end=span[1].isoformat(),
                )
            )

    topics = required_topics(criteria_set)
    section_rows = []
    for topic in (t for t in topics if t["section"]):
        title, score = index.best_title(topic["text"], sections)
        found = score >= COVERED_FROM
        section_rows.append(
            {
                "text": topic["text"],
                "criterion": topic["criterion"],
                "found": found,
                "section": title if found else None,
            }
        )

    risks = _risk_rows(roadmap, index)

    coverage = []
    for rec in open_recommendations(roadmap):
        coverage.append(_coverage("recommendation", rec.text, index, id=rec.pk))
    for topic in topics:
        coverage.append(_coverage("topic", topic["text"], index, criterion=topic["criterion"]))

    return {
        "roadmap": {
            "id": roadmap.pk,
            "title": roadmap.title,
            "level": roadmap.level,
            "municipality": roadmap.municipality.name if roadmap.municipality_id else None,
            "period": [roadmap.period_start.isoformat(), roadmap.period_end.isoformat()],
            "events": len(events),
        },
        "criteria_set": (
            {"id": criteria_set.pk, "name": criteria_set.name, "year": criteria_set.year}
            if criteria_set
            else None
        ),
        "deadlines": deadlines,
        "executors": executors,
        "columns": columns,
        "period": period,
        "sections": section_rows,
        "coverage": coverage,
        "risks": risks,
        "summary": {
            "deadlines": len(deadlines),
            "executors": len(executors),
            "columns": len(columns),
            "period": len(period),
            "sections_missing": sum(1 for s in section_rows if not s["found"]),
            "covered": sum(1 for c in coverage if c["covered"]),
            "uncovered": sum(1 for c in coverage if not c["covered"]),
            "risks_without_measures": sum(1 for r in risks if not r["events"]),
        },
    }


def _risk_rows(roadmap: Roadmap, index: EventIndex) -> list[dict]:
    """The school's priority risks of the roadmap's years and the measures named in it; for a
    risk without measures, the events closest in words (a hint where one might be)."""
    if roadmap.level != "school" or not roadmap.school_id:
        return []
    years = range(roadmap.period_start.year - 1, roadmap.period_end.year + 1)
    rows = []
    for row in without_measures(roadmap.school, roadmap.pk, years):
        factor = row["factor"]
        rows.append(
            {
                "factor": factor.title,
                "year": row["priority"].year,
                "events": [
                    {"id": e.pk, "number": number_of(e), "text": e.text} for e in row["events"]
                ],
                "closest": []
                if row["events"]
                else [
                    {"id": e.pk, "number": number_of(e), "text": e.text}
                    for e, _ in index.closest(f"{factor.title} {factor.description}")
                ],
            }
        )
    return rows


COLUMN_LABELS = {"indicator": "показатель реализации", "evidence": "результат (документ)"}


def _executor_problem(event: RoadmapEvent, rows: list[EventExecutor]) -> str:
    if not rows and not event.executors_text.strip():
        return "исполнители не указаны"
    unknown = [r.written for r in rows if not r.known]
    if not rows:
        return "исполнители не распознаны"
    if unknown:
        return "не распознаны: " + ", ".join(unknown)
    return ""


def _coverage(kind: str, text: str, index: EventIndex, **extra) -> dict:
    matched = index.matches(text)
    return {
        "kind": kind,
        "from_recommendation": kind == "recommendation",  # else a criterion's topic
        "text": text,
        **extra,
        "covered": bool(matched),
        "events": [
            {
                "id": e.pk,
                "number": number_of(e),
                "text": e.text,
                "score": round(s, 2),
                "why": index.why(text, e),
            }
            for e, s in matched
        ],
        "closest": []
        if matched
        else [
            {"id": e.pk, "number": number_of(e), "text": e.text, "score": round(s, 2)}
            for e, s in index.closest(text)
        ],
    }
