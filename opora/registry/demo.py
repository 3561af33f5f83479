"""The Tomsk Oblast demo: the region as the seed documents describe it, plus generated schools.

Everything taken from the seeds is real (names, abbreviations, the working group, the schools
of Kargasok district and of the city of Tomsk). What is generated to make a realistic region
is marked «(демо)» in its name. Loading is idempotent: a second run changes nothing but the
demo passwords.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from opora.accounts.models import Role, User
from opora.core.calendar import current_year
from opora.core.contributions import Demo
from opora.registry.models import (
    Municipality,
    MunicipalityKind,
    Organisation,
    OrganisationKind,
    Region,
    School,
    SchoolKind,
    SchoolPassport,
    SchoolStatus,
    StatusKind,
    StatusSource,
)

DEMO_PASSWORD = "opora-demo-2026"
TARGET_SCHOOLS = 300

# Seed 000: the 20 municipalities interviewed in June 2020, names normalised.
MUNICIPALITIES = [
    ("Александровский район", MunicipalityKind.DISTRICT, []),
    ("Асиновский район", MunicipalityKind.DISTRICT, []),
    ("Бакчарский район", MunicipalityKind.DISTRICT, ["Бакcharский район"]),
    ("Город Кедровый", MunicipalityKind.CITY, ["г.Кедровый", "г. Кедровый"]),
    ("Верхнекетский район", MunicipalityKind.DISTRICT, []),
    ("Городской округ Стрежевой", MunicipalityKind.CITY, ["г.о. Стрежевой", "г. Стрежевой"]),
    ("ЗАТО Северск", MunicipalityKind.ZATO, ["ЗАО «Северск»", "ЗАТО г. Северск", "г. Северск"]),
    ("Зырянский район", MunicipalityKind.DISTRICT, []),
    ("Каргасокский район", MunicipalityKind.DISTRICT, ["МО «Каргасокский район»"]),
    ("Кожевниковский район", MunicipalityKind.DISTRICT, []),
    ("Колпашевский район", MunicipalityKind.DISTRICT, []),
    ("Кривошеинский район", MunicipalityKind.DISTRICT, []),
    ("Молчановский район", MunicipalityKind.DISTRICT, []),
    ("Парабельский район", MunicipalityKind.DISTRICT, []),
    ("Первомайский район", MunicipalityKind.DISTRICT, []),
    ("Тегульдетский район", MunicipalityKind.DISTRICT, []),
    ("Томский район", MunicipalityKind.DISTRICT, []),
    ("Чаинский район", MunicipalityKind.DISTRICT, []),
    ("Шегарский район", MunicipalityKind.DISTRICT, []),
    ("Город Томск", MunicipalityKind.CITY, ["г.Томск", "г. Томск", "Город Томск"]),
]

# (short name, full name, kind, municipality or None, abbreviations as the seeds write them)
ORGANISATIONS = [
    (
        "ДОО ТО",
        "Департамент общего образования Томской области",
        OrganisationKind.REGIONAL_AUTHORITY,
        None,
        ["ДОО ТО", "ДОО", "Департамент общего образования"],
    ),
    (
        "ТОИПКРО",
        "Областное государственное бюджетное учреждение дополнительного "
        "профессионального образования «Томский областной институт повышения квалификации и "
        "переподготовки работников образования»",
        OrganisationKind.REGIONAL_OPERATOR,
        None,
        ["ТОИПКРО"],
    ),
    (
        "ЦОКО ТОИПКРО",
        "Центр оценки качества образования ТОИПКРО",
        OrganisationKind.ASSESSMENT_CENTRE,
        None,
        ["ЦОКО"],
    ),
    (
        "Комитет по контролю, надзору и лицензированию",
        "Комитет по контролю, надзору и лицензированию в сфере образования Томской области",
        OrganisationKind.SUPERVISION,
        None,
        ["Комитет по контролю, надзору и лицензированию"],
    ),
    (
        "ТГПУ",
        "Томский государственный педагогический университет",
        OrganisationKind.UNIVERSITY,
        None,
        ["ТГПУ"],
    ),
    (
        "УООиП",
        "Управление образования, опеки и попечительства муниципального образования "
        "«Каргасокский район»",
        OrganisationKind.MUNICIPAL_AUTHORITY,
        "Каргасокский район",
        ["УООиП", "МОУО"],
    ),
    (
        "РМО Каргасокского района",
        "Районные методические объединения Каргасокского района",
        OrganisationKind.METHODICAL_SERVICE,
        "Каргасокский район",
        ["РМО"],
    ),
    (
        "Департамент образования г. Томска",
        "Департамент образования администрации Города Томска",
        OrganisationKind.MUNICIPAL_AUTHORITY,
        "Город Томск",
        ["МОУО", "департамент образования"],
    ),
    (
        "МАУ ИМЦ",
        "Муниципальное автономное учреждение информационно-методический центр г. Томска",
        OrganisationKind.METHODICAL_SERVICE,
        "Город Томск",
        ["МАУ ИМЦ", "ИМЦ"],
    ),
]

# Seed 002, event 10: the 12 schools of Kargasok district with low results (2020).
KARGASOK_SCHOOLS = [
    ("МКОУ «Вертикосская СОШ»", SchoolKind.SOSH),
    ("МБОУ «Каргасокская СОШ-интернат №1»", SchoolKind.BOARDING),
    ("МБОУ «Нововасюганская СОШ»", SchoolKind.SOSH),
    ("МКОУ «Средневасюганская СОШ»", SchoolKind.SOSH),
    ("МКОУ «Среднетымская СОШ»", SchoolKind.SOSH),
    ("МБОУ «Каргасокская СОШ№2»", SchoolKind.SOSH),
    ("МКОУ «Новоюгинская СОШ»", SchoolKind.SOSH),
    ("МКОУ «Березовская ООШ»", SchoolKind.OOSH),
    ("МКОУ «Сосновская ООШ»", SchoolKind.OOSH),
    ("МКОУ «Усть-Тымская ООШ»", SchoolKind.OOSH),
    ("МКОУ «Павловская ООШ»", SchoolKind.OOSH),
    ("МКОУ «Староюгинская ООШ»", SchoolKind.OOSH),
]
# Seed 004: the 7 schools of the city of Tomsk monitored in 2020/2021.
TOMSK_SCHOOLS = [
    ("МАОУ СОШ № 5 имени А.К. Ерохина", SchoolKind.SOSH),
    ("МАОУ СОШ № 11 имени В.И. Смирнова", SchoolKind.SOSH),
    ("МАОУ СОШ № 28", SchoolKind.SOSH),
    ("МАОУ СОШ № 41", SchoolKind.SOSH),
    ("МАОУ СОШ № 44", SchoolKind.SOSH),
    ("МАОУ ООШ № 38", SchoolKind.OOSH),
    ("МБОУ ООШ № 66", SchoolKind.OOSH),
]

#: Villages' schools, named as in the seeds («Троицкая», «Сосновская»): whole adjectives, never
#: a stem with an ending glued on.
_VILLAGES = [
    "Берёзовская",
    "Сосновская",
    "Кедровская",
    "Рыбаловская",
    "Заречная",
    "Луговская",
    "Озёрная",
    "Песчаная",
    "Светлинская",
    "Троицкая",
    "Никольская",
    "Покровская",
    "Успенская",
    "Вознесенская",
    "Ильинская",
    "Михайловская",
    "Александровская",
    "Новосельцевская",
    "Староверская",
    "Тайгинская",
    "Кировская",
    "Лесная",
    "Полянская",
    "Ключевская",
    "Родниковская",
    "Черёмушкинская",
    "Высоковская",
    "Петровская",
    "Богородская",
    "Калиновская",
]


@dataclass
class DemoCounts:
    municipalities: int
    schools: int
    listed_schools: int
    users: int

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def _code(muni_index: int, n: int) -> str:
    return f"70{muni_index:02d}{n:03d}"


@transaction.atomic
def load_demo(target_schools: int = TARGET_SCHOOLS, seed: int = 2023) -> tuple[DemoCounts, list]:
    """Load (or top up) the demo region; returns the counts and the demo logins."""
    rng = random.Random(seed)
    year = current_year()
    region, _ = Region.objects.get_or_create(
        name="Томская область", defaults={"short_name": "ТО", "centre": "г. Томск"}
    )
    if not region.centre:
        region.centre = "г. Томск"
        region.save(update_fields=["centre"])
    munis: dict[str, Municipality] = {}
    for name, kind, aliases in MUNICIPALITIES:
        m, _ = Municipality.objects.get_or_create(
            name=name, defaults={"region": region, "kind": kind, "aliases": aliases}
        )
        munis[name] = m
    orgs: dict[str, Organisation] = {}
    for short, full, kind, muni, abbreviations in ORGANISATIONS:
        o, _ = Organisation.objects.get_or_create(
            short_name=short,
            defaults={
                "name": full,
                "kind": kind,
                "abbreviations": abbreviations,
                "municipality": munis.get(muni) if muni else None,
            },
        )
        orgs[short] = o
    for name, m in munis.items():
        if not Organisation.objects.filter(
            municipality=m, kind=OrganisationKind.MUNICIPAL_AUTHORITY
        ).exists():
            Organisation.objects.create(
                short_name=f"МОУО ({name}) (демо)",
                name=f"Орган управления образованием: {name} (демо)",
                kind=OrganisationKind.MUNICIPAL_AUTHORITY,
                municipality=m,
                abbreviations=["МОУО"],
            )

    existing = set(School.objects.values_list("code", flat=True))
    new_schools: list[School] = []

    def add(code, full, kind, muni, number=None):
        if code not in existing:
            new_schools.append(
                School(
                    code=code,
                    full_name=full,
                    short_name=full,
                    kind=kind,
                    municipality=muni,
                    number=number,
                    address=f"{muni.name} (демо-адрес)",
                )
            )
            existing.add(code)

    kargasok_index = [n for n, *_ in MUNICIPALITIES].index("Каргасокский район") + 1
    tomsk_index = [n for n, *_ in MUNICIPALITIES].index("Город Томск") + 1
    for i, (full, kind) in enumerate(KARGASOK_SCHOOLS, start=1):
        add(_code(kargasok_index, i), full, kind, munis["Каргасокский район"])
    for i, (full, kind) in enumerate(TOMSK_SCHOOLS, start=1):
        import re

        number = int(re.search(r"№\s*(\d+)", full).group(1))
        add(_code(tomsk_index, i), full, kind, munis["Город Томск"], number)

    # Generated schools: the city of Tomsk and Seversk get numbered schools, districts village ones.
    weights = {
        name: (6 if name.split()[-1] == "Томск" else 3 if kind != MunicipalityKind.DISTRICT else 2)
        for name, kind, _ in MUNICIPALITIES
    }
    names = list(munis)
    counter = {name: 50 for name in names}
    while School.objects.count() + len(new_schools) < target_schools:
        name = rng.choices(names, weights=[weights[n] for n in names])[0]
        muni = munis[name]
        counter[name] += 1
        idx = names.index(name) + 1
        if muni.kind == MunicipalityKind.DISTRICT:
            village = rng.choice(_VILLAGES)
            kind = rng.choices([SchoolKind.SOSH, SchoolKind.OOSH, SchoolKind.NOSH], [6, 3, 1])[0]
            label = {SchoolKind.SOSH: "СОШ", SchoolKind.OOSH: "ООШ", SchoolKind.NOSH: "НОШ"}[kind]
            # «Бакчарский район» → «… Бакчарского района»: the genitive of an adjective in -ский.
            district = name.split()[0][:-2] + "ого"
            full = f"МБОУ «{village} {label}» {district} района (демо) №{counter[name]}"
            add(_code(idx, counter[name]), full, kind, muni)
        else:
            kind = rng.choices(
                [SchoolKind.SOSH, SchoolKind.GYMNASIUM, SchoolKind.LYCEUM], [8, 1, 1]
            )[0]
            label = {
                SchoolKind.SOSH: "СОШ",
                SchoolKind.GYMNASIUM: "гимназия",
                SchoolKind.LYCEUM: "лицей",
            }[kind]
            number = counter[name] + 20
            full = f"МАОУ {label} № {number} ({name}, демо)"
            add(_code(idx, counter[name]), full, kind, muni, number)
    School.objects.bulk_create(new_schools)

    schools = list(School.objects.select_related("municipality").order_by("code"))
    by_name = {s.full_name: s for s in schools}
    # Each stage has its own generator so that a re-run draws the same values.
    _passports(schools, random.Random(seed + 1), year)
    listed = _statuses(schools, by_name, random.Random(seed + 2), year)
    logins = _users(munis, by_name)
    counts = DemoCounts(
        municipalities=Municipality.objects.count(),
        schools=School.objects.count(),
        listed_schools=listed,
        users=User.objects.count(),
    )
    return counts, logins


def _passports(schools, rng, year):
    have = set(SchoolPassport.objects.values_list("school_id", "year"))
    rows = []
    for s in schools:
        if all((s.pk, y) in have for y in range(year - 3, year + 1)):
            continue
        rural = s.municipality.kind == MunicipalityKind.DISTRICT
        base = rng.randint(40, 250) if rural else rng.randint(400, 1300)
        for y in range(year - 3, year + 1):
            pupils = max(8, int(base * rng.uniform(0.9, 1.1)))
            teachers = max(3, pupils // rng.randint(9, 14))
            small = pupils < 100
            rows.append(
                SchoolPassport(
                    school=s,
                    year=y,
                    pupils=pupils,
                    teachers=teachers,
                    part_time_ratio=Decimal(str(round(rng.uniform(1.0, 1.6 if rural else 1.3), 3))),
                    share_special_needs=Decimal(str(round(rng.uniform(0.02, 0.18), 4))),
                    share_non_native=Decimal(
                        str(round(rng.uniform(0, 0.04 if rural else 0.12), 4))
                    ),
                    share_low_income=Decimal(
                        str(round(rng.uniform(0.05, 0.45 if rural else 0.25), 4))
                    ),
                    share_single_parent=Decimal(str(round(rng.uniform(0.1, 0.35), 4))),
                    is_rural=rural,
                    is_small=small,
                    is_remote=rural and rng.random() < 0.3,
                    material_base="Сведения демо-паспорта: кабинеты оснащены частично (демо)",
                    external_factors="Удалённость от районного центра (демо)" if rural else "",
                )
            )
    SchoolPassport.objects.bulk_create(rows)


def _statuses(schools, by_name, rng, year) -> int:
    """Historical statuses of the seed schools, and generated yearly lists up to this year."""
    have = set(SchoolStatus.objects.values_list("school_id", "year", "kind"))
    rows = []

    def put(school, y, kind, source, basis=("", "", None), ended=None):
        if (school.pk, y, kind) in have:
            return
        have.add((school.pk, y, kind))
        rows.append(
            SchoolStatus(
                school=school,
                year=y,
                kind=kind,
                source=source,
                basis_kind=basis[0],
                basis_number=basis[1],
                basis_date=basis[2],
                ended_on=ended,
            )
        )

    federal_2020 = ("распоряжение ДОО ТО", "293-р", date(2020, 4, 13))
    for full, _ in KARGASOK_SCHOOLS:
        put(by_name[full], 2020, StatusKind.LOW_RESULTS, StatusSource.FEDERAL, federal_2020)
    tomsk_2020 = ("распоряжение ДОО ТО", "187-р", date(2020, 3, 10))
    for full, _ in TOMSK_SCHOOLS:
        put(by_name[full], 2020, StatusKind.LOW_RESULTS, StatusSource.FEDERAL, tomsk_2020)
        if "28" in full or "66" in full:
            put(by_name[full], 2020, StatusKind.UNFAVOURABLE, StatusSource.DECISION, tomsk_2020)

    # From 2023 the region keeps its own lists (68 schools in 2023, seed 003) — generated here.
    # Kedrovy, Seversk and Strezhevoy have none, so 17 municipalities take part, as in seed 003.
    excluded = {"Город Кедровый", "ЗАТО Северск", "Городской округ Стрежевой"}
    pool = [s for s in schools if s.municipality.name not in excluded]
    seed_schools = [by_name[f] for f, _ in KARGASOK_SCHOOLS[:6] + TOMSK_SCHOOLS[:4]]
    one_per_municipality = {}
    for s in rng.sample(pool, len(pool)):
        one_per_municipality.setdefault(s.municipality_id, s)
    listed = list(
        dict.fromkeys(
            seed_schools
            + list(one_per_municipality.values())
            + rng.sample(pool, min(120, len(pool)))
        )
    )[:68]
    basis_2023 = ("распоряжение ДОО ТО", "352-р", date(2023, 3, 13))
    current = set(listed)
    for y in range(2023, year + 1):
        basis = (
            basis_2023
            if y == 2023
            else ("распоряжение ДОО ТО", f"{200 + y % 100}-р", date(y, 3, 1))
        )
        ordered = sorted(current, key=lambda s: s.code)
        leaving = set(rng.sample(ordered, min(8, len(ordered)))) if y > 2023 else set()
        for s in sorted(current, key=lambda s: s.code):
            ended = date(y + 1, 2, 28) if s in leaving else None
            put(s, y, StatusKind.LOW_RESULTS, StatusSource.REGIONAL, basis, ended)
        for s in rng.sample(ordered, min(20, len(ordered))):
            put(s, y, StatusKind.UNFAVOURABLE, StatusSource.REGIONAL, basis)
        joining = [s for s in rng.sample(pool, min(20, len(pool))) if s not in current][:6]
        current = (current - leaving) | set(joining)
    SchoolStatus.objects.bulk_create(rows)
    return SchoolStatus.objects.filter(year=year).values("school_id").distinct().count()


def _users(munis, by_name) -> list[tuple[str, str, str]]:
    # The curator's person (its assignments) is linked by the people part (opora.people.demo).
    specs = [
        (
            "admin",
            Role.REGION,
            "Администратор",
            "Системы",
            {"is_staff": True, "is_superuser": True},
        ),
        ("region", Role.REGION, "Валентина", "Неверова (демо)", {}),
        ("operator", Role.OPERATOR, "Екатерина", "Бутакова (демо)", {}),
        (
            "curator",
            Role.CURATOR,
            # as people.demo names Kargasok's curator: «Соколова (демо) С.В.»
            "Светлана",
            "Соколова (демо, куратор)",
            {"patronymic": "Викторовна"},
        ),
        (
            "kargasok",
            Role.MUNICIPAL,
            "Марина",
            "Кирсанова (демо)",
            {"municipality": munis["Каргасокский район"]},
        ),
        (
            "tomsk",
            Role.MUNICIPAL,
            "Анна",
            "Морозова (демо)",
            {"municipality": munis["Город Томск"]},
        ),
        (
            "school",
            Role.SCHOOL,
            "Ольга",
            "Петрова (демо, директор)",
            {"school": by_name["МКОУ «Вертикосская СОШ»"]},
        ),
        (
            "school28",
            Role.SCHOOL,
            "Татьяна",
            "Волкова (демо, директор)",
            {"school": by_name["МАОУ СОШ № 28"]},
        ),
        ("expert", Role.EXPERT, "Елена", "Лебедева (демо, эксперт)", {}),
        ("observer", Role.OBSERVER, "Сергей", "Павлов (демо, наблюдатель)", {}),
    ]
    logins = []
    for username, role, first, last, extra in specs:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role, user.first_name, user.last_name = role, first, last
        for key, value in extra.items():
            setattr(user, key, value)
        user.set_password(DEMO_PASSWORD)
        user.save()
        logins.append((username, DEMO_PASSWORD, user.get_role_display()))
    return logins


def load(demo: Demo) -> None:
    """The region's part of ``opora demo``: municipalities, schools, lists, logins."""
    counts, logins = load_demo(target_schools=demo.schools)
    demo.report("municipalities", "муниципалитетов", counts.municipalities)
    demo.report("schools", "школ", counts.schools)
    demo.report("listed_schools", "в списках этого года", counts.listed_schools)
    demo.report("users", "пользователей", counts.users)
    demo.logins.extend(logins)


def count_users(demo: Demo) -> None:
    """The later parts add logins of their own (the second expert): count after all of them,
    or a second run reports more than the first."""
    demo.report("users", "пользователей", User.objects.count())
