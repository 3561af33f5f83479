"""Roadmaps at three levels, their events, deadlines, executors and progress with evidence.

Every imported cell keeps its original text (``raw``) beside what was parsed out of it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class RoadmapLevel(models.TextChoices):
    REGION = "region", "региональная"
    MUNICIPALITY = "municipality", "муниципальная"
    SCHOOL = "school", "школьная"


class RoadmapStatus(models.TextChoices):
    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "на согласовании"
    RETURNED = "returned", "возвращена на доработку"
    APPROVED = "approved", "утверждена"
    ARCHIVED = "archived", "в архиве"


class Roadmap(models.Model):
    level = models.CharField("уровень", max_length=20, choices=RoadmapLevel.choices)
    municipality = models.ForeignKey(
        "registry.Municipality",
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roadmaps",
    )
    school = models.ForeignKey(
        "registry.School",
        verbose_name="школа",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roadmaps",
    )
    owner_name = models.CharField(
        "владелец (как в документе)",
        max_length=300,
        blank=True,
        help_text="Например, «ДОО ТО» или «УООиП Каргасокского района».",
    )
    title = models.CharField("наименование", max_length=1000)
    period_start = models.DateField("начало периода")
    period_end = models.DateField("конец периода")
    goal = models.TextField("цель", blank=True)
    tasks = models.JSONField("задачи", default=list, blank=True)
    status = models.CharField(
        "статус", max_length=20, choices=RoadmapStatus.choices, default=RoadmapStatus.DRAFT
    )
    approval_kind = models.CharField("вид документа об утверждении", max_length=100, blank=True)
    approval_number = models.CharField("номер документа", max_length=50, blank=True)
    approval_date = models.DateField("дата документа", null=True, blank=True)
    approval_file = models.FileField("файл документа", upload_to="roadmaps/approvals/", blank=True)
    version = models.PositiveSmallIntegerField("версия", default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name="предыдущая версия",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
    )
    source_name = models.CharField("исходный файл", max_length=300, blank=True)
    has_indicator_column = models.BooleanField(default=False)
    has_evidence_column = models.BooleanField(default=False)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-period_start", "level", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="roadmap_period_order"
            ),
            models.CheckConstraint(
                condition=Q(level="region", municipality__isnull=True, school__isnull=True)
                | Q(level="municipality", municipality__isnull=False, school__isnull=True)
                | Q(level="school", school__isnull=False),
                name="roadmap_owner_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        if self.school_id:
            return self.school.short_name
        if self.municipality_id:
            return self.municipality.name
        return self.owner_name or "Регион"

    @property
    def period(self) -> tuple[date, date]:
        return (self.period_start, self.period_end)

    @property
    def is_editable(self) -> bool:
        return self.status in (RoadmapStatus.DRAFT, RoadmapStatus.RETURNED)

    @property
    def is_regional(self) -> bool:
        return self.level == RoadmapLevel.REGION

    @property
    def awaits_approval(self) -> bool:
        return self.status == RoadmapStatus.SUBMITTED

    @property
    def may_be_approved(self) -> bool:
        """Not approved yet and not archived: a reviewer may still approve it."""
        return self.status not in (RoadmapStatus.APPROVED, RoadmapStatus.ARCHIVED)

    @property
    def is_approved(self) -> bool:
        return self.status == RoadmapStatus.APPROVED

    @property
    def is_archived(self) -> bool:
        return self.status == RoadmapStatus.ARCHIVED

    @property
    def sends_tasks_letter(self) -> bool:
        """A regional or municipal roadmap in force or in preparation can be sent to those who
        carry out its events (seed 001's letter with the tasks)."""
        return not self.is_archived and self.level != RoadmapLevel.SCHOOL


class RoadmapTransition(models.Model):
    """A step of the approval workflow, with the comment given at it."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=RoadmapStatus.choices)
    to_status = models.CharField(max_length=20, choices=RoadmapStatus.choices)
    comment = models.TextField("комментарий", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class RoadmapIndicator(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("показатель")
    target_value = models.CharField("целевое значение", max_length=100, blank=True)
    actual_value = models.CharField("фактическое значение", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "показатель"
        verbose_name_plural = "показатели"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.text[:80]


class RoadmapSection(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.TextField("раздел")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "раздел"
        verbose_name_plural = "разделы"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title[:80]


class DeadlineKindChoice(models.TextChoices):
    DATE = "date", "к сроку"
    PERIOD = "period", "период"
    RECURRING = "recurring", "регулярно"
    CONTINUOUS = "continuous", "постоянно"
    BY_SCHEDULE = "by_schedule", "по отдельному графику"
    UNKNOWN = "unknown", "не распознан"


class RoadmapEvent(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="events")
    section = models.ForeignKey(
        RoadmapSection, on_delete=models.CASCADE, related_name="events", null=True, blank=True
    )
    order = models.PositiveIntegerField(default=0)
    number = models.CharField("№", max_length=20, blank=True)
    text = models.TextField("мероприятие")
    deadline_text = models.CharField("сроки (как написано)", max_length=500, blank=True)
    deadline_kind = models.CharField(
        "вид срока", max_length=20, choices=DeadlineKindChoice.choices, default="unknown"
    )
    deadline = models.JSONField("сроки (распознано)", default=dict, blank=True)
    deadline_understood = models.BooleanField("срок распознан", default=False)
    starts_on = models.DateField("начало", null=True, blank=True)
    due_on = models.DateField("срок исполнения", null=True, blank=True)
    executors_text = models.CharField("исполнители (как написано)", max_length=1000, blank=True)
    executors_unknown = models.JSONField("нераспознанные исполнители", default=list, blank=True)
    indicator_text = models.TextField("показатель реализации", blank=True)
    evidence_text = models.TextField("результат (документ)", blank=True)
    target_quantity = models.PositiveIntegerField("целевое количество", null=True, blank=True)
    target_unit = models.CharField("единица", max_length=100, blank=True)
    schools = models.ManyToManyField(
        "registry.School", verbose_name="школы", blank=True, related_name="roadmap_events"
    )
    parent_event = models.ForeignKey(
        "self",
        verbose_name="исполняет мероприятие вышестоящей карты",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_events",
    )
    is_cancelled = models.BooleanField("отменено", default=False)
    origin = models.ForeignKey(
        "self",
        verbose_name="то же мероприятие предыдущей версии",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raw = models.JSONField("исходные ячейки", default=dict, blank=True)
    warnings = models.JSONField("замечания при импорте", default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["order"]
        indexes = [models.Index(fields=["roadmap", "order"]), models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.inline_number} {self.text[:80]}".strip()

    @property
    def inline_number(self) -> str:
        """The number as it reads before the event's text: «15» → «15.», «2.1» → «2.1.»;
        «11.» and «3)» as written (seeds number «15» and «11.» alike: in a line they read the same)."""
        number = (self.number or "").strip()
        return f"{number}." if number and number[-1].isalnum() else number

    @property
    def heading(self) -> str:
        """«15. Проведение …»: the event as a line of a list, a notification or an inbox."""
        return f"{self.inline_number} {self.text}".strip()


class ExecutorRole(models.TextChoices):
    SCHOOL = "school", "ОО"
    CURATOR = "curator", "кураторы"
    MUNICIPAL_AUTHORITY = "municipal_authority", "МОУО"
    METHODICAL_SERVICE = "methodical_service", "методическая служба"
    OTHER = "other", "другое"


class EventExecutor(models.Model):
    """One executor of an event: an organisation of the registry or an addressed role."""

    event = models.ForeignKey(RoadmapEvent, on_delete=models.CASCADE, related_name="executors")
    order = models.PositiveSmallIntegerField(default=0)
    written = models.CharField("как написано", max_length=300)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    role = models.CharField(max_length=30, choices=ExecutorRole.choices, blank=True)
    qualifier = models.CharField(max_length=100, blank=True)
    known = models.BooleanField(default=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.organisation_id:
            base = self.organisation.short_name
        elif self.role:
            base = self.get_role_display()
        else:
            base = self.written
        # «руководители ОО» reads right as written; «руководитель образовательные организации» not.
        return self.written if self.qualifier else base


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "не начато"
    IN_PROGRESS = "in_progress", "в работе"
    DONE = "done", "выполнено"
    DONE_LATE = "done_late", "выполнено с опозданием"
    NOT_DONE = "not_done", "не выполнено"
    CANCELLED = "cancelled", "отменено"


class ReviewState(models.TextChoices):
    PENDING = "pending", "на проверке"
    ACCEPTED = "accepted", "принят"
    RETURNED = "returned", "возвращён на доработку"


FINISHED = (ProgressStatus.DONE, ProgressStatus.DONE_LATE, ProgressStatus.CANCELLED)


class EventPeriod(models.Model):
    """A reporting period of an event: each month of a monthly one, each period of a list.

    ``status`` mirrors the latest report that was not returned, so that overdue control is
    one indexed query over tens of thousands of events.
    """

    event = models.ForeignKey(RoadmapEvent, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField("с")
    end = models.DateField("по")
    status = models.CharField(
        "состояние",
        max_length=20,
        choices=ProgressStatus.choices,
        default=ProgressStatus.NOT_STARTED,
    )

    class Meta:
        verbose_name = "отчётный период"
        verbose_name_plural = "отчётные периоды"
        ordering = ["start"]
        indexes = [models.Index(fields=["end", "status"])]

    def __str__(self) -> str:
        return f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def is_in_progress(self) -> bool:
        return self.status == ProgressStatus.IN_PROGRESS


class ProgressReport(models.Model):
    """A report on an event for one reporting period (a month of a monthly event, …).

    The owner of the roadmap reports with ``school``, ``municipality`` and ``curator`` empty;
    an addressee of the event (a school or a municipality of a regional event, a curator of an
    event addressed to curators) reports for itself, named in one of them. Who may read a report
    follows who reported it: see ``selectors.visible_reports``.
    """

    event = models.ForeignKey(RoadmapEvent, on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(
        EventPeriod, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    school = models.ForeignKey(
        "registry.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Когда отчитывается адресат регионального мероприятия.",
    )
    municipality = models.ForeignKey(
        "registry.Municipality", null=True, blank=True, on_delete=models.CASCADE
    )
    curator = models.ForeignKey(
        "people.Person",
        verbose_name="куратор",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Когда отчитывается куратор по мероприятию, адресованному кураторам.",
    )
    status = models.CharField("состояние", max_length=20, choices=ProgressStatus.choices)
    done_on = models.DateField("дата", null=True, blank=True)
    comment = models.TextField("комментарий", blank=True)
    links = models.JSONField("ссылки", default=list, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    review_state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    review_comment = models.TextField("замечание проверяющего", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "отчёт о выполнении"
        verbose_name_plural = "отчёты о выполнении"
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.event}: {self.get_status_display()}"

    @property
    def awaits_review(self) -> bool:
        return self.review_state == ReviewState.PENDING

    @property
    def is_returned(self) -> bool:
        return self.review_state == ReviewState.RETURNED


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="roadmaps/evidence/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=300, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "подтверждающий документ"
        verbose_name_plural = "подтверждающие документы"

    def __str__(self) -> str:
        return self.original_name


class ColumnMapping(models.Model):
    """How one body's roadmap files name their columns, as its user once told the import.

    ``headers`` maps a header wording (or a column number, for a column without a header) to a
    column key of the reader: ``{"Кто отвечает": "executors", "Когда": "deadline"}``. The next
    import for the same body reads its files with it; wordings learnt later are added.
    """

    level = models.CharField("уровень", max_length=20, choices=RoadmapLevel.choices)
    municipality = models.ForeignKey(
        "registry.Municipality",
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    school = models.ForeignKey(
        "registry.School",
        verbose_name="школа",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    headers = models.JSONField("колонки", default=dict)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "сопоставление колонок"
        verbose_name_plural = "сопоставления колонок"
        constraints = [
            models.UniqueConstraint(
                fields=["level"], condition=Q(level="region"), name="one_region_column_mapping"
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(level="municipality"),
                name="one_column_mapping_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["school"], condition=Q(level="school"), name="one_column_mapping_per_school"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {len(self.headers)} колонок"
