"""Assessment results (per-school aggregates; pupil rows live in Parquet), methodologies, runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "загружается"
    DONE = "done", "загружен"
    REFUSED = "refused", "отклонён"
    FAILED = "failed", "ошибка"


class ResultBatch(models.Model):
    """One imported file of results. Deleting it deletes its data (Parquet and aggregates);
    a batch an approved run used is kept, so that the run reproduces."""

    file_name = models.CharField("файл", max_length=300)
    checksum = models.CharField("контрольная сумма", max_length=64, db_index=True)
    kind = models.CharField("вид", max_length=10, blank=True)  # pupil | school
    valid_only = models.BooleanField("только корректные строки", default=False)
    status = models.CharField(
        "состояние", max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("готовность, %", default=0)
    rows = models.PositiveIntegerField("строк загружено", default=0)
    rows_total = models.PositiveIntegerField("строк в файле", default=0)
    schools = models.PositiveIntegerField("школ", default=0)
    years = models.JSONField("годы", default=list, blank=True)
    procedures = models.JSONField("процедуры", default=list, blank=True)
    rejected = models.JSONField("отклонённые строки (первые 1000)", default=list, blank=True)
    rejected_count = models.PositiveIntegerField("отклонено строк", default=0)
    message = models.TextField("сообщение", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("загружен", auto_now_add=True)
    finished_at = models.DateTimeField("завершён", null=True, blank=True)
    # Who imports it ("host:pid") and when it last showed progress: a batch left running by a
    # killed worker is told apart from one still at work (see services.recover_imports).
    worker = models.CharField("обработчик", max_length=100, blank=True)
    heartbeat_at = models.DateTimeField("последний признак работы", null=True, blank=True)
    # Who loaded and who deleted a batch, and when (issue 13): progress is written with
    # update(), so the history holds the load and the deletion, not every percent.
    history = HistoricalRecords(excluded_fields=["rejected", "worker", "heartbeat_at"])

    class Meta:
        verbose_name = "пакет результатов"
        verbose_name_plural = "пакеты результатов"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        """The worker is done with it (the page stops polling)."""
        return self.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == BatchStatus.DONE


class ResultSlice(models.Model):
    """The content of one procedure, year, grade and subject in a loaded batch, as a digest of
    every school's marks: the same results loaded again (re-saved, reordered, or as school
    counts instead of pupil rows) have the same digest and are refused."""

    batch = models.ForeignKey(ResultBatch, on_delete=models.CASCADE, related_name="slices")
    year = models.PositiveSmallIntegerField("год")
    procedure = models.CharField("процедура", max_length=10)
    grade = models.PositiveSmallIntegerField("класс")
    subject = models.CharField("предмет", max_length=100)
    schools = models.PositiveIntegerField("школ")
    participants = models.PositiveIntegerField("участников")
    digest = models.CharField("отпечаток содержимого", max_length=64)

    class Meta:
        verbose_name = "срез результатов"
        verbose_name_plural = "срезы результатов"
        constraints = [
            # Two imports of the same content racing each other: the second commit fails.
            models.UniqueConstraint(
                fields=["year", "procedure", "grade", "subject", "digest"],
                name="result_slice_content_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure} {self.year}, {self.grade} класс, {self.subject}"


class Methodology(models.Model):
    """A named, versioned set of parameters; editing saves a new version."""

    name = models.CharField("название", max_length=200)
    version = models.PositiveSmallIntegerField("версия", default=1)
    description = models.TextField("описание", blank=True)
    params = models.JSONField("параметры")
    is_default = models.BooleanField("по умолчанию", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "методика"
        verbose_name_plural = "методики"
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="methodology_name_version")
        ]

    def __str__(self) -> str:
        return f"{self.name}, версия {self.version}"


class RunStatus(models.TextChoices):
    DRAFT = "draft", "расчёт"
    APPROVED = "approved", "утверждён"


class IdentificationRun(models.Model):
    """One computation of the yearly lists: its parameters and inputs are kept to reproduce it."""

    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, related_name="runs")
    params = models.JSONField("параметры расчёта")
    year = models.PositiveSmallIntegerField("год")
    batch_ids = models.JSONField("пакеты результатов", default=list)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    low_results = models.JSONField("ШНОР (коды ОО)", default=list)
    unfavourable = models.JSONField("ШНСУ (коды ОО)", default=list)
    biased = models.JSONField("признаки необъективности (коды ОО)", default=list)
    fair_table = models.JSONField("таблица 2×2", default=dict)
    seconds = models.FloatField("время расчёта, с", default=0)
    # What the lists were computed from (issue 13): the same methodology version and the same
    # fingerprint give the same lists (services.data_fingerprint).
    fingerprint = models.CharField("отпечаток данных", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    basis_kind = models.CharField("документ", max_length=100, blank=True)
    basis_number = models.CharField("номер", max_length=50, blank=True)
    basis_date = models.DateField("дата", null=True, blank=True)
    # The explanations of the schools are rows of their own (RunSchool): megabytes for a
    # country, read one school (or one page of the run page) at a time, never whole.
    history = HistoricalRecords()
    # The order approving the lists is prepared and seen by who manages the results.
    document_permissions = {
        "view": "assessment.manage_results",
        "change": "assessment.manage_results",
    }

    class Meta:
        verbose_name = "расчёт списков"
        verbose_name_plural = "расчёты списков"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Расчёт № {self.pk} на {self.year} год ({self.methodology})"

    @property
    def is_approved(self) -> bool:
        return self.status == RunStatus.APPROVED

    def explanation_of(self, code: str) -> dict:
        """One school's explanation in this run ({} when the run has none for it): one row."""
        found = self.schools.filter(code=code).values_list("explanation", flat=True).first()
        return found or {}


class RunSchool(models.Model):
    """One school's word in a run: on which lists it is and why (its explanation).

    A row per school rather than one JSON document per run: a region's run explains thousands
    of schools (6 million characters at 10 000), and the school card reads one school, the run
    page one page of them, filtered by list, municipality and name in the database.
    """

    run = models.ForeignKey(IdentificationRun, on_delete=models.CASCADE, related_name="schools")
    code = models.CharField("код ОО", max_length=32)
    # The registry's school of that code when the run was made (None: not in the registry).
    school = models.ForeignKey(
        "registry.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    low_results = models.BooleanField("ШНОР", default=False)
    unfavourable = models.BooleanField("ШНСУ", default=False)
    biased = models.BooleanField("признаки необъективности", default=False)
    not_assessed = models.BooleanField("не оценивается (мало участников)", default=False)
    explanation = models.JSONField("объяснение", default=dict)

    class Meta:
        verbose_name = "школа в расчёте"
        verbose_name_plural = "школы в расчёте"
        ordering = ["run", "code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "code"], name="run_school_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} в расчёте № {self.run_id}"
