"""Navigation by role: the menu a user sees (access itself is checked in views)."""

from django.urls import reverse

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    items = []  # the brand link leads home
    if user.role == Role.SCHOOL and user.school_id:
        items.append(("Моя школа", reverse("registry:school", args=[user.school_id])))
    elif user.role == Role.MUNICIPAL and user.municipality_id:
        items.append(
            ("Мой муниципалитет", reverse("registry:municipality", args=[user.municipality_id]))
        )
        items.append(("Школы", reverse("registry:schools")))
    else:
        items.append(("Муниципалитеты", reverse("registry:municipalities")))
        items.append(("Школы", reverse("registry:schools")))
    items.append(("Дорожные карты", reverse("roadmaps:list")))
    items.append(("Мои задачи", reverse("roadmaps:tasks")))
    items.append(("Результаты", reverse("assessment:overview")))
    registry = [
        ("Сотрудники", reverse("registry:people_list")),
        ("Рабочие группы и координаторы", reverse("registry:groups")),
        ("Кураторы и пары школ", reverse("registry:curators")),
    ]
    if can_write_region(user):
        registry.append(("Организации и сокращения", reverse("registry:organisations")))
        registry.append(("Импорт реестра школ", reverse("registry:import")))
    control = [
        ("Контроль сроков дорожных карт", reverse("roadmaps:overdue")),
        ("Протоколы собеседований", reverse("interviews:protocol_list")),
        ("Выполнение рекомендаций", reverse("recommendations:recommendation_list")),
        ("Экспертизы программ", reverse("expertise:expertise_list")),
        ("Критерии экспертизы", reverse("expertise:criteria_list")),
        ("Мониторинг реализации", reverse("monitoring:campaign_list")),
        ("Чек-листы мониторинга", reverse("monitoring:checklist_list")),
    ]
    if user.role in (Role.REGION, Role.OPERATOR, Role.OBSERVER) or user.is_superuser:
        control.insert(5, ("Итоги экспертиз", reverse("expertise:expertise_analytics")))
    if user.role == Role.SCHOOL:
        control = [c for c in control if "Мониторинг" in c[0] or "сроков" in c[0]]
    current = request.path

    def entry(label, url):
        return {"label": label, "url": url, "active": url != "/" and current.startswith(url)}

    nav = [entry(label, url) for label, url in items]
    for label, links in (("Контроль", control), ("Реестр", registry)):
        children = [entry(child, url) for child, url in links]
        nav.append(
            {"label": label, "children": children, "active": any(c["active"] for c in children)}
        )
    return {"nav_items": nav}
