"""Demo data of information support (idempotent): the library of the Tomsk-like region — the
operator's methodical recommendations, the department's orders, self-analysis materials and
successful practices (seed 001, task B9), some on the open page; news about the programme this
month and last (some organisations below «не менее 2 в месяц»); the programme sections of the
municipal and school sites, one of them broken (it waits in the demo school's «Ждут меня»)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from opora.accounts.models import Role
from opora.information import services
from opora.information.models import LinkStatus, Material, NewsItem, SiteSection
from opora.registry.models import Municipality, School, SchoolStatus
from opora.roadmaps.models import RoadmapEvent

# (kind, title, description, tags, url, on the open page)
MATERIALS = [
    (
        "methodical",
        "Методические рекомендации по разработке программы перехода школы в эффективный режим "
        "функционирования",
        "Структура программы, типичные ошибки, примеры целевых показателей. ТОИПКРО.",
        "программа школы, ШНОР",
        "https://toipkro.example/shnor/programma",
        True,
    ),
    (
        "methodical",
        "Методические рекомендации по организации наставничества в школах с низкими "
        "образовательными результатами",
        "Формы наставничества «учитель — учитель», пары школ, сетевые методические объединения.",
        "наставничество, пары школ",
        "https://toipkro.example/shnor/nastavnichestvo",
        True,
    ),
    (
        "legal",
        "Распоряжение ДОО ТО № 352-р «Об утверждении региональной дорожной карты»",
        "Региональная дорожная карта поддержки ШНОР и ШНСУ и состав региональной рабочей группы.",
        "нормативные документы, дорожная карта",
        "https://doo.example/docs/352-r",
        True,
    ),
    (
        "self_analysis",
        "Анкета самоанализа школы: внутренние и внешние причины низких результатов",
        "Показатели эффективной практики с уровнями и вопросы о причинах; заполняется командой "
        "школы в начале цикла.",
        "самоанализ, причины",
        "https://toipkro.example/shnor/samoanaliz",
        False,
    ),
    (
        "practice",
        "Успешная практика: учёт посещаемости и индивидуальные планы для обучающихся группы риска",
        "Опыт МАОУ СОШ № 28 г. Томска: еженедельный разбор, дополнительные занятия, работа с "
        "родителями.",
        "успешные практики, группа риска, родители",
        "https://school28.example/praktika",
        False,
    ),
]
MUNICIPAL_MATERIAL = (
    "methodical",
    "Памятка для школ района: как вести раздел о поддержке ШНОР на сайте",
    "Что размещать в разделе: программу школы, новости не реже двух раз в месяц, отчёты.",
    "сайт, информационное сопровождение",
    "https://edu-district.example/pamyatka",
    False,
)
NEWS_TITLES = [
    "Методический десант ТОИПКРО в школе",
    "Семинар для педагогов школ с низкими результатами",
    "Родительское собрание о подготовке к ВПР",
    "Итоги взаимопосещения уроков",
    "Заседание муниципальной рабочей группы",
]


@transaction.atomic
def load(demo) -> None:
    users = get_user_model().objects
    region = users.filter(username="region", role=Role.REGION).first()
    if region is None:
        return
    if not Material.objects.exists():
        _materials(region, users.filter(role=Role.MUNICIPAL).first())
    if not NewsItem.objects.exists():
        _news(region, users.filter(username="school", role=Role.SCHOOL).first(), demo.year)
    if not SiteSection.objects.exists():
        _sections(region, users.filter(username="school", role=Role.SCHOOL).first(), demo.year)
    demo.report("materials", "материалов библиотеки", Material.objects.count())
    demo.report("news", "новостей о программе", NewsItem.objects.count())


def _materials(region, municipal) -> None:
    made = [
        services.publish_material(
            region, kind=k, title=t, description=d, tags=tags, url=url, public=public
        )
        for k, t, d, tags, url, public in MATERIALS
    ]
    if municipal is not None:
        k, t, d, tags, url, _ = MUNICIPAL_MATERIAL
        services.publish_material(municipal, kind=k, title=t, description=d, tags=tags, url=url)
    # The regional roadmap's event of information support gets the memo on site sections.
    event = (
        RoadmapEvent.objects.filter(
            roadmap__level="region", text__icontains="Информационное сопровождение"
        )
        .order_by("-roadmap__period_start")
        .first()
    )
    if event is not None:
        services.link_to_event(region, made[0], event.pk)
    self_analysis = RoadmapEvent.objects.filter(
        roadmap__level="region", text__icontains="школьных программ"
    ).first()
    if self_analysis is not None:
        services.link_to_event(region, made[3], self_analysis.pk)


def _listed(year: int):
    return School.objects.filter(
        pk__in=SchoolStatus.objects.filter(year=year).values("school_id")
    ).select_related("municipality")


def _days(count: int) -> list:
    """``count`` dates of this month up to today (the 1st when today is the 1st)."""
    today = timezone.localdate()
    return [today.replace(day=max(1, today.day - i * 3)) for i in range(count)]


def _news(region, school_user, year: int) -> None:
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)
    owner = services.own_owner(region)
    for i, day in enumerate([*_days(3), last_month.replace(day=15), last_month.replace(day=25)]):
        services.add_news(
            region, owner, title=f"{NEWS_TITLES[i % len(NEWS_TITLES)]} (ТОИПКРО)",
            url=f"https://toipkro.example/news/{day:%Y%m%d}-{i}", published_on=day,
            public=i < 3,
        )  # fmt: skip
    municipalities = list(Municipality.objects.order_by("name"))
    for index, municipality in enumerate(municipalities):
        owner = {"level": "municipality", "municipality": municipality, "school": None}
        # every third municipality is below the target this month
        for i, day in enumerate(_days(1 if index % 3 == 2 else 2)):
            services.add_news(
                region, owner, title=f"{NEWS_TITLES[(index + i) % len(NEWS_TITLES)]}",
                url=f"https://edu-{municipality.pk}.example/news/{day:%Y%m%d}-{i}",
                published_on=day,
            )  # fmt: skip
    schools = list(_listed(year)[:40])
    if school_user is not None and school_user.school not in schools:
        schools.append(school_user.school)
    for index, school in enumerate(schools):
        owner = services.owner_of_school(school)
        writer = school_user if school_user and school_user.school_id == school.pk else region
        for i, day in enumerate(_days(index % 4)):  # 0–3 news: some meet the target
            services.add_news(
                writer, owner, title=NEWS_TITLES[(index + i) % len(NEWS_TITLES)],
                url=f"https://school-{school.pk}.example/news/{day:%Y%m%d}-{i}",
                published_on=day,
            )  # fmt: skip


def _sections(region, school_user, year: int) -> None:
    """Sections as if the worker had checked them this morning (a demo has no network)."""
    checked = timezone.now() - timedelta(hours=3)
    for index, municipality in enumerate(Municipality.objects.order_by("name")):
        if index % 4 == 3:
            continue  # not yet created: seed 003 asks for all 17
        owner = {"level": "municipality", "municipality": municipality, "school": None}
        section = services.save_site_section(
            region, owner, f"https://edu-{municipality.pk}.example/shnor", check=False
        )
        _as_checked(section, LinkStatus.OK, "открывается (ответ 200)", checked)
    for school in _listed(year)[:30]:
        section = services.save_site_section(
            region,
            services.owner_of_school(school),
            f"https://school-{school.pk}.example/shnor",
            check=False,
        )
        _as_checked(section, LinkStatus.OK, "открывается (ответ 200)", checked)
    if school_user is not None and school_user.school_id:
        section = services.save_site_section(
            region,
            services.owner_of_school(school_user.school),
            f"https://school-{school_user.school_id}.example/old-shnor",
            check=False,
        )
        _as_checked(section, LinkStatus.BROKEN, "не открывается (ответ 404)", checked)


def _as_checked(section, status: str, note: str, at) -> None:
    SiteSection.objects.filter(pk=section.pk).update(status=status, note=note, checked_at=at)
