"""The people of the Tomsk Oblast demo: the regional working group of 2023 (seed 003), the
working group, coordinator and pairs of Kargasok district (seed 002), generated curators and
coordinators of the participating municipalities, this year's pairs of schools.

Runs after the region's part (``opora.registry.demo``), whose schools, organisations and
logins it uses. Idempotent, like the rest of the demo.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from opora.accounts.models import Role, User
from opora.core.calendar import current_year
from opora.core.contributions import Demo
from opora.people.models import (
    Coordinator,
    CuratorAssignment,
    GroupRole,
    Level,
    Person,
    SchoolPair,
    WorkingGroup,
    WorkingGroupMember,
)
from opora.registry.models import (
    Municipality,
    Organisation,
    School,
    SchoolStatus,
    StatusKind,
)

# Seed 002, event 25: «КСОШ –интернат№1 и Нововасюганская СОШ; Вертикосская СОШ и Новоюгинская СОШ».
KARGASOK_PAIRS = [
    ("МБОУ «Каргасокская СОШ-интернат №1»", "МБОУ «Нововасюганская СОШ»"),
    ("МКОУ «Вертикосская СОШ»", "МКОУ «Новоюгинская СОШ»"),
]

# Seed 003, appendix 2: the regional working group of 2023.
WORKING_GROUP_2023 = [
    (
        "Неверова",
        "В.В.",
        "председатель комитета мониторинга и управления качеством образования "
        "Департамента общего образования Томской области",
        "ДОО ТО",
        GroupRole.HEAD,
    ),
    (
        "Сысолятина",
        "Н.А.",
        "консультант комитета мониторинга и управления качеством образования "
        "Департамента общего образования Томской области",
        "ДОО ТО",
        GroupRole.MEMBER,
    ),
    ("Замятина", "О.М.", "ректор ТОИПКРО", "ТОИПКРО", GroupRole.DEPUTY),
    (
        "Чащина",
        "Ю.А.",
        "проректор по инновационной и проектной работе ТОИПКРО",
        "ТОИПКРО",
        GroupRole.MEMBER,
    ),
    (
        "Бутакова",
        "Е.С.",
        "старший преподаватель кафедры управления образованием ТОИПКРО",
        "ТОИПКРО",
        GroupRole.MEMBER,
    ),
    (
        "Пивоваров",
        "В.О.",
        "заведующий центром оценки качества образования ТОИПКРО",
        "ТОИПКРО",
        GroupRole.MEMBER,
    ),
]

_SURNAMES = [
    "Иванова",
    "Петрова",
    "Смирнова",
    "Кузнецова",
    "Попова",
    "Васильева",
    "Соколова",
    "Михайлова",
    "Новикова",
    "Фёдорова",
    "Морозова",
    "Волкова",
    "Алексеева",
    "Лебедева",
    "Семёнова",
    "Егорова",
    "Павлова",
    "Козлова",
    "Степанова",
    "Николаева",
]
_INITIALS = ["А.В.", "Е.Н.", "О.С.", "Т.И.", "Н.П.", "И.А.", "С.В.", "Л.М.", "Г.Ю.", "М.Е."]


@transaction.atomic
def load_people(year: int | None = None) -> int:
    """Load (or top up) the demo's people, groups, coordinators, curators and pairs; link the
    demo curator's login to its person. Returns the number of persons."""
    year = year or current_year()
    munis = {m.name: m for m in Municipality.objects.all()}
    orgs = {o.short_name: o for o in Organisation.objects.all()}
    by_name = {s.full_name: s for s in School.objects.all()}
    people = _people(munis, orgs, year)
    for mentor, supported in KARGASOK_PAIRS:
        SchoolPair.objects.get_or_create(
            year=2020,
            mentor_school=by_name[mentor],
            supported_school=by_name[supported],
            defaults={"note": "Сеть (пара) школ по приказу УООиП от 08.06.2020 № 353, п. 25"},
        )
    _current_pairs(year)
    curator_person = (
        CuratorAssignment.objects.filter(year=year, municipality=munis["Каргасокский район"])
        .values_list("person_id", flat=True)
        .first()
    )
    for user in User.objects.filter(username="curator", role=Role.CURATOR):
        user.person_id = curator_person
        user.save(update_fields=["person"])
    return people


def _person(last, initials, position, org=None, school=None) -> Person:
    person, _ = Person.objects.get_or_create(
        last_name=last,
        initials=initials,
        defaults={"position": position, "organisation": org, "school": school},
    )
    return person


def _people(munis, orgs, year) -> int:
    group, _ = WorkingGroup.objects.get_or_create(
        level=Level.REGION,
        year=2023,
        defaults={
            "title": "Региональная рабочая группа по организации работы со школами с низкими "
            "образовательными результатами обучающихся и/или в школах, функционирующих "
            "в неблагоприятных социальных условиях",
            "basis_kind": "распоряжение ДОО ТО",
            "basis_number": "352-р",
            "basis_date": date(2023, 3, 13),
        },
    )
    for order, (last, initials, position, org, role) in enumerate(WORKING_GROUP_2023, start=1):
        person = _person(last, initials, position, orgs[org])
        WorkingGroupMember.objects.get_or_create(
            group=group,
            person=person,
            defaults={"role": role, "position_text": position, "order": order},
        )
    butakova = Person.objects.get(last_name="Бутакова", initials="Е.С.")
    if not butakova.first_name:
        butakova.first_name, butakova.patronymic = "Екатерина", "Сергеевна"
        butakova.save()
    Coordinator.objects.get_or_create(level=Level.REGION, year=2023, person=butakova)

    kargasok = munis["Каргасокский район"]
    kirsanova = _person("Кирсанова", "М.А.", "первый заместитель начальника УООиП", orgs["УООиП"])
    Coordinator.objects.get_or_create(
        level=Level.MUNICIPALITY, municipality=kargasok, year=2020, person=kirsanova
    )
    kwg, _ = WorkingGroup.objects.get_or_create(
        level=Level.MUNICIPALITY,
        municipality=kargasok,
        year=2020,
        defaults={
            "title": "Муниципальная рабочая группа по организации работы со школами с "
            "низкими образовательными результатами (Каргасокский район)",
            "basis_kind": "приказ УООиП",
            "basis_number": "353",
            "basis_date": date(2020, 6, 8),
        },
    )
    ilgina = _person("Илгина", "Л.А.", "начальник УООиП", orgs["УООиП"])
    WorkingGroupMember.objects.get_or_create(
        group=kwg,
        person=ilgina,
        defaults={"role": GroupRole.HEAD, "order": 1, "position_text": "начальник УООиП"},
    )
    WorkingGroupMember.objects.get_or_create(
        group=kwg,
        person=kirsanova,
        defaults={
            "role": GroupRole.DEPUTY,
            "order": 2,
            "position_text": "первый заместитель начальника УООиП",
        },
    )
    sorokina = _person("Сорокина", "Н.В.", "специалист УООиП", orgs["УООиП"])
    WorkingGroupMember.objects.get_or_create(
        group=kwg,
        person=sorokina,
        defaults={"role": GroupRole.SECRETARY, "order": 3, "position_text": "специалист УООиП"},
    )

    # Curators: one per participating municipality from 2023 on (generated names).
    participating = sorted(
        {
            s.municipality
            for s in School.objects.filter(statuses__year=2023).select_related("municipality")
        },
        key=lambda m: m.name,
    )
    for i, m in enumerate(participating):
        curator = _person(
            f"{_SURNAMES[i % len(_SURNAMES)]} (демо)",
            _INITIALS[i % len(_INITIALS)],
            "куратор ШНОР, методист ТОИПКРО",
            orgs["ТОИПКРО"],
        )
        for y in range(2023, year + 1):
            CuratorAssignment.objects.get_or_create(person=curator, year=y, municipality=m)
        for y in range(2023, year + 1):
            Coordinator.objects.get_or_create(
                level=Level.MUNICIPALITY,
                municipality=m,
                year=y,
                person=_person(
                    f"{_SURNAMES[(i + 7) % len(_SURNAMES)]} (демо)",
                    _INITIALS[(i + 3) % len(_INITIALS)],
                    "муниципальный координатор (демо)",
                ),
            )
    return Person.objects.count()


def _current_pairs(year: int) -> None:
    """This year's pairs: in each municipality a school off the list supports a listed one."""
    listed = set(
        SchoolStatus.objects.filter(year=year, kind=StatusKind.LOW_RESULTS).values_list(
            "school_id", flat=True
        )
    )
    by_municipality: dict[int, list[School]] = {}
    for school in School.objects.order_by("code"):
        by_municipality.setdefault(school.municipality_id, []).append(school)
    for schools in by_municipality.values():
        supported = next((s for s in schools if s.pk in listed), None)
        mentor = next((s for s in schools if s.pk not in listed), None)
        if supported and mentor:
            SchoolPair.objects.get_or_create(
                year=year,
                mentor_school=mentor,
                supported_school=supported,
                defaults={"note": "Пара для совместной работы по повышению качества (демо)"},
            )


def load(demo: Demo) -> None:
    """The people's part of ``opora demo``."""
    demo.report("people", "сотрудников", load_people(demo.year))


def count_people(demo: Demo) -> None:
    """The later parts add people of their own (the second expert): count after all of them,
    or a second run reports more than the first."""
    demo.report("people", "сотрудников", Person.objects.count())
