"""The top menu, put together from the apps' contributions, is the menu each role had."""

import pytest
from django.test import RequestFactory

from opora.core.context_processors import navigation

CONTROL_FULL = [
    "Протоколы собеседований",
    "Выполнение рекомендаций",
    "Экспертизы программ",
    "Критерии экспертизы",
    "Итоги экспертиз",
    "Мониторинг реализации",
    "Чек-листы мониторинга",
]
CONTROL = [label for label in CONTROL_FULL if label != "Итоги экспертиз"]
ROADMAPS = ["Дорожные карты", "Мои задачи", "Контроль сроков"]
PEOPLE = ["Сотрудники", "Рабочие группы и координаторы", "Кураторы и пары школ"]
REGISTRY = [*PEOPLE, "Реестр документов"]
REGISTRY_FULL = [
    "Муниципалитеты",
    "Школы",
    *PEOPLE,
    "Организации и сокращения",
    "Импорт реестра школ",
    "Реестр документов",
    "Журнал просмотра персональных данных",
]
SURVEYS = ["Анкетирование", "Конструктор анкет", "Рисковые профили школ"]
COACHING = ["Самоанализ школ", "Работа кураторов"]
DEVELOPMENT = [
    "Дефициты и команды",
    "Маршруты (ИОМ)",
    "Каталог повышения квалификации",
    "Календарь поддержки",
    "Расчётные показатели",
    "Методические десанты",
    "Наблюдения уроков",
    "Наставничество",
    "Профессиональные конкурсы",
]


def _menu(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return [
        (item["label"], [c["label"] for c in item.get("children", [])])
        for item in navigation(request)["nav_items"]
    ]


def _programme(registry, control, support):
    """The menu of everyone who works on the programme, from «Реестр» to «Информация»."""
    return [
        ("Реестр", registry),
        ("Дорожные карты", ROADMAPS),
        ("Результаты", []),
        ("Контроль", control),
        ("Сопровождение", support),
        ("Педагоги", DEVELOPMENT),
        ("Информация", []),
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "region",
            [("Ждут меня", [])]
            + _programme(
                REGISTRY_FULL, CONTROL_FULL, [*SURVEYS, "Правила уровней риска", *COACHING]
            ),
        ),
        (
            "observer",
            [("Ждут меня", [])]
            + _programme(["Муниципалитеты", "Школы", *REGISTRY], CONTROL_FULL, SURVEYS + COACHING),
        ),
        (
            "expert",
            [("Ждут меня", [])]
            + _programme(["Муниципалитеты", "Школы", *REGISTRY], CONTROL, SURVEYS + COACHING),
        ),
        (
            "municipal",
            [("Ждут меня", [])]
            + _programme(["Мой муниципалитет", "Школы", *REGISTRY], CONTROL, SURVEYS + COACHING),
        ),
        (
            "school",
            [("Ждут меня", [])]
            + _programme(
                ["Моя школа", *REGISTRY],
                ["Мониторинг реализации"],
                ["Анкетирование", "Рисковые профили школ", "Самоанализ школ"],
            ),
        ),
        (
            # A teacher's pages are their own development: no registry, roadmaps or control.
            "teacher",
            [
                ("Мой маршрут", []),
                ("Ждут меня", []),
                (
                    "Педагоги",
                    [
                        "Каталог повышения квалификации",
                        "Календарь поддержки",
                        "Наблюдения уроков",
                        "Наставничество",
                        "Профессиональные конкурсы",
                    ],
                ),
                ("Информация", []),
            ],
        ),
    ],
)
def test_each_role_sees_its_menu(world, role, expected):
    assert _menu(world.users[role]) == expected


def test_the_bell_stands_beside_the_user_not_among_the_links(world):
    request = RequestFactory().get("/")
    request.user = world.users.region
    corner = navigation(request)["nav_corner"]
    assert [item["label"] for item in corner] == ["Уведомления"]
    assert corner[0]["url"] == "/notifications/"


def test_own_links_lead_to_own_school_and_municipality(world):
    request = RequestFactory().get("/")
    request.user = world.users.school
    registry = navigation(request)["nav_items"][1]  # after «Ждут меня»
    assert registry["children"][0]["url"] == f"/registry/schools/{world.home_school.pk}/"
    request.user = world.users.municipal
    registry = navigation(request)["nav_items"][1]
    assert registry["children"][0]["url"] == f"/registry/municipalities/{world.home.pk}/"


def test_the_open_page_marks_its_link_and_drop_down(world):
    nav = navigation_at(world.users.region, "/roadmaps/overdue/")
    roadmaps = next(item for item in nav if item["label"] == "Дорожные карты")
    assert roadmaps["active"]
    assert [c["label"] for c in roadmaps["children"] if c["active"]] == ["Контроль сроков"]


def navigation_at(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return navigation(request)["nav_items"]
