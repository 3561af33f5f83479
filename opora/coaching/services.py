"""Every write of coaching: the school's self-analysis and the priorities it moves into its
programme, the threads, the curators' plans and visits, the curators' activity report.

Each function takes the acting user, checks the permission with ``accounts.guards`` and runs in
a transaction; writes to other apps go through their services (roadmaps, recommendations,
documents).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opora.accounts.guards import require, stamp
from opora.accounts.scopes import scope_for
from opora.coaching import signals
from opora.coaching.documents import activity_report_draft
from opora.coaching.models import (
    AnalysisStatus,
    Comment,
    IndicatorRating,
    PlanTarget,
    PracticeIndicator,
    PracticeLevel,
    SelfAnalysis,
    SpanTarget,
    Visit,
    VisitKind,
    VisitStatus,
    WorkPlan,
)
from opora.core.calendar import current_year
from opora.core.russian.dates import row_date
from opora.documents import services as documents
from opora.documents.models import DocumentKind
from opora.recommendations import services as recommendations
from opora.roadmaps import authoring
from opora.roadmaps import services as roadmaps
from opora.roadmaps.models import ProgressReport, Roadmap, RoadmapSection
from opora.roadmaps.signals import send_on_commit

PRIORITY_SECTION = "Приоритеты по итогам самоанализа"
MAX_TEXT = 5000


def _text(value: str | None, limit: int = MAX_TEXT) -> str:
    return (value or "").strip()[:limit]


# ---------------------------------------------------------------- self-analysis


@transaction.atomic
def start_analysis(user, school, year: int | None = None) -> SelfAnalysis:
    """The school's self-analysis of the year, begun with one row per indicator."""
    require(user, "coaching.change_selfanalysis", school)
    analysis, _ = SelfAnalysis.objects.get_or_create(school=school, year=year or current_year())
    have = set(analysis.ratings.values_list("indicator_id", flat=True))
    IndicatorRating.objects.bulk_create(
        IndicatorRating(analysis=analysis, indicator=i)
        for i in PracticeIndicator.objects.exclude(pk__in=have)
    )
    return analysis


@dataclass
class RatingInput:
    level: str = ""
    evidence: str = ""
    is_priority: bool = False


@transaction.atomic
def save_analysis(
    user,
    analysis: SelfAnalysis,
    *,
    internal_causes: str,
    external_causes: str,
    goals: str,
    ratings: dict[int, RatingInput],
) -> SelfAnalysis:
    """Save what the school wrote (a submitted self-analysis may still be corrected).

    Example: indicator «Работают наставничество и взаимопосещение уроков» — «сформирован
    частично», «наставники закреплены за двумя молодыми учителями, взаимопосещений нет»,
    приоритет.
    """
    require(user, "coaching.change_selfanalysis", analysis.school)
    analysis = SelfAnalysis.objects.select_for_update().get(pk=analysis.pk)
    analysis.internal_causes = _text(internal_causes)
    analysis.external_causes = _text(external_causes)
    analysis.goals = _text(goals)
    rows = {r.indicator_id: r for r in analysis.ratings.select_related("indicator")}
    for indicator_id, given in ratings.items():
        row = rows.get(indicator_id)
        if row is None:
            raise ValidationError("Неизвестный показатель.")
        if given.level and given.level not in PracticeLevel.values:
            raise ValidationError("Неизвестный уровень показателя.")
        if given.is_priority and given.level in (PracticeLevel.FULLY, PracticeLevel.NOT_PRIORITY):
            raise ValidationError(
                f"«{row.indicator.title}»: приоритетом выбирают показатель, который "
                "не сформирован или сформирован частично."
            )
        row.level, row.evidence, row.is_priority = (
            given.level,
            _text(given.evidence, 3000),
            given.is_priority,
        )
        stamp(row, user).save(update_fields=["level", "evidence", "is_priority"])
    stamp(analysis, user).save()
    return analysis


@transaction.atomic
def submit_analysis(user, analysis: SelfAnalysis) -> SelfAnalysis:
    """Mark the self-analysis done: every indicator has a level, causes and goals are named."""
    require(user, "coaching.change_selfanalysis", analysis.school)
    analysis = SelfAnalysis.objects.select_for_update().get(pk=analysis.pk)
    missing = [
        r.indicator.title for r in analysis.ratings.select_related("indicator") if not r.level
    ]
    if missing:
        raise ValidationError(
            "Не выбран уровень показателей: " + "; ".join(f"«{t}»" for t in missing) + "."
        )
    if not analysis.internal_causes or not analysis.external_causes:
        raise ValidationError("Опишите внутренние и внешние причины низких результатов.")
    if not analysis.goals:
        raise ValidationError("Сформулируйте реалистичные цели.")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.submitted_at = timezone.now()
    stamp(analysis, user).save(update_fields=["status", "submitted_at", "updated_at"])
    return analysis


@transaction.atomic
def move_priorities(user, analysis: SelfAnalysis, roadmap: Roadmap) -> int:
    """Each priority not yet in the programme becomes an event of the school's draft programme
    (``roadmap``), in the section «Приоритеты по итогам самоанализа»; returns how many moved.
    Written through the roadmaps' services, which check that the programme may be edited."""
    require(user, "coaching.change_selfanalysis", analysis.school)
    if roadmap.level != "school" or roadmap.school_id != analysis.school_id:
        raise ValidationError("Приоритеты переносятся только в программу своей школы.")
    pending = list(
        analysis.ratings.filter(is_priority=True, event=None).select_related("indicator")
    )
    if not pending:
        raise ValidationError("Нет приоритетов, которые ещё не перенесены в программу.")
    section = RoadmapSection.objects.filter(roadmap=roadmap, title=PRIORITY_SECTION).first()
    if section is None:
        section = authoring.add_section(user, roadmap, PRIORITY_SECTION)
    for rating in pending:
        event = roadmaps.add_event(
            user,
            roadmap,
            section,
            text=f"{rating.indicator.title} (самоанализ: {rating.get_level_display()})",
            deadline_text="в течение учебного года",
            indicator_text=f"Показатель «{rating.indicator.title}» сформирован полностью",
        )
        rating.event = event
        stamp(rating, user).save(update_fields=["event"])
    return len(pending)


# ---------------------------------------------------------------- threads


def school_of_report(report: ProgressReport) -> int | None:
    """The school whose report it is: the addressee named in it, or the owner of the school's
    programme; None for a municipality's, a curator's or a regional owner's report."""
    if report.school_id:
        return report.school_id
    roadmap = report.event.roadmap
    return roadmap.school_id if roadmap.level == "school" else None


def _check_subject(school, analysis, roadmap, report) -> None:
    if analysis is not None and analysis.school_id != school.pk:
        raise ValidationError("Самоанализ другой школы.")
    if roadmap is not None and roadmap.school_id != school.pk:
        raise ValidationError("Программа другой школы.")
    if report is not None and school_of_report(report) != school.pk:
        raise ValidationError("Отчёт другой школы.")
    if sum(x is not None for x in (analysis, roadmap, report)) != 1:
        raise ValidationError(
            "Комментарий относится к самоанализу, к программе или к отчёту школы."
        )


@transaction.atomic
def post_comment(
    user,
    school,
    text: str,
    *,
    analysis: SelfAnalysis | None = None,
    roadmap: Roadmap | None = None,
    report: ProgressReport | None = None,
    parent: Comment | None = None,
) -> Comment:
    """A message in the school's thread about its self-analysis, its programme or one of its
    progress reports; a reply names the message it answers. Everyone in the thread is told
    (notifications)."""
    require(user, "coaching.comment_school", school)
    text = _text(text)
    if not text:
        raise ValidationError("Напишите комментарий.")
    _check_subject(school, analysis, roadmap, report)
    if parent is not None and (
        parent.school_id != school.pk
        or parent.analysis_id != getattr(analysis, "pk", None)
        or parent.roadmap_id != getattr(roadmap, "pk", None)
        or parent.report_id != getattr(report, "pk", None)
    ):
        raise ValidationError("Ответ относится к другому обсуждению.")
    comment = Comment(
        school=school,
        analysis=analysis,
        roadmap=roadmap,
        report=report,
        parent=parent.parent or parent if parent else None,
        author=user,
        text=text,
    )
    stamp(comment, user).save()
    send_on_commit(signals.comment_posted, Comment, comment=comment, user=user)
    return comment


# ---------------------------------------------------------------- plans and visits


@transaction.atomic
def create_plan(user, municipality, *, note: str = "", targets: dict[str, int] | None = None):
    """The curator's work plan for an assigned municipality this year (one per year).

    Example: Каргасокский район, targets ``{"project_session": 3, "methodical": 4}``.
    """
    require(user, "coaching.add_workplan", municipality)
    year = current_year()
    if WorkPlan.objects.filter(curator_id=user.person_id, municipality=municipality, year=year):
        raise ValidationError("План работы на этот год по этому муниципалитету уже есть.")
    plan = stamp(
        WorkPlan(curator_id=user.person_id, municipality=municipality, year=year, note=_text(note)),
        user,
    )
    plan.save()
    for kind, quantity in (targets or {}).items():
        set_target(user, plan, kind, quantity)
    return plan


@transaction.atomic
def set_target(user, plan: WorkPlan, kind: str, quantity: int, note: str = "") -> PlanTarget | None:
    """How many visits of a kind the plan promises; 0 removes the target."""
    require(user, "coaching.change_workplan", plan)
    if kind not in VisitKind.values:
        raise ValidationError("Неизвестный вид работы.")
    if not 0 <= int(quantity) <= 100:
        raise ValidationError("Цель — от 0 до 100 выездов.")
    target = PlanTarget.objects.filter(plan=plan, kind=kind).first()
    if not quantity:
        if target is not None:
            stamp(target, user).delete()
        return None
    target = target or PlanTarget(plan=plan, kind=kind, quantity=quantity)
    target.quantity, target.note = int(quantity), _text(note, 300)
    stamp(target, user).save()
    return target


@transaction.atomic
def create_span_target(
    user, *, kind: str, quantity: int, municipalities, note: str = ""
) -> SpanTarget:
    """The curator's target this year across several of his municipalities.

    Example: «methodical», 4, Каргасокский и Парабельский районы — «4 методических выезда в
    названных районах».
    """
    require(user, "coaching.add_spantarget")
    if kind not in VisitKind.values:
        raise ValidationError("Выберите вид работы.")
    if not 1 <= int(quantity) <= 100:
        raise ValidationError("Цель — от 1 до 100 выездов.")
    municipalities = list({m.pk: m for m in municipalities}.values())
    if len(municipalities) < 2:
        raise ValidationError(
            "Назовите хотя бы два муниципалитета: цель по одному задаётся в его плане работы."
        )
    scope = scope_for(user)
    foreign = [m.name for m in municipalities if not scope.covers_municipality(m.pk)]
    if foreign:
        raise ValidationError(f"Муниципалитеты не закреплены за вами: {', '.join(foreign)}.")
    target = stamp(
        SpanTarget(
            curator_id=user.person_id,
            year=current_year(),
            kind=kind,
            quantity=int(quantity),
            note=_text(note, 300),
        ),
        user,
    )
    target.save()
    target.municipalities.set(municipalities)
    return target


@transaction.atomic
def delete_span_target(user, target: SpanTarget) -> None:
    require(user, "coaching.change_spantarget", target)
    stamp(target, user).delete()


def _check_school(plan: WorkPlan, school) -> None:
    if school is not None and school.municipality_id != plan.municipality_id:
        raise ValidationError("Школа не из муниципалитета этого плана.")


@transaction.atomic
def plan_visit(
    user, plan: WorkPlan, *, kind: str, planned_on: date, school=None, topic: str = ""
) -> Visit:
    """A visit of the plan: to the municipality (a project session) or to one school."""
    require(user, "coaching.change_workplan", plan)
    if kind not in VisitKind.values:
        raise ValidationError("Выберите вид выезда.")
    _check_school(plan, school)
    if planned_on.year not in (plan.year, plan.year + 1):
        raise ValidationError(f"Дата выезда — в {plan.year} или {plan.year + 1} году.")
    visit = Visit(
        plan=plan, kind=kind, school=school, planned_on=planned_on, topic=_text(topic, 500)
    )
    stamp(visit, user).save()
    return visit


@transaction.atomic
def report_visit(
    user,
    visit: Visit,
    *,
    held_on: date,
    findings: str,
    recommendations_text: list[str],
    due_date: date | None = None,
) -> Visit:
    """The visit held: what was seen and what is recommended; each recommendation joins the
    recommendation tracker addressed to the school (and its «Ждут меня»).

    Example: findings «На уроках математики нет дифференцированных заданий», recommendations
    «Организовать взаимопосещение уроков учителями математики».
    """
    visit = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("plan", "school")
        .get(pk=visit.pk)
    )
    require(user, "coaching.change_workplan", visit.plan)
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError("Выезд отменён.")
    if held_on > timezone.localdate():
        raise ValidationError("Отчитаться можно о выезде, который уже состоялся.")
    findings = _text(findings)
    if not findings:
        raise ValidationError("Опишите, что увидели на выезде.")
    texts = [t for t in (" ".join((line or "").split()) for line in recommendations_text) if t]
    if texts and visit.school is None:
        raise ValidationError("Рекомендации даются школе: укажите школу выезда.")
    given_at = f"{visit.get_kind_display()} куратора, {row_date(held_on)}"
    given = [
        recommendations.create_for_school(
            user, visit.school, text=text, given_at=given_at, due_date=due_date
        )
        for text in texts
    ]
    visit.held_on, visit.findings, visit.status = held_on, findings, VisitStatus.HELD
    stamp(visit, user).save()
    visit.recommendations.add(*given)
    send_on_commit(signals.visit_reported, Visit, visit=visit, user=user, recommendations=given)
    return visit


@transaction.atomic
def cancel_visit(user, visit: Visit) -> Visit:
    require(user, "coaching.change_workplan", visit.plan)
    if visit.status == VisitStatus.HELD:
        raise ValidationError("Проведённый выезд не отменяется.")
    visit.status = VisitStatus.CANCELLED
    stamp(visit, user).save(update_fields=["status"])
    return visit


# ---------------------------------------------------------------- the activity report


def prepare_activity_report(user, year: int | None = None):
    """The analytical report on the curators' work of the year (seed 003, event 30): the draft
    being edited, or a new one — then edited and fixed in the documents register."""
    require(user, "coaching.prepare_activity_report")
    year = year or current_year()
    if not WorkPlan.objects.filter(year=year).exists():
        raise ValidationError(f"Планов работы кураторов на {year} год нет — справку не по чему.")
    return documents.open_draft(
        user,
        lambda: activity_report_draft(year),
        kind=DocumentKind.REPORT,
        topic=report_topic(year),
    )


def report_topic(year: int) -> str:
    return f"curators-report-{year}"
