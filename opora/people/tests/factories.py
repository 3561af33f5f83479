import factory

from opora.people import models


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    last_name = factory.Sequence(lambda n: f"Сотрудникова{n}")
    first_name = "Анна"
    patronymic = "Сергеевна"
