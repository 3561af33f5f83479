"""The maths of an expertise: the consolidated table of the experts' scores and the period's
analytics (pure computations over prefetched objects; no queries of their own).

Agreement between experts
-------------------------
For a criterion scored by two or more experts (submitted scores only):

* *spread* = max − min of the scores;
* the experts *agree* when the spread is at most ``scale_max // 3`` points: on 0–1 and 0–2 scales
  the scores must be equal, on 0–3…0–5 scales one point apart is still agreement, on 0–10 three;
* the *share of agreement* of the expertise is the share of such criteria where experts agree;
* the *agreement index* = 1 − the mean, over criteria, of the mean pairwise difference
  |a − b| / scale_max. It is 1 when all scores coincide and 0 when every pair is at opposite
  ends of the scale. It needs no distribution assumptions (unlike Kendall's W or the ICC), works
  for two experts and small scales, and reads as «on average experts differ by (1 − index) of
  the scale».

A criterion *fails* when its mean score is below half of its maximum.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from opora.expertise.models import (
    Criterion,
    CriterionGroup,
    ExpertAssignment,
    Expertise,
)


@dataclass
class Cell:
    """One expert's score of one criterion."""

    value: int | None
    comment: str = ""
    draft: bool = False


@dataclass
class Row:
    """A criterion with every visible expert's score, the mean and the agreement."""

    criterion: Criterion
    number: str
    cells: list[Cell]
    values: list[int]  # submitted scores only: what the mean and the agreement count
    comments: list[tuple[str, str]] = field(default_factory=list)  # (expert, comment)

    @property
    def mean(self) -> float | None:
        return sum(self.values) / len(self.values) if self.values else None

    @property
    def spread(self) -> int | None:
        return max(self.values) - min(self.values) if len(self.values) >= 2 else None

    @property
    def tolerance(self) -> int:
        return self.criterion.scale_max // 3

    @property
    def agree(self) -> bool | None:
        spread = self.spread
        return None if spread is None else spread <= self.tolerance

    @property
    def pairwise(self) -> float | None:
        """Mean |a − b| / scale_max over pairs of experts."""
        if len(self.values) < 2 or not self.criterion.scale_max:
            return None
        pairs = list(combinations(self.values, 2))
        return sum(abs(a - b) for a, b in pairs) / len(pairs) / self.criterion.scale_max

    @property
    def failing(self) -> bool | None:
        mean = self.mean
        return None if mean is None else mean < self.criterion.scale_max / 2

    @property
    def weight(self) -> float:
        return float(self.criterion.weight)


@dataclass
class Column:
    """An expert of the consolidated table."""

    assignment: ExpertAssignment
    name: str
    short_name: str
    submitted: bool
    total: float = 0.0
    scored: int = 0


@dataclass
class Consolidated:
    expertise: Expertise
    columns: list[Column]
    groups: list[tuple[CriterionGroup, list[Row]]]
    criteria_count: int = 0
    total_max: float = 0.0
    total_mean: float | None = None
    counted: int = 0  # submitted experts
    compared: int = 0  # criteria scored by two or more experts
    agreeing: int = 0
    agreement_index: float | None = None
    disagreements: list[Row] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [row for _, rows in self.groups for row in rows]

    @property
    def percent(self) -> float | None:
        if self.total_mean is None or not self.total_max:
            return None
        return self.total_mean / self.total_max

    @property
    def agreement_share(self) -> float | None:
        return self.agreeing / self.compared if self.compared else None

    @property
    def failing(self) -> list[Row]:
        return [row for row in self.rows if row.failing]


def short_name(user) -> str:
    """«Иванова Е. С.» — how documents name a person (the login when there is no name)."""
    initials = " ".join(f"{p[0]}." for p in (user.first_name, user.patronymic) if p)
    return f"{user.last_name} {initials}".strip() if user.last_name else user.username


def signature_name(user) -> str:
    """«Е. С. Иванова» — the name under a signature (ГОСТ Р 7.0.97-2016)."""
    initials = " ".join(f"{p[0]}." for p in (user.first_name, user.patronymic) if p)
    return f"{initials} {user.last_name}".strip() if user.last_name else user.username


def consolidate(expertise: Expertise, *, include_drafts: bool = False) -> Consolidated:
    """The consolidated table of an expertise.

    Columns are the submitted experts (and, with ``include_drafts``, those still scoring, whose
    scores are shown as drafts and counted nowhere). Reads prefetched relations when the
    expertise comes from :func:`with_everything`.
    """
    assignments = sorted(expertise.assignments.all(), key=lambda a: a.pk)
    if not include_drafts:
        assignments = [a for a in assignments if a.submitted_at]
    columns = [
        Column(
            assignment=a,
            name=a.expert.display_name,
            short_name=short_name(a.expert),
            submitted=a.submitted_at is not None,
        )
        for a in assignments
    ]
    scores = [{s.criterion_id: s for s in a.scores.all()} for a in assignments]
    result = Consolidated(expertise=expertise, columns=columns, groups=[])
    result.counted = sum(1 for c in columns if c.submitted)
    pairwise = []
    weighted_mean = 0.0
    any_mean = False
    for g_index, group in enumerate(expertise.criteria_set.groups.all(), start=1):
        rows = []
        for c_index, criterion in enumerate(group.criteria.all(), start=1):
            cells, values = [], []
            for column, by_criterion in zip(columns, scores, strict=True):
                score = by_criterion.get(criterion.pk)
                if score is None:
                    cells.append(Cell(None, draft=not column.submitted))
                    continue
                cells.append(Cell(score.value, score.comment, draft=not column.submitted))
                column.scored += 1
                column.total += score.value * float(criterion.weight)
                if column.submitted:
                    values.append(score.value)
            row = Row(criterion, f"{g_index}.{c_index}", cells, values)
            row.comments = [
                (column.short_name, cell.comment)
                for column, cell in zip(columns, cells, strict=True)
                if cell.comment
            ]
            rows.append(row)
            result.criteria_count += 1
            result.total_max += criterion.scale_max * float(criterion.weight)
            if row.mean is not None:
                weighted_mean += row.mean * float(criterion.weight)
                any_mean = True
            if row.agree is not None:
                result.compared += 1
                result.agreeing += 1 if row.agree else 0
                pairwise.append(row.pairwise)
                if not row.agree:
                    result.disagreements.append(row)
        result.groups.append((group, rows))
    result.total_mean = weighted_mean if any_mean else None
    if pairwise:
        result.agreement_index = 1 - sum(pairwise) / len(pairwise)
    return result


@dataclass
class CriterionFailures:
    """How one criterion fared over the expertises of a period."""

    text: str
    group: str
    used: int = 0
    failed: int = 0
    mean_share: float = 0.0  # average of mean / scale_max

    @property
    def share(self) -> float:
        return self.failed / self.used if self.used else 0.0


@dataclass
class PeriodAnalytics:
    results: list[Consolidated]
    criteria: list[CriterionFailures]

    @property
    def years(self) -> list[int]:
        return sorted({r.expertise.criteria_set.year for r in self.results})


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def analytics(expertises: Iterable[Expertise]) -> PeriodAnalytics:
    """Totals per expertise and, per criterion, the share of expertises where it failed.

    Criteria are matched across sets by their text, so a set copied to a new year still counts
    as the same criteria.
    """
    results = [consolidate(e) for e in expertises]
    by_key: dict[str, CriterionFailures] = {}
    for result in results:
        for group, rows in result.groups:
            for row in rows:
                if row.mean is None:
                    continue
                key = _key(row.criterion.text)
                stat = by_key.setdefault(key, CriterionFailures(row.criterion.text, group.title))
                stat.used += 1
                stat.failed += 1 if row.failing else 0
                stat.mean_share += row.mean / row.criterion.scale_max
    stats = list(by_key.values())
    for stat in stats:
        stat.mean_share = stat.mean_share / stat.used if stat.used else 0.0
    stats.sort(key=lambda s: (-s.share, s.mean_share, s.text))
    return PeriodAnalytics(results, stats)
