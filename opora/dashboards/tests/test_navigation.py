"""The top menu, put together from the apps' contributions, is the menu each role had."""

import pytest
from django.test import RequestFactory

from opora.core.context_processors import navigation

CONTROL_FULL = [
    "Контроль сроков дорожных карт",
    "Протоколы собеседований",
    "Выполнение рекомендаций",
    "Экспертизы программ",
    "Критерии экспертизы",
    "Итоги экспертиз",
    "Мониторинг реализации",
    "Чек-листы мониторинга",
]
CONTROL = [label for label in CONTROL_FULL if label != "Итоги экспертиз"]
REGISTRY = [
    "Сотрудники",
    "Рабочие группы и координаторы",
    "Кураторы и пары школ",
    "Реестр документов",
]
REGISTRY_FULL = [*REGISTRY[:3], "Организации и сокращения", "Импорт реестра школ", REGISTRY[3]]
TOP = ["Дорожные карты", "Мои задачи", "Результаты"]
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
]


def _menu(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return [
        (item["label"], [c["label"] for c in item.get("children", [])])
        for item in navigation(request)["nav_items"]
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "region",
            [("Ждут меня", []), ("Уведомления", []), ("Муниципалитеты", []), ("Школы", [])]
            + [(t, []) for t in TOP]
            + [("Развитие педагогов", DEVELOPMENT), ("Информация", [])]
            + [
                (
                    "Контроль",
                    [
                        *CONTROL_FULL,
                        "Журнал просмотра персональных данных",
                        *SURVEYS,
                        "Правила уровней риска",
                        *COACHING,
                    ],
                ),
                ("Реестр", REGISTRY_FULL),
            ],
        ),
        (
            "observer",
            [("Ждут меня", []), ("Уведомления", []), ("Муниципалитеты", []), ("Школы", [])]
            + [(t, []) for t in TOP]
            + [("Развитие педагогов", DEVELOPMENT), ("Информация", [])]
            + [("Контроль", [*CONTROL_FULL, *SURVEYS, *COACHING]), ("Реестр", REGISTRY)],
        ),
        (
            "expert",
            [("Ждут меня", []), ("Уведомления", []), ("Муниципалитеты", []), ("Школы", [])]
            + [(t, []) for t in TOP]
            + [("Развитие педагогов", DEVELOPMENT), ("Информация", [])]
            + [("Контроль", [*CONTROL, *SURVEYS, *COACHING]), ("Реестр", REGISTRY)],
        ),
        (
            "municipal",
            [("Ждут меня", []), ("Уведомления", []), ("Мой муниципалитет", []), ("Школы", [])]
            + [(t, []) for t in TOP]
            + [("Развитие педагогов", DEVELOPMENT), ("Информация", [])]
            + [("Контроль", [*CONTROL, *SURVEYS, *COACHING]), ("Реестр", REGISTRY)],
        ),
        (
            "school",
            [("Ждут меня", []), ("Уведомления", []), ("Моя школа", [])]
            + [(t, []) for t in TOP]
            + [("Развитие педагогов", DEVELOPMENT), ("Информация", [])]
            + [
                (
                    "Контроль",
                    [
                        "Контроль сроков дорожных карт",
                        "Мониторинг реализации",
                        "Анкетирование",
                        "Рисковые профили школ",
                        "Самоанализ школ",
                    ],
                ),
                ("Реестр", REGISTRY),
            ],
        ),
    ],
)
def test_each_role_sees_its_menu(world, role, expected):
    assert _menu(world.users[role]) == expected


def test_own_links_lead_to_own_school_and_municipality(world):
    request = RequestFactory().get("/")
    request.user = world.users.school
    first = navigation(request)["nav_items"][2]  # after «Ждут меня», «Уведомления»
    assert first["url"] == f"/registry/schools/{world.home_school.pk}/"
    request.user = world.users.municipal
    first = navigation(request)["nav_items"][2]  # after «Ждут меня», «Уведомления»
    assert first["url"] == f"/registry/municipalities/{world.home.pk}/"


def test_the_open_page_marks_its_link_and_drop_down(world):
    nav = navigation_at(world.users.region, "/roadmaps/overdue/")
    control = next(item for item in nav if item["label"] == "Контроль")
    assert control["active"]
    assert [c["label"] for c in control["children"] if c["active"]] == [
        "Контроль сроков дорожных карт"
    ]


def navigation_at(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return navigation(request)["nav_items"]
