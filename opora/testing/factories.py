"""factory_boy factories of the registry, the people and the users (test support only)."""

import factory

from opora.accounts.models import Role, User
from opora.people import models as people_models
from opora.registry import models


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ["name"]

    name = "Томская область"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Муниципалитет {n} район")
    kind = models.MunicipalityKind.DISTRICT


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.School

    code = factory.Sequence(lambda n: f"T{n:05d}")
    full_name = factory.Sequence(lambda n: f"МБОУ «Школа {n}»")
    short_name = factory.SelfAttribute("full_name")
    kind = models.SchoolKind.SOSH
    municipality = factory.SubFactory(MunicipalityFactory)


class PassportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SchoolPassport

    school = factory.SubFactory(SchoolFactory)
    year = 2026
    pupils = 120
    teachers = 12


class StatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SchoolStatus

    school = factory.SubFactory(SchoolFactory)
    year = 2026
    kind = models.StatusKind.LOW_RESULTS
    source = models.StatusSource.REGIONAL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OBSERVER
    first_name = "Тест"
    last_name = factory.LazyAttribute(lambda o: o.username)
    password = factory.PostGenerationMethodCall("set_password", "pass-Opora-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people_models.Person

    last_name = factory.Sequence(lambda n: f"Сотрудникова{n}")
    first_name = "Анна"
    patronymic = "Сергеевна"
