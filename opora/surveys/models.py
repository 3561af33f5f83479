"""Questionnaires (seed 003, event 6): the builder, the campaigns that send them to schools,
and the answers.

Anonymity is a property of the tables, not of the pages: a ``Response`` has no user, no
address, no browser and no time of day — only the school, the audience and the date. A staff
member who answered is written down in ``Participation`` (so that nobody answers twice and the
school sees who is missing), in a table that has no link to what they answered.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Audience(models.TextChoices):
    HEAD = "head", "руководитель школы"
    TEACHERS = "teachers", "педагоги"
    PUPILS = "pupils", "обучающиеся"
    PARENTS = "parents", "родители"


#: Answer through a link of the school, without signing in.
ANONYMOUS = frozenset({Audience.PUPILS, Audience.PARENTS})
#: Answer signed in as a user of the school.
STAFF = frozenset({Audience.HEAD, Audience.TEACHERS})


class AudienceTraits:
    """What follows from a model's ``audience``: how it is answered, whose link it is."""

    @property
    def is_anonymous(self) -> bool:
        """Answered through a link of the school, without signing in."""
        return self.audience in ANONYMOUS

    @property
    def for_head(self) -> bool:
        return self.audience == Audience.HEAD

    @property
    def for_teachers(self) -> bool:
        return self.audience == Audience.TEACHERS

    @property
    def link_for(self) -> str:
        """Whom the school's anonymous link is for: «Ссылка для учеников»."""
        return "учеников" if self.audience == Audience.PUPILS else "родителей"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "один вариант"
    MULTIPLE = "multiple", "несколько вариантов"
    SCALE = "scale", "шкала"
    NUMBER = "number", "число"
    TEXT = "text", "текст"
    MATRIX = "matrix", "матрица"


#: Kinds whose answers are chosen from ``options``.
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.MATRIX})


class Questionnaire(AudienceTraits, models.Model):
    title = models.CharField("название", max_length=500)
    description = models.TextField(
        "обращение к респонденту",
        blank=True,
        help_text="Показывается над анкетой: зачем она, сколько займёт времени, что ответы анонимны.",
    )
    audience = models.CharField("кому", max_length=10, choices=Audience.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "анкета"
        verbose_name_plural = "анкеты"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("раздел", max_length=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "раздел анкеты"
        verbose_name_plural = "разделы анкеты"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField("вид", max_length=10, choices=QuestionKind.choices)
    text = models.TextField("вопрос")
    hint = models.CharField("подсказка", max_length=500, blank=True)
    required = models.BooleanField("обязательный", default=True)
    options = models.JSONField(
        "варианты ответа", default=list, blank=True, help_text="Для матрицы — столбцы."
    )
    rows = models.JSONField("строки матрицы", default=list, blank=True)
    scale_min = models.SmallIntegerField("от", null=True, blank=True)
    scale_max = models.SmallIntegerField("до", null=True, blank=True)
    code = models.SlugField(
        "код для правил рисков",
        max_length=50,
        blank=True,
        help_text="Латиницей, например «equipment»: по нему правило уровня риска находит вопрос.",
    )
    show_if = models.ForeignKey(
        "self",
        verbose_name="показывать, если на вопрос",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
    )
    show_if_option = models.CharField("ответили", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "вопрос анкеты"
        verbose_name_plural = "вопросы анкеты"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_scale(self) -> bool:
        return self.kind == QuestionKind.SCALE

    @property
    def is_text(self) -> bool:
        return self.kind == QuestionKind.TEXT

    @property
    def input_template(self) -> str:
        """The partial that renders the answer's input, one per kind."""
        return f"surveys/questions/{self.kind}.html"

    def scale_values(self) -> list[int]:
        if self.kind != QuestionKind.SCALE or self.scale_min is None or self.scale_max is None:
            return []
        return list(range(self.scale_min, self.scale_max + 1))


class Campaign(models.Model):
    """A sending of questionnaires to chosen schools for a period: one or several audiences
    (``audiences``), each with its questionnaire — its own or one shared by several."""

    title = models.CharField("название", max_length=500)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "анкетирование"
        verbose_name_plural = "анкетирования"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def sendings(self) -> list[CampaignAudience]:
        """The campaign's audiences in the order of ``Audience`` (prefetch ``audiences``)."""
        order = list(Audience.values)
        return sorted(self.audiences.all(), key=lambda a: order.index(a.audience))

    def sending(self, audience: str) -> CampaignAudience | None:
        return next((a for a in self.sendings if a.audience == audience), None)

    @property
    def audience_names(self) -> str:
        """«обучающиеся, родители»."""
        return ", ".join(a.get_audience_display() for a in self.sendings)

    @property
    def questionnaires(self) -> list[Questionnaire]:
        """Each questionnaire once, in the order of the audiences."""
        seen: dict[int, Questionnaire] = {}
        for a in self.sendings:
            seen.setdefault(a.questionnaire_id, a.questionnaire)
        return list(seen.values())

    @property
    def has_anonymous(self) -> bool:
        return any(a.is_anonymous for a in self.sendings)


class CampaignAudience(AudienceTraits, models.Model):
    """Whom a campaign asks and with which questionnaire: «родители — «Анкета для родителей»».
    Several audiences of a campaign may share one questionnaire; their results are kept apart
    (``Response.audience``, ``Answer.audience``, ``Tally.audience``) and summed when read
    together."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="audiences")
    audience = models.CharField("кому", max_length=10, choices=Audience.choices)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="анкета", on_delete=models.PROTECT, related_name="sendings"
    )

    class Meta:
        verbose_name = "адресат анкетирования"
        verbose_name_plural = "адресаты анкетирования"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "audience"], name="survey_audience_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()}: {self.questionnaire}"


class CampaignSchool(models.Model):
    """A school the campaign is sent to, with its anonymous links (``links``, one per audience
    of pupils or parents). Every response of the school passes through a lock of this row."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    school = models.ForeignKey("registry.School", on_delete=models.PROTECT, related_name="+")
    reminded_on = models.DateField("напомнили", null=True, blank=True)

    class Meta:
        verbose_name = "школа анкетирования"
        verbose_name_plural = "школы анкетирования"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="survey_one_target")
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.campaign}"


class SchoolLink(AudienceTraits, models.Model):
    """The anonymous link of a school for one audience of a campaign (pupils or parents)."""

    target = models.ForeignKey(CampaignSchool, on_delete=models.CASCADE, related_name="links")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    token = models.CharField("ключ ссылки", max_length=64, unique=True)

    class Meta:
        verbose_name = "ссылка школы"
        verbose_name_plural = "ссылки школ"
        constraints = [
            models.UniqueConstraint(fields=["target", "audience"], name="survey_one_link_each")
        ]

    def __str__(self) -> str:
        return f"{self.target} — {self.get_audience_display()}"


class Response(models.Model):
    """One filled questionnaire. Deliberately without user, address, browser or time of day.

    ``receipt`` is the random key the form was shown with: the same form sent twice (a double
    tap, a retried request on a bad connection) is stored once.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    school = models.ForeignKey("registry.School", on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    submitted_on = models.DateField("дата ответа")
    receipt = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "заполненная анкета"
        verbose_name_plural = "заполненные анкеты"
        indexes = [models.Index(fields=["campaign", "school"])]

    def __str__(self) -> str:
        return f"Анкета № {self.pk}"


class Answer(models.Model):
    """One value of a response: a chosen option (one row per option of a multiple choice, per
    row of a matrix), a number (a scale's value is also kept as ``number``) or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Copied from the response: the results group by them without a join.
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("registry.School", on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    row = models.PositiveSmallIntegerField(default=0)
    option = models.CharField(max_length=300, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = "ответ на вопрос"
        verbose_name_plural = "ответы на вопросы"
        indexes = [
            models.Index(fields=["campaign", "question", "row", "option"]),
            models.Index(fields=["campaign", "school", "question"]),
            models.Index(fields=["campaign", "audience", "question"]),
        ]

    def __str__(self) -> str:
        return self.option or self.text[:40] or str(self.number)


class Participation(models.Model):
    """That a staff member answered (not what): one answer each per audience, the head's once
    per school."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    school = models.ForeignKey("registry.School", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    answered_on = models.DateField()

    class Meta:
        verbose_name = "участие сотрудника"
        verbose_name_plural = "участие сотрудников"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "audience", "user"], name="survey_one_answer_each"
            ),
            models.UniqueConstraint(
                fields=["campaign", "school"],
                condition=Q(audience="head"),
                name="survey_one_head_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.campaign}"


#: ``Tally.row`` of the question as a whole: how many answered it, the sum of their numbers.
WHOLE_QUESTION = -1


class Tally(models.Model):
    """Running totals of a campaign per school, audience and question, so that the results page reads
    a few hundred rows instead of every answer (``opora.surveys.tallies``).

    A row per chosen option (``row`` of a matrix, ``option``): how many chose it; and a row
    per question (``row`` = :data:`WHOLE_QUESTION`, no option): how many answered it and the
    sum of the numbers given (a scale's or a number question's mean is ``total / n``).
    Updated in the transaction that stores a response, under a lock of the school's place in
    the campaign (``CampaignSchool``), so concurrent answers neither lose nor double a count.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("registry.School", on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    row = models.SmallIntegerField(default=0)
    option = models.CharField(max_length=300, blank=True)
    n = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = "итог ответов"
        verbose_name_plural = "итоги ответов"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "school", "audience", "question", "row", "option"],
                name="survey_one_tally_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.row}/{self.option}: {self.n}"
