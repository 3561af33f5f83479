"""Roll-up of a cascaded event: who of its addressees has reported, was accepted, is overdue or
has not started (issue 16).

A regional event addressed to schools («Разработка школьных программ … 68 школьных программ»,
seed 003 event 11) is answered by each listed school; one addressed to municipal authorities
(event 10, 17 municipal roadmaps) by each municipality; a municipal event addressed to schools by
the schools of the municipality (the schools it names, or its listed ones). The roll-up reads the
latest report of each addressee within the user's scope; the quantity written in the event's text
(``target_quantity``) is the target the accepted ones are counted against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from opora.accounts.models import Role
from opora.registry.selectors import municipalities_for, schools_for
from opora.roadmaps.models import ProgressReport, ReviewState

SCHOOL_ROLES = {"school"}
MUNICIPAL_ROLES = {"municipal_authority", "methodical_service"}

#: The states of an addressee, in the order of the table's filter.
STATES = {
    "accepted": "принято",
    "pending": "на проверке",
    "returned": "возвращено на доработку",
    "overdue": "просрочено",
    "not_started": "не начато",
}


@dataclass
class RollupRow:
    pk: int  # of the school or the municipality
    name: str
    url: str
    municipality: str
    state: str
    report: ProgressReport | None = None

    @property
    def state_label(self) -> str:
        return STATES[self.state]


@dataclass
class Rollup:
    kind: str  # "school" | "municipality"
    rows: list[RollupRow]
    target: int | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def of_schools(self) -> bool:
        return self.kind == "school"

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def reported(self) -> int:
        return self.total - self.counts.get("not_started", 0) - self.counts.get("overdue", 0)

    @property
    def missing(self) -> list[RollupRow]:
        return [r for r in self.rows if r.state in ("not_started", "overdue", "returned")]


def addressee_kind(event) -> str:
    """Whom the event cascades to: «school», «municipality», or "" (it does not)."""
    roles = set(event.executors.values_list("role", flat=True))
    level = event.roadmap.level
    if roles & SCHOOL_ROLES and level in ("region", "municipality"):
        return "school"
    if roles & MUNICIPAL_ROLES and level == "region":
        return "municipality"
    return ""


def may_see(user) -> bool:
    """A school answers for itself; the roll-up is for those who follow many."""
    return user.is_authenticated and user.role != Role.SCHOOL


def _schools(user, event):
    qs = schools_for(user)
    named = event.schools.values("pk")
    if event.roadmap.level == "municipality":
        qs = qs.filter(municipality_id=event.roadmap.municipality_id)
    if event.schools.exists():
        return qs.filter(pk__in=named)
    return qs.filter(Q(is_low_results=True) | Q(is_unfavourable=True))


def rollup_of(user, event) -> Rollup | None:
    kind = addressee_kind(event)
    if not kind or not may_see(user):
        return None
    today = timezone.localdate()
    due = event.due_on
    overdue = due is not None and due < today
    if kind == "school":
        addressees = list(
            _schools(user, event).order_by("municipality__name", "number", "short_name")
        )
        reports = ProgressReport.objects.filter(
            event=event, school_id__in=[s.pk for s in addressees]
        ).values_list("school_id", "pk")
    else:
        addressees = list(municipalities_for(user).order_by("name"))
        reports = ProgressReport.objects.filter(
            event=event, municipality_id__in=[m.pk for m in addressees], school__isnull=True
        ).values_list("municipality_id", "pk")
    latest: dict[int, int] = {}
    for owner, pk in reports:
        latest[owner] = max(pk, latest.get(owner, 0))
    by_pk = ProgressReport.objects.in_bulk(list(latest.values()))
    rows = []
    counts = dict.fromkeys(STATES, 0)
    for a in addressees:
        report = by_pk.get(latest.get(a.pk, 0))
        if report is None:
            state = "overdue" if overdue else "not_started"
        elif report.review_state == ReviewState.ACCEPTED:
            state = "accepted"
        elif report.review_state == ReviewState.RETURNED:
            state = "returned"
        else:
            state = "pending"
        counts[state] += 1
        if kind == "school":
            rows.append(
                RollupRow(
                    a.pk,
                    a.short_name,
                    reverse("registry:school", args=[a.pk]),
                    a.municipality.name,
                    state,
                    report,
                )
            )
        else:
            rows.append(
                RollupRow(
                    a.pk, a.name, reverse("registry:municipality", args=[a.pk]), "", state, report
                )
            )
    return Rollup(kind=kind, rows=rows, target=event.target_quantity, counts=counts)
