"""Review and control: criteria and expertise, interviews with tracked recommendations,
implementation monitoring. One traceable loop: criterion → review → recommendation → the
roadmap event that carries it out → evidence → closed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

# ---------------------------------------------------------------- criteria and expertise


class CriteriaPurpose(models.TextChoices):
    MUNICIPAL_EXPERTISE = "municipal_expertise", "экспертиза муниципальных программ и дорожных карт"
    SCHOOL_MONITORING = "school_monitoring", "мониторинг школьных программ"
    EXIT_REQUIREMENTS = "exit_requirements", "требования к программе перехода в эффективный режим"


class CriteriaSet(models.Model):
    name = models.CharField("название", max_length=300)
    purpose = models.CharField("назначение", max_length=30, choices=CriteriaPurpose.choices)
    year = models.PositiveSmallIntegerField("год")
    description = models.TextField("описание", blank=True)
    is_active = models.BooleanField("действует", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "набор критериев"
        verbose_name_plural = "наборы критериев"
        ordering = ["-year", "purpose", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class CriterionGroup(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("группа", max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "группа критериев"
        verbose_name_plural = "группы критериев"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("критерий")
    guidance = models.TextField("пояснение для эксперта", blank=True)
    scale_max = models.PositiveSmallIntegerField(
        "максимальный балл", default=1, help_text="Шкала 0–1 или 0–2 и т. п."
    )
    weight = models.DecimalField("вес", max_digits=4, decimal_places=2, default=1)
    topic = models.CharField(
        "обязательная тема (для автоматической проверки)",
        max_length=300,
        blank=True,
        help_text="Если заполнено, предпроверка ищет мероприятия карты на эту тему.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "критерий"
        verbose_name_plural = "критерии"
        ordering = ["group__order", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class ExpertiseStatus(models.TextChoices):
    OPEN = "open", "идёт экспертиза"
    CLOSED = "closed", "завершена"


class Expertise(models.Model):
    roadmap = models.ForeignKey(
        "roadmaps.Roadmap",
        verbose_name="программа (дорожная карта)",
        on_delete=models.CASCADE,
        related_name="expertises",
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name="критерии", on_delete=models.PROTECT, related_name="expertises"
    )
    status = models.CharField(
        max_length=10, choices=ExpertiseStatus.choices, default=ExpertiseStatus.OPEN
    )
    due_date = models.DateField("срок", null=True, blank=True)
    conclusion = models.TextField("заключение", blank=True)
    recommendations = models.TextField("рекомендации", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "экспертиза"
        verbose_name_plural = "экспертизы"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Экспертиза: {self.roadmap}"


class ExpertAssignment(models.Model):
    expertise = models.ForeignKey(Expertise, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_assignments"
    )
    submitted_at = models.DateTimeField("оценки отправлены", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "назначение эксперта"
        verbose_name_plural = "назначения экспертов"
        constraints = [
            models.UniqueConstraint(
                fields=["expertise", "expert"], name="one_assignment_per_expert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.expertise}"


class Score(models.Model):
    assignment = models.ForeignKey(
        ExpertAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField("балл")
    comment = models.TextField("комментарий", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "оценка"
        verbose_name_plural = "оценки"
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


# ---------------------------------------------------------------- interviews and recommendations


class InterviewProtocol(models.Model):
    """A protocol of interviews with municipal authorities (seed 000)."""

    title = models.TextField("заголовок")
    place = models.CharField("место", max_length=300, blank=True)
    chairman = models.CharField("председатель", max_length=300, blank=True)
    secretary = models.CharField("секретарь", max_length=300, blank=True)
    participants = models.JSONField("участники", default=list, blank=True)
    agenda = models.JSONField("повестка", default=list, blank=True)
    document_number = models.CharField("номер письма/протокола", max_length=50, blank=True)
    document_date = models.DateField("дата документа", null=True, blank=True)
    revision_due = models.DateField("срок представления доработанных карт", null=True, blank=True)
    source_name = models.CharField("исходный файл", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "протокол собеседований"
        verbose_name_plural = "протоколы собеседований"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title[:100]


class Interview(models.Model):
    protocol = models.ForeignKey(
        InterviewProtocol, on_delete=models.CASCADE, related_name="interviews"
    )
    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.PROTECT, related_name="interviews"
    )
    date = models.DateField("дата собеседования")
    order = models.PositiveSmallIntegerField(default=0)
    name_as_written = models.CharField("муниципалитет (как в документе)", max_length=300)
    participants = models.TextField("участники от муниципалитета", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "собеседование"
        verbose_name_plural = "собеседования"
        ordering = ["date", "order"]

    def __str__(self) -> str:
        return f"{self.municipality} — {self.date:%d.%m.%Y}"


class RecommendationTemplate(models.Model):
    """The catalogue: recommendations repeat across municipalities."""

    text = models.TextField("рекомендация")
    key = models.CharField("нормализованный текст", max_length=500, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "рекомендация из каталога"
        verbose_name_plural = "каталог рекомендаций"
        ordering = ["text"]

    def __str__(self) -> str:
        return self.text[:100]


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "открыта"
    IN_WORK = "in_work", "в работе"
    DONE = "done", "выполнена"
    NOT_APPLICABLE = "not_applicable", "неприменима"


class Recommendation(models.Model):
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.CASCADE, related_name="recommendations"
    )
    expertise = models.ForeignKey(
        Expertise, null=True, blank=True, on_delete=models.CASCADE, related_name="given"
    )
    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.PROTECT, related_name="recommendations"
    )
    template = models.ForeignKey(
        RecommendationTemplate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uses",
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("рекомендация")
    raw = models.TextField("как написано", blank=True)
    status = models.CharField(
        "состояние",
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    due_date = models.DateField("срок", null=True, blank=True)
    events = models.ManyToManyField(
        "roadmaps.RoadmapEvent",
        verbose_name="мероприятия, которые её исполняют",
        blank=True,
        related_name="recommendations",
    )
    evidence = models.TextField("подтверждение", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "рекомендация"
        verbose_name_plural = "рекомендации"
        ordering = ["municipality__name", "order"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.text[:100]


class ProtocolAssignment(models.Model):
    """«Поручения ТОИПКРО»: tasks given to an organisation by the protocol."""

    protocol = models.ForeignKey(
        InterviewProtocol, on_delete=models.CASCADE, related_name="assignments"
    )
    order = models.PositiveSmallIntegerField(default=0)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    addressee = models.CharField("кому (как в документе)", max_length=300)
    text = models.TextField("поручение")
    items = models.JSONField("пункты", default=list, blank=True)
    due_date = models.DateField("срок", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "поручение"
        verbose_name_plural = "поручения"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.text[:100]


# ---------------------------------------------------------------- implementation monitoring


class DetailKind(models.TextChoices):
    TEXT = "text", "текст"
    GRADES = "grades", "охваченные классы"
    FORMS = "forms", "формы работы"
    LINKS = "links", "ссылки"
    DOCUMENT_DATE = "document_date", "дата документа"
    LEGAL_BASE = "legal_base", "устаревшая нормативная база"


class FindingLayout(models.TextChoices):
    """How the order writes the details the schools gave for an item (seed 004 uses all four)."""

    BRACKETS = "brackets", "школы через запятую, подробности в скобках"
    PARAGRAPHS = "paragraphs", "отдельный абзац о каждой школе"
    BY_VALUE = "by_value", "школы по значениям (например, по конкурсам)"
    LIST = "list", "перечень по школам после вводной фразы"


class ChecklistTemplate(models.Model):
    name = models.CharField("название", max_length=300)
    is_default = models.BooleanField("по умолчанию", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "шаблон чек-листа"
        verbose_name_plural = "шаблоны чек-листов"

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("пункт")
    finding = models.TextField(
        "формулировка в приказе",
        blank=True,
        help_text="Начало абзаца приказа, после которого перечисляются школы: «Проводятся "
        "дополнительные занятия … в ООУ №».",
    )
    instruction = models.TextField(
        "поручение школам, где пункт не выполнен",
        blank=True,
    )
    detail_kinds = models.JSONField("виды подробностей", default=list, blank=True)
    # Seed 004 numbers its findings 1–9, but a finding often reports several checks
    # («проанализированы причины … в ООУ № 5, 11 …, сформулированы цели … в ООУ № 11 …»):
    # each check is an item, and the items of one section make one paragraph of the order.
    section = models.PositiveSmallIntegerField(
        "пункт приказа",
        default=1,
        help_text="Пункты чек-листа с одним номером образуют один абзац приказа.",
    )
    partly_finding = models.TextField(
        "формулировка для частичного выполнения",
        blank=True,
        help_text="«в процессе разработки находятся …»: после неё перечисляются школы, "
        "ответившие «частично».",
    )
    layout = models.CharField(
        "как писать подробности",
        max_length=20,
        choices=FindingLayout.choices,
        default=FindingLayout.BRACKETS,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "пункт чек-листа"
        verbose_name_plural = "пункты чек-листа"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.text[:80]


class CampaignStatus(models.TextChoices):
    OPEN = "open", "идёт мониторинг"
    CLOSED = "closed", "завершён"


class MonitoringCampaign(models.Model):
    title = models.CharField("название", max_length=500)
    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.PROTECT, related_name="campaigns"
    )
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT)
    period_text = models.CharField(
        "период", max_length=200, help_text="«1 полугодие 2020-2021 учебного года»"
    )
    due_date = models.DateField("срок заполнения")
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "мониторинг реализации программ"
        verbose_name_plural = "мониторинги реализации программ"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "заполняется"
    SUBMITTED = "submitted", "отправлен"
    RETURNED = "returned", "возвращён"
    ACCEPTED = "accepted", "принят"


class CampaignSchool(models.Model):
    campaign = models.ForeignKey(
        MonitoringCampaign, on_delete=models.CASCADE, related_name="sheets"
    )
    school = models.ForeignKey("registry.School", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField("замечания", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "чек-лист школы"
        verbose_name_plural = "чек-листы школ"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="one_sheet_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.campaign}"


class Answer(models.TextChoices):
    DONE = "done", "выполнено"
    PARTLY = "partly", "частично"
    NOT_DONE = "not_done", "не выполнено"


class ChecklistAnswer(models.Model):
    sheet = models.ForeignKey(CampaignSchool, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField("ответ", max_length=10, choices=Answer.choices)
    details = models.JSONField("подробности", default=dict, blank=True)
    comment = models.TextField("комментарий", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ответ чек-листа"
        verbose_name_plural = "ответы чек-листа"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_answer_display()}"
