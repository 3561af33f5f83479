from django.apps import AppConfig


def _region_or_superuser(user) -> bool:
    from opora.accounts.models import Role

    return user.role == Role.REGION or user.is_superuser


class AccountsConfig(AppConfig):
    name = "opora.accounts"
    label = "accounts"
    verbose_name = "Пользователи и доступ"

    def ready(self):
        from opora.core import contributions as c

        c.add(
            c.MenuEntry(
                group="registry",
                order=80,
                label="Журнал просмотра персональных данных",
                url_name="access_log",
                visible=_region_or_superuser,
            ),
        )
