"""Criteria sets and the expertise of programmes: services, selectors and the two documents.

The loop (seed 003, events 2, 19, 31): the operator keeps criteria sets → creates an expertise of
a municipal roadmap with a set and assigns experts → each expert scores every criterion with a
comment, independently, and submits → the consolidated result shows the mean, the weighted total
and how well the experts agree → the expertise is closed with a conclusion and recommendations
(each becomes a tracked :class:`~opora.recommendations.models.Recommendation` of the municipality) →
the protocol in Word → at the end of the period an analytical report over all expertises
(«аналитическая справка по итогам 17 экспертиз»).

Every write is a function here taking the acting user, in a transaction; every read that depends
on who asks goes through a selector here. Permissions are in ``perms_expertise``.

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

import io
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import combinations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.accounts.models import Role, User
from opora.accounts.scopes import can_write_region
from opora.core.formatting import count, long_date, percent, short_date
from opora.expertise.models import (
    CriteriaSet,
    Criterion,
    CriterionGroup,
    ExpertAssignment,
    Expertise,
    ExpertiseStatus,
    Score,
)
from opora.recommendations import services as recommendation_services
from opora.recommendations.catalogue import recommendation_lines
from opora.roadmaps.models import Roadmap
from opora.roadmaps.selectors import roadmaps_for

# ================================================================================ permissions


# ================================================================================ criteria sets


def criteria_sets() -> QuerySet[CriteriaSet]:
    """All criteria sets with their counts (criteria are public: the region publishes them)."""
    return CriteriaSet.objects.annotate(
        criteria_count=Count("groups__criteria", distinct=True),
        expertise_count=Count("expertises", distinct=True),
    ).order_by("-year", "purpose", "name")


def groups_of(criteria_set: CriteriaSet) -> list[CriterionGroup]:
    """Groups of a set with their criteria, in order (two queries)."""
    return list(
        criteria_set.groups.order_by("order", "pk").prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk"))
        )
    )


def is_locked(criteria_set: CriteriaSet) -> bool:
    """A set used by an expertise keeps its criteria as they were scored: copy it to change."""
    return criteria_set.expertises.exists()


def _unlocked(user, criteria_set: CriteriaSet) -> None:
    _require(user, "expertise.manage_criteria")
    if is_locked(criteria_set):
        raise ValidationError(
            "Набор уже используется в экспертизе: его критерии изменить нельзя. "
            "Скопируйте набор и измените копию."
        )


@transaction.atomic
def create_criteria_set(
    user, *, name: str, purpose: str, year: int, description: str = "", is_active: bool = True
) -> CriteriaSet:
    _require(user, "expertise.manage_criteria")
    criteria_set = CriteriaSet(
        name=name, purpose=purpose, year=year, description=description, is_active=is_active
    )
    criteria_set.full_clean()
    _stamp(criteria_set, user).save()
    return criteria_set


@transaction.atomic
def update_criteria_set(user, criteria_set: CriteriaSet, **fields) -> CriteriaSet:
    """Name, purpose, year, description, «действует»: editable even when the set is in use."""
    _require(user, "expertise.manage_criteria")
    for key in ("name", "purpose", "year", "description", "is_active"):
        if key in fields:
            setattr(criteria_set, key, fields[key])
    criteria_set.full_clean()
    _stamp(criteria_set, user).save()
    return criteria_set


@transaction.atomic
def copy_criteria_set(user, source: CriteriaSet, *, year: int, name: str = "") -> CriteriaSet:
    """A new set for ``year`` with the same groups and criteria (the source stays as it is).

    Example: «Критерии экспертизы … (2023)» → the 2024 set the operator then edits.
    """
    _require(user, "expertise.manage_criteria")
    copy = CriteriaSet(
        name=name or source.name,
        purpose=source.purpose,
        year=year,
        description=source.description,
        is_active=True,
    )
    copy.full_clean()
    _stamp(copy, user).save()
    for group in groups_of(source):
        new_group = _stamp(
            CriterionGroup(criteria_set=copy, order=group.order, title=group.title), user
        )
        new_group.save()
        for c in group.criteria.all():
            _stamp(
                Criterion(
                    group=new_group,
                    order=c.order,
                    text=c.text,
                    guidance=c.guidance,
                    scale_max=c.scale_max,
                    weight=c.weight,
                    topic=c.topic,
                ),
                user,
            ).save()
    return copy


@transaction.atomic
def save_group(
    user, criteria_set: CriteriaSet, *, title: str, order: int | None = None, group=None
) -> CriterionGroup:
    """Add a group (``group=None``) or rename / move one."""
    _unlocked(user, criteria_set)
    if group is None:
        if order is None:
            order = (criteria_set.groups.count() or 0) + 1
        group = CriterionGroup(criteria_set=criteria_set)
    elif group.criteria_set_id != criteria_set.pk:
        raise ValidationError("Группа из другого набора.")
    group.title = title
    if order is not None:
        group.order = order
    group.full_clean()
    _stamp(group, user).save()
    return group


@transaction.atomic
def delete_group(user, group: CriterionGroup) -> None:
    _unlocked(user, group.criteria_set)
    _stamp(group, user).delete()


@transaction.atomic
def save_criterion(user, group: CriterionGroup, *, criterion=None, **fields) -> Criterion:
    """Add a criterion to ``group`` or change one: text, guidance, scale_max, weight, topic, order.

    Example: ``text="Для каждого мероприятия указаны сроки исполнения", scale_max=2``.
    """
    _unlocked(user, group.criteria_set)
    if criterion is None:
        criterion = Criterion(group=group, order=group.criteria.count() + 1)
    elif criterion.group.criteria_set_id != group.criteria_set_id:
        raise ValidationError("Критерий из другого набора.")
    criterion.group = group
    for key in ("text", "guidance", "scale_max", "weight", "topic", "order"):
        if key in fields and fields[key] is not None:
            setattr(criterion, key, fields[key])
    if not criterion.scale_max or criterion.scale_max < 1:
        raise ValidationError("Максимальный балл — не меньше 1 (шкала 0–1, 0–2 …).")
    criterion.full_clean()
    _stamp(criterion, user).save()
    return criterion


@transaction.atomic
def delete_criterion(user, criterion: Criterion) -> None:
    _unlocked(user, criterion.group.criteria_set)
    _stamp(criterion, user).delete()


def ensure_defaults(user, year: int) -> list[CriteriaSet]:
    """The region's starting sets for ``year`` (see ``criteria_defaults``), for a button."""
    from opora.expertise.defaults import ensure_default_sets

    _require(user, "expertise.manage_criteria")
    return ensure_default_sets(year)


# ================================================================================ expertise: reads


def experts() -> QuerySet[User]:
    """Users who may be assigned as experts."""
    return User.objects.filter(role=Role.EXPERT, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def expertises_for(user) -> QuerySet[Expertise]:
    """The region and the operator: all; an expert: assigned ones; others: of visible roadmaps."""
    qs = Expertise.objects.select_related(
        "roadmap__municipality", "roadmap__school", "criteria_set"
    )
    if can_write_region(user):
        return qs
    if user.role == Role.EXPERT:
        return qs.filter(assignments__expert=user)
    return qs.filter(roadmap__in=roadmaps_for(user).values("pk"))


def expertise_list(user, *, status: str = "", year: int | None = None) -> QuerySet[Expertise]:
    qs = expertises_for(user).annotate(
        assigned=Count("assignments", distinct=True),
        submitted=Count(
            "assignments", filter=Q(assignments__submitted_at__isnull=False), distinct=True
        ),
    )
    if user.role == Role.EXPERT:
        qs = qs.annotate(
            my_submitted=Count(
                "assignments",
                filter=Q(assignments__expert=user, assignments__submitted_at__isnull=False),
                distinct=True,
            ),
            my_scored=Count("assignments__scores", filter=Q(assignments__expert=user)),
            criteria_total=Count("criteria_set__groups__criteria", distinct=True),
        )
    if status in ExpertiseStatus.values:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(criteria_set__year=year)
    return qs.order_by("status", "-created_at")


def expertise_for(user, pk) -> Expertise | None:
    expertise = expertises_for(user).filter(pk=pk).first()
    if expertise is None or not user.has_perm("expertise.view_expertise", expertise):
        return None
    return expertise


def roadmaps_for_expertise(user) -> QuerySet[Roadmap]:
    """Roadmaps an expertise may be created for: municipal and school ones, not archived."""
    return (
        roadmaps_for(user)
        .filter(level__in=["municipality", "school"])
        .exclude(status="archived")
        .order_by("-period_start", "title")
    )


def my_assignment(user, expertise: Expertise) -> ExpertAssignment | None:
    from opora.expertise.rules import assignment_of

    return assignment_of(user, expertise)


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


def with_everything(qs: QuerySet[Expertise]) -> QuerySet[Expertise]:
    """Prefetch what :func:`consolidate` reads: five queries whatever the number of expertises."""
    return qs.select_related(
        "roadmap__municipality", "roadmap__school", "criteria_set"
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=ExpertAssignment.objects.select_related("expert").order_by("pk"),
        ),
        "assignments__scores",
        Prefetch(
            "criteria_set__groups",
            queryset=CriterionGroup.objects.order_by("order", "pk").prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk"))
            ),
        ),
    )


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


def load_for_view(expertise: Expertise) -> Expertise:
    """The same expertise with everything :func:`consolidate` reads prefetched."""
    return with_everything(Expertise.objects.filter(pk=expertise.pk)).get()


@dataclass
class Access:
    """What the current user may see and do on an expertise's pages."""

    manage: bool
    assignment: ExpertAssignment | None
    can_score: bool
    see_scores: bool
    see_drafts: bool
    see_conclusion: bool


def access_of(user, expertise: Expertise) -> Access:
    manage = user.has_perm("expertise.manage_expertise", expertise)
    return Access(
        manage=manage,
        assignment=my_assignment(user, expertise),
        can_score=user.has_perm("expertise.score_expertise", expertise),
        see_scores=user.has_perm("expertise.view_expertise_scores", expertise),
        see_drafts=manage and expertise.status == ExpertiseStatus.OPEN,
        see_conclusion=user.has_perm("expertise.view_expertise_conclusion", expertise),
    )


@dataclass
class WorkRow:
    number: str
    criterion: Criterion
    score: Score | None


def workspace_rows(assignment: ExpertAssignment) -> list[tuple[CriterionGroup, list[WorkRow]]]:
    """An expert's own scores, criterion by criterion (three queries)."""
    mine = {s.criterion_id: s for s in assignment.scores.all()}
    result = []
    for g_index, group in enumerate(groups_of(assignment.expertise.criteria_set), start=1):
        rows = [
            WorkRow(f"{g_index}.{c_index}", c, mine.get(c.pk))
            for c_index, c in enumerate(group.criteria.all(), start=1)
        ]
        result.append((group, rows))
    return result


# ================================================================================ expertise: writes


@transaction.atomic
def create_expertise(
    user,
    roadmap: Roadmap,
    criteria_set: CriteriaSet,
    *,
    expert_users: Iterable[User] = (),
    due_date: date | None = None,
) -> Expertise:
    """Start an expertise of ``roadmap`` against ``criteria_set`` and assign the experts."""
    _require(user, "expertise.manage_expertise")
    if not user.has_perm("roadmaps.view_roadmap", roadmap):
        raise PermissionDenied("Дорожная карта недоступна.")
    if not criteria_set.is_active:
        raise ValidationError("Набор критериев не действует — выберите действующий.")
    if not Criterion.objects.filter(group__criteria_set=criteria_set).exists():
        raise ValidationError("В наборе нет критериев.")
    expertise = Expertise(
        roadmap=roadmap, criteria_set=criteria_set, due_date=due_date, created_by=user
    )
    _stamp(expertise, user).save()
    for expert in expert_users:
        assign_expert(user, expertise, expert)
    return expertise


@transaction.atomic
def assign_expert(user, expertise: Expertise, expert: User) -> ExpertAssignment:
    _require(user, "expertise.manage_expertise", expertise)
    if expertise.status != ExpertiseStatus.OPEN:
        raise ValidationError("Экспертиза завершена: назначать экспертов нельзя.")
    if expert.role != Role.EXPERT or not expert.is_active:
        raise ValidationError(f"{expert.display_name} — не эксперт.")
    if expertise.assignments.filter(expert=expert).exists():
        raise ValidationError(f"{expert.display_name} уже назначен(а) на эту экспертизу.")
    assignment = ExpertAssignment(expertise=expertise, expert=expert)
    _stamp(assignment, user).save()
    return assignment


@transaction.atomic
def remove_assignment(user, assignment: ExpertAssignment) -> None:
    """Withdraw an expert who has not submitted yet (their draft scores go with them)."""
    _require(user, "expertise.manage_expertise", assignment.expertise)
    if assignment.expertise.status != ExpertiseStatus.OPEN:
        raise ValidationError("Экспертиза завершена.")
    if assignment.submitted_at:
        raise ValidationError("Эксперт уже отправил оценки: снять его нельзя.")
    _stamp(assignment, user).delete()


def _my_open_assignment(user, expertise: Expertise) -> ExpertAssignment:
    assignment = my_assignment(user, expertise)
    if assignment is None:
        raise PermissionDenied("Вы не назначены экспертом этой экспертизы.")
    if expertise.status != ExpertiseStatus.OPEN:
        raise ValidationError("Экспертиза завершена: оценки изменить нельзя.")
    if assignment.submitted_at:
        raise ValidationError("Оценки уже отправлены: изменить их нельзя.")
    return assignment


@transaction.atomic
def save_score(
    user, expertise: Expertise, criterion: Criterion, *, value: int, comment: str = ""
) -> Score:
    """An expert's score of one criterion (saved as they go; changeable until submitted)."""
    assignment = _my_open_assignment(user, expertise)
    if criterion.group.criteria_set_id != expertise.criteria_set_id:
        raise ValidationError("Критерий не из набора этой экспертизы.")
    if value is None or not 0 <= int(value) <= criterion.scale_max:
        raise ValidationError(f"Балл — от 0 до {criterion.scale_max}.")
    score = Score.objects.filter(assignment=assignment, criterion=criterion).first()
    if score is None:
        score = Score(assignment=assignment, criterion=criterion)
    score.value = int(value)
    score.comment = (comment or "").strip()
    _stamp(score, user).save()
    return score


@transaction.atomic
def submit_assignment(user, expertise: Expertise) -> ExpertAssignment:
    """Send one's scores: every criterion must be scored. After this they cannot change."""
    assignment = _my_open_assignment(user, expertise)
    total = Criterion.objects.filter(group__criteria_set=expertise.criteria_set_id).count()
    scored = assignment.scores.count()
    if scored < total:
        raise ValidationError(
            f"Оценены {scored} из {total} критериев: оцените все критерии, затем отправьте."
        )
    assignment.submitted_at = timezone.now()
    _stamp(assignment, user).save()
    return assignment


@transaction.atomic
def close_expertise(
    user, expertise: Expertise, *, conclusion: str, recommendations: str = ""
) -> list:
    """Close the expertise with a conclusion; each recommendation line becomes a tracked
    :class:`Recommendation` of the roadmap's municipality (status «открыта»).

    Every assigned expert must have submitted. Returns the recommendations created.
    """
    _require(user, "expertise.manage_expertise", expertise)
    expertise = Expertise.objects.select_for_update().get(pk=expertise.pk)
    if expertise.status != ExpertiseStatus.OPEN:
        raise ValidationError("Экспертиза уже завершена.")
    assignments = list(expertise.assignments.all())
    if not assignments:
        raise ValidationError("Не назначено ни одного эксперта.")
    waiting = [a for a in assignments if not a.submitted_at]
    if waiting:
        names = ", ".join(a.expert.display_name for a in waiting)
        raise ValidationError(f"Ещё не отправили оценки: {names}.")
    if not (conclusion or "").strip():
        raise ValidationError("Напишите заключение.")
    expertise.conclusion = conclusion.strip()
    expertise.recommendations = (recommendations or "").strip()
    expertise.status = ExpertiseStatus.CLOSED
    expertise.closed_at = timezone.now()
    _stamp(expertise, user).save()
    return recommendation_services.create_from_expertise(user, expertise)


# ================================================================================ documents

OPERATOR_NAME = (
    "Областное государственное бюджетное учреждение дополнительного профессионального "
    "образования «Томский областной институт повышения квалификации и переподготовки "
    "работников образования»"
)


def _operator_name() -> str:
    from opora.registry.models import Organisation, OrganisationKind

    org = Organisation.objects.filter(kind=OrganisationKind.REGIONAL_OPERATOR).first()
    if org is None:
        return f"{OPERATOR_NAME} (ТОИПКРО)"
    return f"{org.name} ({org.short_name})" if org.short_name not in org.name else org.name


def _number(value: float | None, digits: int = 1) -> str:
    """1.5 → «1,5»; 2.0 → «2»; None → «—»."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return text.replace(".", ",")


def _weight(value: Decimal | float) -> str:
    return _number(float(value), 2)


def _header(doc, day: date, number: str, title_lines: list[str]) -> None:
    """ГОСТ requisites of a protocol: organisation, kind, date and number, place, title."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm

    from opora.documents.docx_style import add_paragraph, text_width_mm

    add_paragraph(doc, _operator_name(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "")
    add_paragraph(doc, "ПРОТОКОЛ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "")
    line = add_paragraph(doc, "", align=WD_ALIGN_PARAGRAPH.LEFT)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(text_width_mm(doc)), WD_TAB_ALIGNMENT.RIGHT)
    line.add_run(f"{short_date(day)}\t№ {number}")
    add_paragraph(doc, "г. Томск", align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "")
    for text in title_lines:
        add_paragraph(doc, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "")


def protocol_docx(expertise: Expertise) -> bytes:
    """«ПРОТОКОЛ экспертизы муниципальной программы …» in Word.

    Requisites, the criteria table with every expert's score and the mean, the total and the
    agreement, the experts' comments, the conclusion, the recommendations and the experts'
    signatures. A protocol of an expertise still in progress is marked «ПРОЕКТ».
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm

    from opora.documents.docx_style import (
        add_page_numbers,
        add_paragraph,
        merged_row,
        new_document,
        repeat_header,
        set_cell_text,
        set_col_widths,
        set_table_font,
        text_width_mm,
    )

    expertise = load_for_view(expertise)
    data = consolidate(expertise)
    roadmap = expertise.roadmap
    closed = expertise.status == ExpertiseStatus.CLOSED
    day = timezone.localtime(expertise.closed_at).date() if closed else timezone.localdate()
    experts_count = len(data.columns)
    doc = new_document(landscape=experts_count > 4)

    owner = roadmap.owner_label
    kind = (
        "школьной программы" if roadmap.level == "school" else "муниципальной программы"
    ) + " («дорожной карты»)"
    title = [f"экспертизы {kind}", f"«{roadmap.title}»", f"({owner})"]
    if not closed:
        title.insert(0, "ПРОЕКТ")
    _header(doc, day, f"{expertise.pk}-э", title)

    cs = expertise.criteria_set
    add_paragraph(
        doc,
        f"Экспертиза проведена по критериям «{cs.name}» ({cs.year} г.). "
        f"Период программы: {short_date(roadmap.period_start)} – {short_date(roadmap.period_end)}.",
    )
    names = ", ".join(c.name for c in data.columns) or "—"
    add_paragraph(doc, f"Эксперты: {names}.")
    add_paragraph(doc, "")

    table = doc.add_table(rows=1, cols=5 + experts_count)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = [
        "№",
        "Критерий",
        "Макс. балл",
        "Вес",
        *[c.short_name for c in data.columns],
        "Средний балл",
    ]
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        set_cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat_header(table.rows[0])
    for group, rows in data.groups:
        merged_row(table, group.title, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for row in rows:
            cells = table.add_row().cells
            values = [
                row.number,
                row.criterion.text,
                str(row.criterion.scale_max),
                _weight(row.criterion.weight),
                *[_number(c.value, 0) if c.value is not None else "—" for c in row.cells],
                _number(row.mean),
            ]
            for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
                align = None if index == 1 else WD_ALIGN_PARAGRAPH.CENTER
                set_cell_text(cell, text, align=align)
    total = table.add_row().cells
    set_cell_text(total[1], "Итого (с учётом весов)", bold=True)
    set_cell_text(total[2], _number(data.total_max), align=WD_ALIGN_PARAGRAPH.CENTER)
    for cell, column in zip(total[4:-1], data.columns, strict=True):
        set_cell_text(cell, _number(column.total), align=WD_ALIGN_PARAGRAPH.CENTER)
    set_cell_text(total[-1], _number(data.total_mean), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    width = text_width_mm(doc)
    fixed = 10 + 16 + 13 + 18 + 17 * experts_count
    set_col_widths(table, [10, width - fixed, 16, 13, *[17] * experts_count, 18])
    set_table_font(table)

    add_paragraph(doc, "")
    add_paragraph(
        doc,
        f"Итоговый балл: {_number(data.total_mean)} из {_number(data.total_max)} "
        f"({percent(data.percent)}).",
    )
    if data.compared:
        add_paragraph(
            doc,
            f"Согласованность экспертов: оценки совпали по {data.agreeing} из {data.compared} "
            f"критериев ({percent(data.agreement_share)}), индекс согласованности "
            f"{_number(data.agreement_index, 2)}.",
        )
        if data.disagreements:
            numbers = ", ".join(r.number for r in data.disagreements)
            add_paragraph(doc, f"Расхождение оценок экспертов по критериям: {numbers}.")
    failing = data.failing
    if failing:
        add_paragraph(
            doc,
            "Критерии со средним баллом ниже половины максимального: "
            + ", ".join(r.number for r in failing)
            + ".",
        )

    comments = [
        (row.number, column.short_name, cell.comment)
        for row in data.rows
        for column, cell in zip(data.columns, row.cells, strict=True)
        if cell.comment
    ]
    if comments:
        add_paragraph(doc, "")
        add_paragraph(doc, "Комментарии экспертов", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for number, name, comment in comments:
            add_paragraph(doc, f"{number}. {name}: {comment}")

    add_paragraph(doc, "")
    add_paragraph(doc, "Заключение", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, expertise.conclusion or "—")
    lines = recommendation_lines(expertise.recommendations)
    if lines:
        add_paragraph(doc, "")
        add_paragraph(doc, "Рекомендации", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for index, line in enumerate(lines, start=1):
            add_paragraph(doc, f"{index}. {line}" + (";" if index < len(lines) else "."))

    add_paragraph(doc, "")
    add_paragraph(doc, "Эксперты:", align=WD_ALIGN_PARAGRAPH.LEFT)
    for column in data.columns:
        p = add_paragraph(doc, "", align=WD_ALIGN_PARAGRAPH.LEFT, space_after_pt=12)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(width * 0.45), WD_TAB_ALIGNMENT.LEFT)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(width), WD_TAB_ALIGNMENT.RIGHT)
        p.add_run(f"Эксперт\t____________\t{signature_name(column.assignment.expert)}")
    add_page_numbers(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------ analytics


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


def period_expertises(user, year: int) -> QuerySet[Expertise]:
    """Closed expertises whose criteria are of ``year`` (what the analytical report covers)."""
    return with_everything(
        expertises_for(user).filter(criteria_set__year=year, status=ExpertiseStatus.CLOSED)
    ).order_by("roadmap__municipality__name", "roadmap__title", "pk")


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


#: How many criteria the chart shows (the most failing first).
CHART_CRITERIA = 12


def failure_chart_png(stats: list[CriterionFailures]) -> bytes:
    """A horizontal bar chart: share of expertises where each criterion failed (PNG, 150 dpi).

    Drawn with matplotlib's object API and the Agg canvas, without pyplot: no global state,
    safe in a web worker's threads.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    shown = [s for s in stats if s.used][:CHART_CRITERIA]
    rows = max(len(shown), 1)
    height = 1.0 + 0.5 * rows  # inches
    fig = Figure(figsize=(7.0, height), dpi=150)
    # Fixed margins instead of tight_layout(): one drawing of the figure instead of two.
    fig.subplots_adjust(left=0.45, right=0.98, top=1 - 0.15 / height, bottom=0.55 / height)
    ax = fig.add_subplot()
    labels = [textwrap.fill(textwrap.shorten(s.text, 110, placeholder="…"), 48) for s in shown]
    shares = [s.share * 100 for s in shown]
    positions = list(range(len(shown)))[::-1]
    bars = ax.barh(positions, shares, color="#1f4e79", height=0.6)
    ax.set_yticks(positions, labels=labels, fontsize=6.5)
    ax.set_xlim(0, 128)  # room for the labels beside the longest bars
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0, symbol="\u00a0%"))
    ax.set_xlabel("Доля экспертиз, где средний балл ниже половины максимального", fontsize=7.5)
    ax.tick_params(axis="x", labelsize=7)
    for bar, share, stat in zip(bars, shares, shown, strict=True):
        ax.text(
            bar.get_width() + 1.5,
            bar.get_y() + bar.get_height() / 2,
            f"{share:.0f} % ({stat.failed} из {stat.used})",
            va="center",
            fontsize=6.5,
        )
    ax.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def analytical_report(expertises: Iterable[Expertise]) -> bytes:
    """«Аналитическая справка по итогам экспертизы муниципальных программ» in Word.

    Over the given expertises (e.g. the 17 of 2023): the chart of criteria that fail most often,
    the table of those criteria, and the totals per programme. Reads everything in a fixed
    number of queries; ``bench/documents.py`` times it over 20 expertises (target: under 2 s).
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from opora.documents.docx_style import (
        add_page_numbers,
        add_paragraph,
        new_document,
        repeat_header,
        set_cell_text,
        set_col_widths,
        set_table_font,
        text_width_mm,
    )

    pks = [e.pk for e in expertises]
    loaded = list(
        with_everything(Expertise.objects.filter(pk__in=pks)).order_by(
            "roadmap__municipality__name", "roadmap__title", "pk"
        )
    )
    data = analytics(loaded)
    years = data.years
    period = (
        f"{years[0]} год"
        if len(years) == 1
        else (f"{years[0]}–{years[-1]} годы" if years else "период")
    )
    n = len(data.results)

    doc = new_document()
    width = text_width_mm(doc)
    add_paragraph(doc, _operator_name(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "")
    add_paragraph(doc, "АНАЛИТИЧЕСКАЯ СПРАВКА", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(
        doc,
        f"по итогам экспертизы муниципальных программ и «дорожных карт» по повышению качества "
        f"образования в ШНОР и ШНСУ за {period}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    add_paragraph(doc, "")
    add_paragraph(doc, long_date(timezone.localdate()), align=WD_ALIGN_PARAGRAPH.LEFT)
    add_paragraph(doc, "")
    if not n:
        add_paragraph(doc, "Завершённых экспертиз за период нет.")
    else:
        failing_any = [s for s in data.criteria if s.failed]
        mean_percent = [r.percent for r in data.results if r.percent is not None]
        average = sum(mean_percent) / len(mean_percent) if mean_percent else None
        add_paragraph(
            doc,
            f"Проведено {count(n, 'экспертиза', 'экспертизы', 'экспертиз')} "
            f"{'муниципальных программ' if n != 1 else 'муниципальной программы'}. "
            f"Средний итоговый балл — {percent(average)} от максимального. "
            f"Критерий считается невыполненным, если средний балл экспертов ниже половины "
            f"максимального; хотя бы в одной программе не выполнены "
            f"{count(len(failing_any), 'критерий', 'критерия', 'критериев')}.",
        )
        if failing_any:
            top = failing_any[0]
            add_paragraph(
                doc,
                f"Чаще всего не выполняется критерий «{top.text}» — в {top.failed} из "
                f"{top.used} программ ({percent(top.share)}).",
            )
        add_paragraph(doc, "")
        add_paragraph(
            doc, "Критерии, которые не выполняются чаще всего", bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )  # fmt: skip
        doc.add_picture(io.BytesIO(failure_chart_png(data.criteria)), width=Mm(min(width, 170)))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_paragraph(
            doc,
            "Рисунок 1. Доля экспертиз, в которых критерий не выполнен",
            align=WD_ALIGN_PARAGRAPH.CENTER,
            size_pt=12,
        )
        add_paragraph(doc, "")

        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(
            table.rows[0].cells,
            ["№", "Критерий", "Не выполнен", "Доля", "Средний балл, % от макс."],
            strict=True,
        ):
            set_cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        repeat_header(table.rows[0])
        for index, stat in enumerate(data.criteria, start=1):
            cells = table.add_row().cells
            for i, (cell, text) in enumerate(
                zip(
                    cells,
                    [
                        str(index),
                        stat.text,
                        f"{stat.failed} из {stat.used}",
                        percent(stat.share),
                        percent(stat.mean_share),
                    ],
                    strict=True,
                )
            ):
                set_cell_text(cell, text, align=None if i == 1 else WD_ALIGN_PARAGRAPH.CENTER)
        set_col_widths(table, [10, width - 10 - 26 - 20 - 30, 26, 20, 30])
        set_table_font(table)

        add_paragraph(doc, "")
        add_paragraph(doc, "Итоги экспертиз", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        totals = doc.add_table(rows=1, cols=6)
        totals.style = "Table Grid"
        totals.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(
            totals.rows[0].cells,
            [
                "№",
                "Муниципалитет, программа",
                "Итоговый балл",
                "% от макс.",
                "Не выполнено критериев",
                "Согласованность экспертов",
            ],
            strict=True,
        ):
            set_cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        repeat_header(totals.rows[0])
        for index, result in enumerate(data.results, start=1):
            roadmap = result.expertise.roadmap
            cells = totals.add_row().cells
            values = [
                str(index),
                f"{roadmap.owner_label}: {roadmap.title}",
                f"{_number(result.total_mean)} из {_number(result.total_max)}",
                percent(result.percent),
                str(len(result.failing)),
                percent(result.agreement_share) if result.compared else "—",
            ]
            for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
                set_cell_text(cell, text, align=None if i == 1 else WD_ALIGN_PARAGRAPH.CENTER)
        set_col_widths(totals, [10, width - 10 - 28 - 20 - 26 - 30, 28, 20, 26, 30])
        set_table_font(totals)
    add_page_numbers(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
