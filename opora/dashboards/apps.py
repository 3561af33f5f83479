from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "opora.dashboards"
    label = "dashboards"
    verbose_name = "Главная и аналитика"

    def ready(self):
        from opora.core import contributions as c

        c.add(
            c.MenuEntry(
                order=5,
                label="Ждут меня",
                url_name="inbox",
                badge=c.inbox_count,
                icon="bi-inbox",
            ),
        )
