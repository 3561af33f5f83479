from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "opora.dashboards"
    label = "dashboards"
    verbose_name = "Главная и аналитика"
