"""The registry of the region: municipalities, organisations, schools, passports, statuses."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from opora.core.russian.search import search_form


class Region(models.Model):
    name = models.CharField("наименование", max_length=200)
    short_name = models.CharField("краткое наименование", max_length=100, blank=True)
    centre = models.CharField(
        "место составления документов",
        max_length=100,
        blank=True,
        help_text="Административный центр, как его пишут в документах: «г. Томск».",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"

    def __str__(self) -> str:
        return self.name


class MunicipalityKind(models.TextChoices):
    DISTRICT = "district", "муниципальный район"
    CITY = "city", "городской округ"
    ZATO = "zato", "ЗАТО"


class Municipality(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField("наименование", max_length=200, unique=True)
    kind = models.CharField("вид", max_length=20, choices=MunicipalityKind.choices)
    aliases = models.JSONField(
        "другие написания",
        default=list,
        blank=True,
        help_text="Старые формы и написания с опечатками, по которым муниципалитет находится.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    REGIONAL_AUTHORITY = "regional_authority", "региональный орган управления образованием"
    REGIONAL_OPERATOR = "regional_operator", "региональный оператор (институт)"
    MUNICIPAL_AUTHORITY = "municipal_authority", "муниципальный орган управления образованием"
    METHODICAL_SERVICE = "methodical_service", "методическая служба"
    ASSESSMENT_CENTRE = "assessment_centre", "центр оценки качества"
    SUPERVISION = "supervision", "орган надзора"
    UNIVERSITY = "university", "вуз"
    OTHER = "other", "другая"


class Organisation(models.Model):
    """A body that is not a school: departments, institutes, methodical services."""

    name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=100)
    kind = models.CharField("вид", max_length=30, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self", verbose_name="входит в", null=True, blank=True, on_delete=models.SET_NULL
    )
    abbreviations = models.JSONField(
        "сокращения",
        default=list,
        blank=True,
        help_text="Как организацию пишут в документах: «ДОО ТО», «ТОИПКРО», «УООиП».",
    )
    # Requisites of the documents the organisation issues (ГОСТ Р 7.0.97-2016): who signs
    # them and how the executor's mark is reached when the executor has no phone of their own.
    head_position = models.CharField(
        "должность руководителя",
        max_length=300,
        blank=True,
        help_text="Как в подписи документа: «Начальник департамента».",
    )
    head_name = models.CharField(
        "руководитель (инициалы и фамилия)",
        max_length=200,
        blank=True,
        help_text="Как в подписи документа: «И.Б. Грабцевич».",
    )
    address = models.CharField("почтовый адрес", max_length=500, blank=True)
    phone = models.CharField("телефон", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["kind", "short_name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class SchoolKind(models.TextChoices):
    NOSH = "nosh", "НОШ"
    OOSH = "oosh", "ООШ"
    SOSH = "sosh", "СОШ"
    GYMNASIUM = "gymnasium", "гимназия"
    LYCEUM = "lyceum", "лицей"
    BOARDING = "boarding", "школа-интернат"
    CORRECTIONAL = "correctional", "коррекционная школа"
    CENTRE = "centre", "центр образования"
    OTHER = "other", "другое"


#: The fields a school is searched by; ``School.search_name`` holds them in one search form.
SEARCHED_FIELDS = ("short_name", "full_name", "code", "address")


class SchoolQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Bulk inserts (imports, the demo, benchmarks) fill the search form as ``save`` does."""
        objs = list(objs)
        for school in objs:
            school.search_name = school.search_text()
        return super().bulk_create(objs, *args, **kwargs)


class School(models.Model):
    code = models.CharField("код ОО", max_length=32, unique=True)
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    number = models.PositiveIntegerField("номер", null=True, blank=True)
    kind = models.CharField("вид ОО", max_length=20, choices=SchoolKind.choices)
    municipality = models.ForeignKey(
        Municipality, verbose_name="муниципалитет", on_delete=models.PROTECT, related_name="schools"
    )
    address = models.CharField("адрес", max_length=500, blank=True)
    head_name = models.CharField("руководитель", max_length=200, blank=True)
    head_phone = models.CharField("телефон руководителя", max_length=50, blank=True)
    head_email = models.EmailField("e-mail руководителя", blank=True)
    website = models.URLField("сайт", blank=True)
    is_active = models.BooleanField("действует", default=True)
    # The names, code and address in one search form (core.russian.search): a search reads
    # this column with LIKE (on PostgreSQL through a trigram index, migration 0006) instead
    # of lower-casing four columns of every school per request.
    search_name = models.CharField("для поиска", max_length=1300, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_name"])

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = "образовательная организация"
        verbose_name_plural = "образовательные организации"
        ordering = ["municipality__name", "short_name"]
        indexes = [
            models.Index(fields=["municipality", "short_name"]),
            # Counts of listed schools join this year's statuses to their schools only to ask
            # whether each is active: a narrow index answers without reading the wide rows
            # (the region's home at 10 000 schools on SQLite: 26 ms → 3 ms).
            models.Index(fields=["id", "is_active"], name="school_active"),
        ]

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args, **kwargs):
        self.search_name = self.search_text()
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = {*fields, "search_name"}
        super().save(*args, **kwargs)

    def search_text(self) -> str:
        return search_form(" ".join(str(getattr(self, f) or "") for f in SEARCHED_FIELDS))


class SchoolPassport(models.Model):
    """What a school is like in one academic year (seed 002, event 3)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="passports")
    year = models.PositiveSmallIntegerField(
        "учебный год", help_text="Год начала учебного года: 2023 — это 2023/2024."
    )
    pupils = models.PositiveIntegerField("обучающихся", null=True, blank=True)
    teachers = models.PositiveIntegerField("педагогов", null=True, blank=True)
    part_time_ratio = models.DecimalField(
        "коэффициент совместительства", max_digits=5, decimal_places=3, null=True, blank=True
    )
    share_special_needs = models.DecimalField(
        "доля обучающихся с ОВЗ", max_digits=5, decimal_places=4, null=True, blank=True
    )
    share_non_native = models.DecimalField(
        "доля инофонов", max_digits=5, decimal_places=4, null=True, blank=True
    )
    share_low_income = models.DecimalField(
        "доля малоимущих семей", max_digits=5, decimal_places=4, null=True, blank=True
    )
    share_single_parent = models.DecimalField(
        "доля неполных семей", max_digits=5, decimal_places=4, null=True, blank=True
    )
    is_rural = models.BooleanField("сельская", default=False)
    is_small = models.BooleanField("малокомплектная", default=False)
    is_remote = models.BooleanField("удалённая", default=False)
    material_base = models.TextField("материально-техническая база", blank=True)
    external_factors = models.TextField("внешние факторы", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "паспорт школы"
        verbose_name_plural = "паспорта школ"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="passport_school_year"),
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.year}/{self.year + 1}"


class StatusKind(models.TextChoices):
    LOW_RESULTS = "low_results", "ШНОР"
    UNFAVOURABLE = "unfavourable", "ШНСУ"


class StatusSource(models.TextChoices):
    FEDERAL = "federal", "федеральный список"
    REGIONAL = "regional", "региональная методика"
    DECISION = "decision", "решение органа управления"


class SchoolStatus(models.Model):
    """A school's yearly status: on the low-results or unfavourable-conditions list."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="statuses")
    year = models.PositiveSmallIntegerField("год списка")
    kind = models.CharField("статус", max_length=20, choices=StatusKind.choices)
    source = models.CharField("источник", max_length=20, choices=StatusSource.choices)
    basis_kind = models.CharField("вид документа-основания", max_length=100, blank=True)
    basis_number = models.CharField("номер документа", max_length=50, blank=True)
    basis_date = models.DateField("дата документа", null=True, blank=True)
    ended_on = models.DateField(
        "дата выхода из списка",
        null=True,
        blank=True,
        help_text="Когда школа перешла в эффективный режим функционирования.",
    )
    note = models.TextField("примечание", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "статус школы"
        verbose_name_plural = "статусы школ"
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "kind"], name="status_school_year"),
        ]
        # Covering: the home page counts a year's listed schools from the index alone.
        indexes = [models.Index(fields=["year", "kind", "school"], name="status_year_kind_school")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.school}"

    @property
    def is_low_results(self) -> bool:
        return self.kind == StatusKind.LOW_RESULTS

    @property
    def basis(self) -> str:
        from opora.core.formatting import document_reference

        return document_reference(self.basis_kind, self.basis_number, self.basis_date)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "выполняется"
    DONE = "done", "выполнен"
    FAILED = "failed", "не выполнен"


class RegistryImport(models.Model):
    """A confirmed registry import, applied by the task worker: a 20 000-row file takes longer
    than a request may. The file waits in the preview stash under ``token`` until it is applied
    (then it is deleted); a failed import keeps it, so the preview can be shown again."""

    file_name = models.CharField("файл", max_length=300)
    year = models.PositiveSmallIntegerField("учебный год паспортов")
    token = models.CharField(max_length=32, db_index=True)
    status = models.CharField(
        "состояние", max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    rejected = models.JSONField(default=list, blank=True)
    created = models.PositiveIntegerField("добавлено", default=0)
    updated = models.PositiveIntegerField("обновлено", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "импорт реестра"
        verbose_name_plural = "импорты реестра"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def is_done(self) -> bool:
        return self.status == ImportStatus.DONE
