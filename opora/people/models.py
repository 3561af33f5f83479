"""People of the programme: persons, working groups, coordinators, curators, school pairs.

The tables were born in the registry and keep its names (``registry_person`` …): the models
moved here without a change to the database (migrations ``registry.0003`` and ``people.0001``).
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from opora.registry.models import Municipality, Organisation, School


class Person(models.Model):
    """A participant of the programme. Only work contacts are kept (minimal personal data)."""

    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100, blank=True)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    initials = models.CharField(
        "инициалы", max_length=10, blank=True, help_text="Если полного имени в документе нет."
    )
    position = models.CharField("должность", max_length=500, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    school = models.ForeignKey(
        School,
        verbose_name="школа",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    email = models.EmailField("рабочий e-mail", blank=True)
    phone = models.CharField("рабочий телефон", max_length=50, blank=True)
    history = HistoricalRecords(table_name="registry_historicalperson")

    class Meta:
        db_table = "registry_person"
        verbose_name = "сотрудник"
        verbose_name_plural = "сотрудники"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.short_name

    @property
    def short_name(self) -> str:
        """«Неверова В.В.» — how documents name people."""
        if self.initials:
            return f"{self.last_name} {self.initials}"
        letters = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {letters}".strip()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


class Level(models.TextChoices):
    REGION = "region", "региональный"
    MUNICIPALITY = "municipality", "муниципальный"


class WorkingGroup(models.Model):
    level = models.CharField("уровень", max_length=20, choices=Level.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="working_groups",
    )
    year = models.PositiveSmallIntegerField("год")
    title = models.CharField("наименование", max_length=500)
    basis_kind = models.CharField("вид документа", max_length=100, blank=True)
    basis_number = models.CharField("номер документа", max_length=50, blank=True)
    basis_date = models.DateField("дата документа", null=True, blank=True)
    history = HistoricalRecords(table_name="registry_historicalworkinggroup")

    class Meta:
        db_table = "registry_workinggroup"
        verbose_name = "рабочая группа"
        verbose_name_plural = "рабочие группы"
        ordering = ["-year", "level"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="region", municipality__isnull=True)
                | Q(level="municipality", municipality__isnull=False),
                name="working_group_level_matches_municipality",
            )
        ]

    def __str__(self) -> str:
        return self.title


class GroupRole(models.TextChoices):
    HEAD = "head", "руководитель"
    DEPUTY = "deputy", "заместитель руководителя"
    SECRETARY = "secretary", "секретарь"
    MEMBER = "member", "член группы"


class WorkingGroupMember(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, verbose_name="сотрудник", on_delete=models.PROTECT)
    role = models.CharField("роль в группе", max_length=20, choices=GroupRole.choices)
    position_text = models.CharField("должность (как в документе)", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    history = HistoricalRecords(table_name="registry_historicalworkinggroupmember")

    class Meta:
        db_table = "registry_workinggroupmember"
        verbose_name = "член рабочей группы"
        verbose_name_plural = "члены рабочей группы"
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    @property
    def has_duty(self) -> bool:
        """Heads the group or has another named duty in it (not an ordinary member)."""
        return self.role != GroupRole.MEMBER


class Coordinator(models.Model):
    level = models.CharField("уровень", max_length=20, choices=Level.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coordinators",
    )
    person = models.ForeignKey(Person, verbose_name="сотрудник", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("год")
    history = HistoricalRecords(table_name="registry_historicalcoordinator")

    class Meta:
        db_table = "registry_coordinator"
        verbose_name = "координатор"
        verbose_name_plural = "координаторы"
        ordering = ["-year", "level"]

    def __str__(self) -> str:
        where = self.municipality or "регион"
        return f"{self.person} — координатор ({where}, {self.year})"


class CuratorAssignment(models.Model):
    """A curator assigned for a year to a municipality (and its schools) or to one school."""

    person = models.ForeignKey(
        Person, verbose_name="куратор", on_delete=models.PROTECT, related_name="curatorships"
    )
    year = models.PositiveSmallIntegerField("год")
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="curator_assignments",
    )
    school = models.ForeignKey(
        School,
        verbose_name="школа",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="curator_assignments",
    )
    history = HistoricalRecords(table_name="registry_historicalcuratorassignment")

    class Meta:
        db_table = "registry_curatorassignment"
        verbose_name = "закрепление куратора"
        verbose_name_plural = "закрепления кураторов"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | Q(school__isnull=False),
                name="curator_assignment_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.school or self.municipality} ({self.year})"


class PairKind(models.TextChoices):
    PAIR = "pair", "пара школ"
    NETWORK = "network", "сеть школ"
    MENTOR = "mentor", "директор-наставник"


class SchoolPair(models.Model):
    """A strong school supporting a low-results one (seed 002, event 25)."""

    year = models.PositiveSmallIntegerField("год")
    kind = models.CharField("вид", max_length=20, choices=PairKind.choices, default=PairKind.PAIR)
    mentor_school = models.ForeignKey(
        School,
        verbose_name="школа-наставник",
        on_delete=models.CASCADE,
        related_name="pairs_as_mentor",
    )
    supported_school = models.ForeignKey(
        School,
        verbose_name="поддерживаемая школа",
        on_delete=models.CASCADE,
        related_name="pairs_as_supported",
    )
    mentor_person = models.ForeignKey(
        Person,
        verbose_name="директор-наставник",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    note = models.TextField("примечание", blank=True)
    history = HistoricalRecords(table_name="registry_historicalschoolpair")

    class Meta:
        db_table = "registry_schoolpair"
        verbose_name = "пара школ"
        verbose_name_plural = "пары школ"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor_school=models.F("supported_school")),
                name="pair_distinct_schools",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor_school} ↔ {self.supported_school}"
