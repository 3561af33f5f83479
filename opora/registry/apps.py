from django.apps import AppConfig


def _own_school(user) -> bool:
    from opora.accounts.models import Role

    return user.role == Role.SCHOOL and bool(user.school_id)


def _own_municipality(user) -> bool:
    from opora.accounts.models import Role

    return user.role == Role.MUNICIPAL and bool(user.municipality_id)


def _writes_region(user) -> bool:
    from opora.accounts.scopes import can_write_region

    return can_write_region(user)


class RegistryConfig(AppConfig):
    name = "opora.registry"
    label = "registry"
    verbose_name = "Реестр региона"

    def ready(self):
        from opora.accounts.scopes import works_on_programme
        from opora.core import contributions as c
        from opora.registry import demo

        c.add(
            c.MenuEntry(
                group="registry",
                order=1,
                label="Моя школа",
                url_name="registry:school",
                args=lambda user: (user.school_id,),
                visible=_own_school,
            ),
            c.MenuEntry(
                group="registry",
                order=2,
                label="Мой муниципалитет",
                url_name="registry:municipality",
                args=lambda user: (user.municipality_id,),
                visible=_own_municipality,
            ),
            c.MenuEntry(
                group="registry",
                order=3,
                label="Муниципалитеты",
                url_name="registry:municipalities",
                visible=lambda user: not (_own_school(user) or _own_municipality(user)),
            ),
            c.MenuEntry(
                group="registry",
                order=4,
                label="Школы",
                url_name="registry:schools",
                visible=lambda user: not _own_school(user),
            ),
            c.MenuGroup(key="registry", label="Реестр", order=15, visible=works_on_programme),
            c.MenuEntry(
                group="registry",
                order=40,
                label="Организации и сокращения",
                url_name="registry:organisations",
                visible=_writes_region,
            ),
            c.MenuEntry(
                group="registry",
                order=50,
                label="Импорт реестра школ",
                url_name="registry:import",
                visible=_writes_region,
            ),
            # The region itself comes first: every later part builds on its schools.
            c.DemoLoader(order=10, load=demo.load),
            c.DemoLoader(order=1000, load=demo.count_users),
        )
