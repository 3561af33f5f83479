from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    REGION = "region", "Региональный орган управления образованием"
    OPERATOR = "operator", "Региональный оператор"
    CURATOR = "curator", "Куратор"
    MUNICIPAL = "municipal", "Муниципальный координатор"
    SCHOOL = "school", "Образовательная организация"
    EXPERT = "expert", "Эксперт"
    OBSERVER = "observer", "Наблюдатель"
    #: A teacher of a school, linked to their ``people.Person``; sees only their own data.
    TEACHER = "teacher", "Педагог"


class User(AbstractUser):
    """A person who signs in. The role decides what they may do, the scope where."""

    role = models.CharField("роль", max_length=20, choices=Role.choices, default=Role.OBSERVER)
    patronymic = models.CharField("отчество", max_length=150, blank=True)
    municipality = models.ForeignKey(
        "registry.Municipality",
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Для муниципального координатора.",
    )
    school = models.ForeignKey(
        "registry.School",
        verbose_name="образовательная организация",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Для пользователя школы.",
    )
    person = models.OneToOneField(
        "people.Person",
        verbose_name="сотрудник в реестре",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        help_text=(
            "Для куратора: через него берутся закрепления за муниципалитетами и школами; "
            "для педагога: его диагностика и маршрут."
        ),
    )

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"

    @property
    def display_name(self) -> str:
        parts = [self.last_name, self.first_name, self.patronymic]
        return " ".join(p for p in parts if p) or self.username


class AccessRecord(models.Model):
    """One view or download of personal data: who, what, when. Written by ``record_access``."""

    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User,
        verbose_name="пользователь",
        null=True,
        on_delete=models.SET_NULL,
        related_name="access_records",
    )
    # Kept as written at the time: the record outlives a renamed or deleted login.
    username = models.CharField("имя пользователя", max_length=150, db_index=True)
    what = models.CharField("что", max_length=200, db_index=True)
    object_type = models.CharField("вид объекта", max_length=100, blank=True)
    object_id = models.CharField("номер объекта", max_length=64, blank=True)
    object_repr = models.CharField("объект", max_length=300, blank=True)

    class Meta:
        verbose_name = "просмотр персональных данных"
        verbose_name_plural = "журнал просмотра персональных данных"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.username}: {self.what} {self.object_repr}".strip()
