"""Coaching of listed schools: the school's self-analysis at the start of its cycle (seed 001,
task B1), the curators' work plans and visits (seed 003, events 9 and 22), and the threads in
which a curator comments on a school's self-analysis or programme and the school answers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class PracticeIndicator(models.Model):
    """An indicator of effective practice a school rates itself on (reference data, seeded by
    the migration ``0002_practice_indicators``)."""

    code = models.SlugField("код", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    area = models.CharField("направление", max_length=200)
    title = models.CharField("показатель", max_length=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "показатель эффективной практики"
        verbose_name_plural = "показатели эффективной практики"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class PracticeLevel(models.TextChoices):
    NOT_DEVELOPED = "not_developed", "не сформирован"
    PARTLY = "partly", "сформирован частично"
    FULLY = "fully", "сформирован полностью"
    NOT_PRIORITY = "not_priority", "не является приоритетом"


class AnalysisStatus(models.TextChoices):
    DRAFT = "draft", "заполняется"
    SUBMITTED = "submitted", "завершён"


class SelfAnalysis(models.Model):
    """A school's self-analysis of one year: where it stands, why results are low, what it
    realistically aims at."""

    school = models.ForeignKey(
        "registry.School", verbose_name="школа", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("год")
    status = models.CharField(
        "состояние", max_length=20, choices=AnalysisStatus.choices, default=AnalysisStatus.DRAFT
    )
    internal_causes = models.TextField("внутренние причины низких результатов", blank=True)
    external_causes = models.TextField("внешние причины низких результатов", blank=True)
    goals = models.TextField("реалистичные цели и задачи", blank=True)
    submitted_at = models.DateTimeField("завершён", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "самоанализ школы"
        verbose_name_plural = "самоанализы школ"
        ordering = ["-year", "school__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="coaching_one_analysis_a_year")
        ]

    def __str__(self) -> str:
        return f"Самоанализ {self.school} ({self.year})"

    @property
    def is_submitted(self) -> bool:
        return self.status == AnalysisStatus.SUBMITTED


class IndicatorRating(models.Model):
    """The school's level on one indicator, the evidence for it, and whether it is a priority
    (a priority moves into the school's programme as an event)."""

    analysis = models.ForeignKey(SelfAnalysis, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(
        PracticeIndicator, on_delete=models.PROTECT, related_name="ratings"
    )
    level = models.CharField("уровень", max_length=20, choices=PracticeLevel.choices, blank=True)
    evidence = models.TextField("обоснование", blank=True)
    is_priority = models.BooleanField("приоритет", default=False)
    event = models.ForeignKey(
        "roadmaps.RoadmapEvent",
        verbose_name="мероприятие программы",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "оценка показателя"
        verbose_name_plural = "оценки показателей"
        ordering = ["indicator__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "indicator"], name="coaching_one_rating_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.get_level_display() or '—'}"


class VisitKind(models.TextChoices):
    PROJECT_SESSION = "project_session", "выездная проектная сессия"
    METHODICAL = "methodical", "методический выезд"
    CONSULTATION = "consultation", "консультация"


class WorkPlan(models.Model):
    """A curator's work plan for one assigned municipality and year (seed 003, event 9)."""

    curator = models.ForeignKey(
        "people.Person", verbose_name="куратор", on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        verbose_name="муниципалитет",
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("год")
    note = models.TextField("направления работы", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "план работы куратора"
        verbose_name_plural = "планы работы кураторов"
        ordering = ["-year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["curator", "municipality", "year"], name="coaching_one_plan_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"План работы куратора {self.curator} — {self.municipality} ({self.year})"


class PlanTarget(models.Model):
    """«3 проектные сессии в каждом муниципалитете», «4 методических выезда»."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField("вид работы", max_length=20, choices=VisitKind.choices)
    quantity = models.PositiveSmallIntegerField("сколько")
    note = models.CharField("уточнение", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "цель плана"
        verbose_name_plural = "цели плана"
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="coaching_one_target_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.quantity}"


class SpanTarget(models.Model):
    """A curator's target across several named municipalities for a year — «4 методических
    выезда в Каргасокском и Парабельском районах» (seed 003, event 9). It counts the curator's
    visits of its kind in the plans of those municipalities, to the curator's own schools
    there (and those to a municipality as a whole); visits elsewhere do not count."""

    curator = models.ForeignKey(
        "people.Person", verbose_name="куратор", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("год")
    kind = models.CharField("вид работы", max_length=20, choices=VisitKind.choices)
    quantity = models.PositiveSmallIntegerField("сколько")
    municipalities = models.ManyToManyField(
        "registry.Municipality", verbose_name="муниципалитеты", related_name="+"
    )
    note = models.CharField("уточнение", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "цель куратора по нескольким муниципалитетам"
        verbose_name_plural = "цели кураторов по нескольким муниципалитетам"
        ordering = ["-year", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.quantity}"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "запланирован"
    HELD = "held", "проведён"
    CANCELLED = "cancelled", "отменён"


class Visit(models.Model):
    """A visit of the plan: planned for a date, then reported with findings; its
    recommendations join the recommendation tracker."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField("вид", max_length=20, choices=VisitKind.choices)
    school = models.ForeignKey(
        "registry.School",
        verbose_name="школа",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    planned_on = models.DateField("дата по плану")
    held_on = models.DateField("дата проведения", null=True, blank=True)
    status = models.CharField(
        "состояние", max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    topic = models.CharField("тема", max_length=500, blank=True)
    findings = models.TextField("что увидели", blank=True)
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "выезд куратора"
        verbose_name_plural = "выезды кураторов"
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.school or self.plan.municipality}"

    @property
    def is_planned(self) -> bool:
        return self.status == VisitStatus.PLANNED


class Comment(models.Model):
    """One message of a coaching thread about a school's self-analysis, its programme or one
    of its progress reports on a roadmap event; a reply names its ``parent``."""

    school = models.ForeignKey(
        "registry.School", verbose_name="школа", on_delete=models.CASCADE, related_name="+"
    )
    analysis = models.ForeignKey(
        SelfAnalysis, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    roadmap = models.ForeignKey(
        "roadmaps.Roadmap", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(
        "roadmaps.ProgressReport",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("комментарий")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "комментарий"
        verbose_name_plural = "комментарии"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(analysis__isnull=False)
                | models.Q(roadmap__isnull=False)
                | models.Q(report__isnull=False),
                name="coaching_comment_has_subject",
            )
        ]

    def __str__(self) -> str:
        return self.text[:100]
