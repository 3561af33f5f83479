"""Professional development: diagnostics of competences, deficits, the offer, individual
routes (ИОМ) and the calendar of support events (issue 14).

Teachers are ``people.Person`` rows of their school; a teacher who signs in is a user with the
role «Педагог» linked to their person. Diagnostics and routes are personal data: who may read
them by name is decided in :mod:`opora.development.rules`, everybody else reads aggregates.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from opora.people.models import Person
from opora.registry.models import Municipality, School

#: The default level (per cent of the maximum) under which an area is a deficit.
DEFAULT_THRESHOLD = Decimal("60")


class CompetenceArea(models.Model):
    """An area of professional competence («Предметные компетенции», «Оценивание»); the region
    sets the level under which a teacher's result is a deficit."""

    title = models.CharField("область компетенций", max_length=200, unique=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    threshold = models.DecimalField(
        "дефицит ниже, %",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "область компетенций"
        verbose_name_plural = "области компетенций"
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class TeamKind(models.TextChoices):
    TEACHING = "teaching", "педагогическая команда"
    MANAGEMENT = "management", "управленческая команда"


class Diagnostic(models.Model):
    """One imported file of diagnostics of professional competences."""

    title = models.CharField("диагностика", max_length=300)
    year = models.PositiveSmallIntegerField("год")
    held_on = models.DateField("дата проведения", null=True, blank=True)
    file_name = models.CharField("файл", max_length=300, blank=True)
    imported_at = models.DateTimeField("загружена", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "диагностика профессиональных компетенций"
        verbose_name_plural = "диагностики профессиональных компетенций"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class DiagnosticResult(models.Model):
    """A teacher's result in one area; the original cell texts are kept beside the score.

    ``is_latest`` marks the result of the most recent diagnostics of this person in this
    area: the deficit views read only those, so a route done and a new diagnostic change them.
    Rows are written by the import only and never edited (the file is the record).
    """

    # A region's import writes 200 000 rows, so the table carries only what reads need:
    # no index of a foreign key alone (reads go by (school, is_latest) and (person,
    # is_latest) below, the aggregates read :class:`DeficitSummary`; deleting a diagnostic
    # or an area scans, as only the admin does it) and no constraint in the database
    # (PostgreSQL checks one row by one at commit: 8 s of a 10 s import). The ids come from
    # the database inside the import's own transaction, which also checks them all at once
    # (``importing._check_references``); Django still cascades and protects on delete.
    diagnostic = models.ForeignKey(
        Diagnostic,
        on_delete=models.CASCADE,
        related_name="results",
        db_index=False,
        db_constraint=False,
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="diagnostics",
        db_index=False,
        db_constraint=False,
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="diagnostics",
        db_index=False,
        db_constraint=False,
    )
    team = models.CharField("команда", max_length=20, choices=TeamKind.choices)
    position = models.CharField("должность", max_length=200, blank=True)
    subject = models.CharField("предмет", max_length=200, blank=True)
    area = models.ForeignKey(
        CompetenceArea,
        on_delete=models.PROTECT,
        related_name="results",
        db_index=False,
        db_constraint=False,
    )
    score = models.DecimalField("результат, %", max_digits=5, decimal_places=2)
    written = models.CharField("балл или уровень (как в файле)", max_length=100)
    is_latest = models.BooleanField(default=True)

    class Meta:
        verbose_name = "результат диагностики"
        verbose_name_plural = "результаты диагностики"
        indexes = [
            models.Index(fields=["school", "is_latest"], name="dev_result_school_latest"),
            models.Index(fields=["person", "is_latest"], name="dev_result_person_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.score} %"


class DeficitSummary(models.Model):
    """The latest results of a school in one area, counted: how many teachers were assessed
    and how many are under the area's level. The region's and a municipality's aggregates
    read these 6 000 rows instead of 200 000 results.

    Derived data, never edited: :func:`opora.development.summaries.recount` rewrites the rows
    of the schools an import touched (and of every school when a level changes), in the same
    transaction, from the results themselves — so the summary always equals a recount."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(CompetenceArea, on_delete=models.CASCADE, related_name="+")
    assessed = models.PositiveIntegerField("оценено педагогов")
    in_deficit = models.PositiveIntegerField("в дефиците")

    class Meta:
        verbose_name = "сводка дефицитов школы"
        verbose_name_plural = "сводки дефицитов школ"
        constraints = [
            models.UniqueConstraint(fields=["school", "area"], name="dev_summary_school_area")
        ]

    def __str__(self) -> str:
        return f"{self.school_id}/{self.area_id}: {self.in_deficit} из {self.assessed}"


class OfferKind(models.TextChoices):
    COURSE = "course", "курсы повышения квалификации"
    SEMINAR = "seminar", "семинар"
    WEBINAR = "webinar", "вебинар"
    INTERNSHIP = "internship", "стажировка"
    MENTORING = "mentoring", "программа наставничества"
    VISIT = "visit", "методический выезд"


class OfferFormat(models.TextChoices):
    ONSITE = "onsite", "очно"
    ONLINE = "online", "дистанционно"
    BLENDED = "blended", "очно-заочно"


class Offer(models.Model):
    """An offer of the catalogue: a course (КПК) with hours, a seminar, an internship …"""

    kind = models.CharField("вид", max_length=20, choices=OfferKind.choices)
    title = models.CharField("название", max_length=500)
    provider = models.CharField("кто проводит", max_length=300, blank=True)
    hours = models.PositiveSmallIntegerField("часов", null=True, blank=True)
    starts_on = models.DateField("начало", null=True, blank=True)
    ends_on = models.DateField("окончание", null=True, blank=True)
    format = models.CharField(
        "формат", max_length=20, choices=OfferFormat.choices, default=OfferFormat.ONSITE
    )
    topics = models.TextField("темы", blank=True)
    areas = models.ManyToManyField(
        CompetenceArea, verbose_name="области компетенций", related_name="offers"
    )
    for_management = models.BooleanField("для управленческих команд", default=False)
    is_active = models.BooleanField("в каталоге", default=True)
    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        verbose_name = "предложение каталога"
        verbose_name_plural = "каталог повышения квалификации"
        ordering = ["kind", "starts_on", "title"]

    def __str__(self) -> str:
        return self.title


class RouteStatus(models.TextChoices):
    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "на утверждении"
    APPROVED = "approved", "утверждён"


class Route(models.Model):
    """An individual route (ИОМ) of a teacher, or the route of a school's management team."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="routes")
    person = models.ForeignKey(
        Person,
        verbose_name="педагог",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routes",
    )
    team = models.CharField("команда", max_length=20, choices=TeamKind.choices)
    year = models.PositiveSmallIntegerField("год")
    status = models.CharField(
        "состояние", max_length=20, choices=RouteStatus.choices, default=RouteStatus.DRAFT
    )
    note = models.TextField("комментарий", blank=True)
    approved_at = models.DateTimeField("утверждён", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "индивидуальный образовательный маршрут"
        verbose_name_plural = "индивидуальные образовательные маршруты"
        ordering = ["school", "team", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                condition=Q(person__isnull=False),
                name="dev_one_route_per_teacher_year",
            ),
            models.UniqueConstraint(
                fields=["school", "year"],
                condition=Q(person__isnull=True),
                name="dev_one_team_route_per_school_year",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(team="management"),
                name="dev_route_has_owner",
            ),
        ]

    def __str__(self) -> str:
        if self.person_id:
            return f"ИОМ: {self.person}"
        return f"Маршрут управленческой команды: {self.school}"

    @property
    def awaits_approval(self) -> bool:
        return self.status == RouteStatus.SUBMITTED


class StepStatus(models.TextChoices):
    PLANNED = "planned", "запланировано"
    ENROLLED = "enrolled", "записан"
    ATTENDED = "attended", "участвовал"
    COMPLETED = "completed", "завершено"


def certificate_path(step, filename: str) -> str:
    return f"development/certificates/{step.route_id}/{secrets.token_hex(8)}-{filename[-80:]}"


class RouteStep(models.Model):
    """One offer on a route, with the deficit it answers and how far it went."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="steps")
    offer = models.ForeignKey(
        Offer, verbose_name="предложение", on_delete=models.PROTECT, related_name="steps"
    )
    area = models.ForeignKey(
        CompetenceArea,
        verbose_name="дефицит",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "ход", max_length=20, choices=StepStatus.choices, default=StepStatus.PLANNED
    )
    completed_on = models.DateField("завершено", null=True, blank=True)
    certificate = models.FileField("удостоверение", upload_to=certificate_path, blank=True)
    certificate_name = models.CharField("имя файла", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "шаг маршрута"
        verbose_name_plural = "шаги маршрута"
        ordering = ["offer__starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["route", "offer"], name="dev_step_offer_once"),
        ]

    def __str__(self) -> str:
        return str(self.offer)


class EventKind(models.TextChoices):
    WEBINAR = "webinar", "вебинар"
    SEMINAR = "seminar", "семинар"
    COURSE_SESSION = "course_session", "занятие курсов"
    VISIT = "visit", "методический выезд"
    CURATOR_SESSION = "curator_session", "проектная сессия кураторов"
    ASSOCIATION = "association", "заседание методического объединения"


class SupportEvent(models.Model):
    """An event of the calendar of methodical support. A municipal event belongs to its
    municipality; a regional one (no municipality) is open to every school."""

    kind = models.CharField("вид", max_length=20, choices=EventKind.choices)
    title = models.CharField("тема", max_length=500)
    starts_at = models.DateTimeField("начало")
    ends_at = models.DateTimeField("окончание")
    place = models.CharField("место", max_length=300, blank=True)
    link = models.URLField("ссылка на трансляцию", blank=True)
    audience = models.CharField("для кого", max_length=300, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="support_events",
    )
    offer = models.ForeignKey(
        Offer,
        verbose_name="предложение каталога",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    outcome = models.TextField("итоги", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "мероприятие методической поддержки"
        verbose_name_plural = "календарь методической поддержки"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="dev_event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ParticipantRole(models.TextChoices):
    LISTENER = "listener", "слушатель"
    SPEAKER = "speaker", "выступает с практикой"


class Registration(models.Model):
    """A teacher registered for an event, and whether they came. A speaker shares a practice
    (``topic``): the municipal indicator of teachers who spread successful practice."""

    event = models.ForeignKey(SupportEvent, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(
        "участие", max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.LISTENER
    )
    topic = models.CharField("тема выступления", max_length=500, blank=True)
    attended = models.BooleanField("присутствовал", null=True, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "регистрация на мероприятие"
        verbose_name_plural = "регистрации на мероприятия"
        ordering = ["school", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="dev_register_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.event}"


def material_path(material, filename: str) -> str:
    return f"development/materials/{material.event_id}/{secrets.token_hex(8)}-{filename[-80:]}"


class EventMaterial(models.Model):
    event = models.ForeignKey(SupportEvent, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField("файл", upload_to=material_path)
    original_name = models.CharField("имя файла", max_length=300)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "материал мероприятия"
        verbose_name_plural = "материалы мероприятий"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class CalendarFeed(models.Model):
    """The secret address of a user's iCalendar feed; a new token revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "календарь для подписки"
        verbose_name_plural = "календари для подписки"

    def __str__(self) -> str:
        return f"Календарь {self.user}"


class Measure(models.TextChoices):
    COURSES = (
        "courses",
        "доля руководителей и педагогов школ из списка, прошедших персонифицированные КПК",
    )
    PRACTICE = "practice", "количество и доля педагогов, распространяющих успешные практики"
    ENROLLED = "enrolled", "доля педагогов школ из списка, участвующих в КПК (цель — 100 %)"


class IndicatorLink(models.Model):
    """A roadmap indicator whose actual value is computed here from the rows it counts."""

    indicator = models.OneToOneField(
        "roadmaps.RoadmapIndicator", on_delete=models.CASCADE, related_name="development_link"
    )
    measure = models.CharField("как считается", max_length=20, choices=Measure.choices)
    value = models.CharField("рассчитано", max_length=100, blank=True)
    computed_at = models.DateTimeField("рассчитано", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "расчётный показатель"
        verbose_name_plural = "расчётные показатели"

    def __str__(self) -> str:
        return f"{self.indicator}: {self.get_measure_display()}"


# ================================================================ mentoring and professional contests
# (issue 14: mentor–teacher pairs, the school pairs of seed 002 event 25 with their joint
# activities; professional contests with stages, participants and results). The school pairs
# themselves are ``people.SchoolPair``: only their log lives here.


class MentorPair(models.Model):
    """A mentor and the teacher they support in a year — in one school or across schools
    («межшкольное наставничество», seed 000)."""

    year = models.PositiveSmallIntegerField("год")
    mentor = models.ForeignKey(
        Person, verbose_name="наставник", on_delete=models.PROTECT, related_name="mentees"
    )
    mentor_school = models.ForeignKey(
        School, verbose_name="школа наставника", on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey(
        Person, verbose_name="педагог", on_delete=models.PROTECT, related_name="mentors"
    )
    school = models.ForeignKey(
        School, verbose_name="школа педагога", on_delete=models.CASCADE, related_name="mentoring"
    )
    focus = models.CharField("направление работы", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "пара «наставник — педагог»"
        verbose_name_plural = "пары «наставник — педагог»"
        ordering = ["-year", "school", "mentee__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "mentee", "year"], name="dev_mentor_pair_once_a_year"
            ),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="dev_mentor_is_not_mentee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"

    @property
    def across_schools(self) -> bool:
        return self.mentor_school_id != self.school_id


class ActivityKind(models.TextChoices):
    LESSON_VISIT = "lesson_visit", "посещение урока"
    OPEN_LESSON = "open_lesson", "открытый урок"
    CONSULTATION = "consultation", "консультация"
    JOINT_PLANNING = "joint_planning", "совместная разработка урока"
    SEMINAR = "seminar", "совместный семинар"
    TEACHER_EXCHANGE = "exchange", "преподавание в школе-партнёре"
    OTHER = "other", "другое"


def activity_path(activity, filename: str) -> str:
    return f"development/mentoring/{secrets.token_hex(8)}-{filename[-80:]}"


class MentoringActivity(models.Model):
    """A joint activity of a mentor pair or of a pair of schools: date, kind, topic, outcome
    and, if there is one, a file (a lesson plan, a protocol)."""

    mentor_pair = models.ForeignKey(
        MentorPair, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    school_pair = models.ForeignKey(
        "people.SchoolPair",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    held_on = models.DateField("дата")
    kind = models.CharField("вид", max_length=20, choices=ActivityKind.choices)
    topic = models.CharField("тема", max_length=500)
    outcome = models.TextField("результат", blank=True)
    file = models.FileField("файл", upload_to=activity_path, blank=True)
    file_name = models.CharField("имя файла", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "совместное мероприятие пары"
        verbose_name_plural = "журнал совместной работы"
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mentor_pair__isnull=False, school_pair__isnull=True)
                | Q(mentor_pair__isnull=True, school_pair__isnull=False),
                name="dev_activity_of_one_pair",
            )
        ]

    def __str__(self) -> str:
        return self.topic


class ContestLevel(models.TextChoices):
    SCHOOL = "school", "школьный"
    MUNICIPAL = "municipal", "муниципальный"
    REGIONAL = "regional", "региональный"
    FEDERAL = "federal", "федеральный"


class Contest(models.Model):
    """A professional contest («Учитель года», «Педагогический дебют» …) of a year. A
    municipal or school contest belongs to its municipality; a regional or federal one (no
    municipality) takes participants from every municipality."""

    title = models.CharField("конкурс", max_length=500)
    level = models.CharField("уровень", max_length=20, choices=ContestLevel.choices)
    year = models.PositiveSmallIntegerField("год")
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contests",
    )
    organiser = models.CharField("организатор", max_length=300, blank=True)
    note = models.TextField("положение, примечание", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "профессиональный конкурс"
        verbose_name_plural = "профессиональные конкурсы"
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["school", "municipal"], municipality__isnull=False)
                | Q(level__in=["regional", "federal"], municipality__isnull=True),
                name="dev_contest_level_matches_municipality",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class ContestStage(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="stages")
    title = models.CharField("этап", max_length=300)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "этап конкурса"
        verbose_name_plural = "этапы конкурса"
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="dev_stage_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ContestResult(models.TextChoices):
    PARTICIPANT = "participant", "участник"
    LAUREATE = "laureate", "лауреат"
    WINNER = "winner", "победитель"


class ContestParticipant(models.Model):
    """A teacher taking part in a contest, with what they present and how it ended."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person, verbose_name="педагог", on_delete=models.PROTECT, related_name="contests"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField("тема (представляемый опыт)", max_length=500, blank=True)
    reached = models.ForeignKey(
        ContestStage,
        verbose_name="дошёл до этапа",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result = models.CharField(
        "результат", max_length=20, choices=ContestResult.choices, default=ContestResult.PARTICIPANT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "участник конкурса"
        verbose_name_plural = "участники конкурса"
        ordering = ["school", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "person"], name="dev_contest_enter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.contest}"

    @property
    def is_awarded(self) -> bool:
        return self.result != ContestResult.PARTICIPANT


# ======================================================================================
# Methodical visits («методический десант») and lesson observation (issue 14).
# Kept together at the end of the module; the logic is in ``visits.py`` (writes),
# ``visits_selectors.py`` (reads), ``visits_rules.py`` (permissions).
# ======================================================================================

#: The levels of a rubric item: 0 «не проявляется» … 3 «проявляется устойчиво».
RUBRIC_LEVELS = (0, 1, 2, 3)


class RubricItem(models.Model):
    """An observable item of the lesson-observation form with a descriptor for each level.
    The default rubric is reference data (``visits_defaults.py``); the region edits it."""

    code = models.SlugField("код", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    title = models.CharField("что наблюдается", max_length=300)
    level0 = models.CharField("0 — описание уровня", max_length=500)
    level1 = models.CharField("1 — описание уровня", max_length=500)
    level2 = models.CharField("2 — описание уровня", max_length=500)
    level3 = models.CharField("3 — описание уровня", max_length=500)
    is_active = models.BooleanField("в форме наблюдения", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "пункт карты наблюдения урока"
        verbose_name_plural = "карта наблюдения урока"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def descriptors(self) -> list[tuple[int, str]]:
        return [(level, getattr(self, f"level{level}")) for level in RUBRIC_LEVELS]


class MethodicalVisitStatus(models.TextChoices):
    PLANNED = "planned", "запланирован"
    HELD = "held", "проведён"


class MethodicalVisit(models.Model):
    """A methodical visit of a team to one school: the lessons attended, the consultations
    held, the findings; its recommendations join the recommendation tracker."""

    school = models.ForeignKey(
        School, verbose_name="школа", on_delete=models.CASCADE, related_name="methodical_visits"
    )
    visit_on = models.DateField("дата")
    aim = models.CharField("цель", max_length=500, blank=True)
    status = models.CharField(
        "состояние",
        max_length=20,
        choices=MethodicalVisitStatus.choices,
        default=MethodicalVisitStatus.PLANNED,
    )
    team = models.ManyToManyField(
        Person, verbose_name="команда", blank=True, related_name="methodical_visits"
    )
    team_others = models.CharField(
        "другие участники", max_length=500, blank=True, help_text="Не из реестра: через запятую."
    )
    consultations = models.TextField("проведённые консультации", blank=True)
    findings = models.TextField("выводы", blank=True)
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[team])

    class Meta:
        verbose_name = "методический десант"
        verbose_name_plural = "методические десанты"
        ordering = ["-visit_on", "-pk"]

    def __str__(self) -> str:
        return f"Методический десант: {self.school}"

    @property
    def is_planned(self) -> bool:
        return self.status == MethodicalVisitStatus.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == MethodicalVisitStatus.HELD


class AttendedLesson(models.Model):
    """A lesson the team attended: the teacher, the class, the subject and the topic."""

    visit = models.ForeignKey(MethodicalVisit, on_delete=models.CASCADE, related_name="lessons")
    teacher = models.ForeignKey(
        Person, verbose_name="педагог", on_delete=models.CASCADE, related_name="attended_lessons"
    )
    grade = models.CharField("класс", max_length=20)
    subject = models.CharField("предмет", max_length=200)
    topic = models.CharField("тема урока", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "посещённый урок"
        verbose_name_plural = "посещённые уроки"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.subject}, {self.grade}"


class ObserverKind(models.TextChoices):
    VISIT = "visit", "методический десант"
    MENTOR = "mentor", "наставник"
    ADMINISTRATION = "administration", "администрация школы"


class LessonObservation(models.Model):
    """A lesson observed with the rubric: a level per item, a short analysis and what is
    recommended. Personal data of the teacher (see ``visits_rules.py``)."""

    school = models.ForeignKey(
        School, verbose_name="школа", on_delete=models.CASCADE, related_name="observations"
    )
    teacher = models.ForeignKey(
        Person, verbose_name="педагог", on_delete=models.CASCADE, related_name="observations"
    )
    kind = models.CharField("кто наблюдал", max_length=20, choices=ObserverKind.choices)
    visit = models.ForeignKey(
        MethodicalVisit,
        verbose_name="методический десант",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="observations",
    )
    lesson = models.OneToOneField(
        AttendedLesson,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="observation",
    )
    observed_on = models.DateField("дата урока")
    grade = models.CharField("класс", max_length=20)
    subject = models.CharField("предмет", max_length=200)
    topic = models.CharField("тема урока", max_length=500, blank=True)
    analysis = models.TextField("краткий анализ")
    recommendation = models.TextField("рекомендация", blank=True)
    given = models.ForeignKey(
        "recommendations.Recommendation",
        verbose_name="рекомендация в трекере",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    route_step = models.ForeignKey(
        RouteStep,
        verbose_name="шаг маршрута",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="наблюдатель",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "наблюдение урока"
        verbose_name_plural = "наблюдения уроков"
        ordering = ["-observed_on", "-pk"]
        indexes = [models.Index(fields=["school", "observed_on"], name="dev_observation_school")]

    def __str__(self) -> str:
        return f"Наблюдение урока: {self.subject}, {self.grade}"


class ObservationScore(models.Model):
    observation = models.ForeignKey(
        LessonObservation, on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="scores")
    level = models.PositiveSmallIntegerField(
        "уровень", validators=[MinValueValidator(0), MaxValueValidator(3)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "уровень по пункту карты"
        verbose_name_plural = "уровни по пунктам карты"
        ordering = ["item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "item"], name="dev_score_item_once"),
            models.CheckConstraint(condition=Q(level__lte=3), name="dev_score_level_0_3"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.level}"
