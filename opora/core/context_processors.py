"""Navigation by role: the menu a user sees (access itself is checked in views)."""

from django.urls import reverse

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    items = [("Главная", reverse("home"))]
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
    items.append(("Рабочие группы", reverse("registry:groups")))
    items.append(("Кураторы и пары", reverse("registry:curators")))
    if can_write_region(user):
        items.append(("Организации", reverse("registry:organisations")))
        items.append(("Импорт реестра", reverse("registry:import")))
    current = request.path
    return {
        "nav_items": [
            {"label": label, "url": url, "active": url != "/" and current.startswith(url)}
            for label, url in items
        ]
    }
