"""Information support of the programme (seed 003, events 13–14; seed 001, task B9): news
about the programme per organisation and month, the programme section of each municipal and
school site with its last check, and the library of materials, linkable from roadmap events
and recommendations.

An organisation is the region, a municipality (its education authority) or a school — the
same three owners as a roadmap.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class OrgLevel(models.TextChoices):
    REGION = "region", "регион"
    MUNICIPALITY = "municipality", "муниципалитет"
    SCHOOL = "school", "школа"


def _owner_matches_level(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(level="region", municipality__isnull=True, school__isnull=True)
        | Q(level="municipality", municipality__isnull=False, school__isnull=True)
        | Q(level="school", school__isnull=False, municipality__isnull=False),
        name=name,
    )


class Owned(models.Model):
    """Whose it is: the region, a municipality or a school (with its municipality, so that a
    municipality's scope reaches its schools' rows by one field)."""

    level = models.CharField("уровень", max_length=20, choices=OrgLevel.choices)
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

    class Meta:
        abstract = True

    @property
    def owner_label(self) -> str:
        if self.school_id:
            return self.school.short_name
        if self.municipality_id:
            return self.municipality.name
        return "Регион"


class NewsItem(Owned):
    """A news item about the programme on an organisation's official site: «не менее 2 новостей
    в месяц на официальных сайтах МОУО и образовательных организаций» (seed 003, event 13)."""

    title = models.CharField("заголовок", max_length=500)
    url = models.URLField("ссылка на новость", max_length=1000)
    published_on = models.DateField("дата публикации")
    is_public = models.BooleanField("на открытой странице программы", default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField("добавлена", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "новость о программе"
        verbose_name_plural = "новости о программе"
        ordering = ["-published_on", "-pk"]
        constraints = [_owner_matches_level("news_owner_matches_level")]
        indexes = [models.Index(fields=["published_on", "level"])]

    def __str__(self) -> str:
        return self.title


class LinkStatus(models.TextChoices):
    PENDING = "pending", "ждёт проверки"
    OK = "ok", "открывается"
    BROKEN = "broken", "не открывается"
    UNCHECKED = "unchecked", "не проверено"


class SiteSection(Owned):
    """The programme's section on a municipal or school site (seed 003, event 14): «Созданы на
    официальных сайтах 17 МОУО информационные разделы/страницы, посвященные поддержке ШНОР».
    Its link is checked by ``information.tasks``, never inside a request."""

    url = models.URLField("ссылка на раздел", max_length=1000)
    status = models.CharField(
        "проверка", max_length=20, choices=LinkStatus.choices, default=LinkStatus.PENDING
    )
    note = models.CharField("результат проверки", max_length=300, blank=True)
    checked_at = models.DateTimeField("проверено", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)
    history = HistoricalRecords(excluded_fields=["status", "note", "checked_at"])

    class Meta:
        verbose_name = "раздел сайта о программе"
        verbose_name_plural = "разделы сайтов о программе"
        ordering = ["level", "pk"]
        constraints = [
            _owner_matches_level("site_section_owner_matches_level"),
            models.CheckConstraint(condition=~Q(level="region"), name="site_section_not_region"),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(level="municipality"),
                name="one_site_section_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["school"], condition=Q(level="school"), name="one_site_section_per_school"
            ),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def broken(self) -> bool:
        return self.status == LinkStatus.BROKEN


class MaterialKind(models.TextChoices):
    """Seed 001, task B9: «методические рекомендации, актуальные нормативные документы,
    материалы для самообследования, описание успешных практик»."""

    METHODICAL = "methodical", "методические рекомендации"
    LEGAL = "legal", "нормативные документы"
    SELF_ANALYSIS = "self_analysis", "материалы для самоанализа"
    PRACTICE = "practice", "успешные практики"


class Material(models.Model):
    """A material of the library: a file or a link, published by the region (``municipality``
    empty: seen by everyone signed in) or by a municipality (seen within its scope)."""

    kind = models.CharField("вид", max_length=20, choices=MaterialKind.choices)
    title = models.CharField("название", max_length=500)
    description = models.TextField("описание", blank=True)
    tags = models.JSONField("метки", default=list, blank=True)
    url = models.URLField("ссылка", max_length=1000, blank=True)
    file = models.FileField("файл", upload_to="information/materials/", blank=True)
    original_name = models.CharField("имя файла", max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    municipality = models.ForeignKey(
        "registry.Municipality",
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    is_public = models.BooleanField("на открытой странице программы", default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publisher_name = models.CharField("опубликовал", max_length=300, blank=True)
    published_at = models.DateTimeField("опубликован")
    #: Lower-case words and their dictionary forms, «ё» as «е»: what the search looks in.
    search_text = models.TextField(blank=True, editable=False)
    #: The tags as «|наставничество|шнор|», for the filter by one tag.
    tag_text = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_text", "tag_text"])

    class Meta:
        verbose_name = "материал"
        verbose_name_plural = "материалы"
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        return self.municipality.name if self.municipality_id else "Регион"


class MaterialLink(models.Model):
    """A material named for a roadmap event or a recommendation (exactly one of them)."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="links")
    event = models.ForeignKey(
        "roadmaps.RoadmapEvent",
        verbose_name="мероприятие",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        verbose_name="рекомендация",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "связь материала"
        verbose_name_plural = "связи материалов"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, recommendation__isnull=True)
                | Q(event__isnull=True, recommendation__isnull=False),
                name="material_link_one_target",
            ),
            models.UniqueConstraint(
                fields=["material", "event"],
                condition=Q(event__isnull=False),
                name="one_link_per_material_event",
            ),
            models.UniqueConstraint(
                fields=["material", "recommendation"],
                condition=Q(recommendation__isnull=False),
                name="one_link_per_material_recommendation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material} → {self.event or self.recommendation}"
