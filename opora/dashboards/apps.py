from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "opora.dashboards"
    label = "dashboards"
    verbose_name = "Главная и аналитика"

    def ready(self):
        from opora.accounts.scopes import works_on_programme
        from opora.core import contributions as c

        c.add(
            # The review loop (interviews, recommendations, expertise, monitoring) and the
            # school's support (questionnaires, risks, self-analysis, curators' work).
            c.MenuGroup(key="control", label="Контроль", order=253, visible=works_on_programme),
            c.MenuGroup(
                key="support", label="Сопровождение", order=254, visible=works_on_programme
            ),
            c.MenuEntry(
                order=5,
                label="Ждут меня",
                url_name="inbox",
                badge=c.inbox_count,
                icon="bi-inbox",
            ),
        )
