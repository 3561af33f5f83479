from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "opora.monitoring"
    label = "monitoring"
    verbose_name = "Мониторинг реализации программ"
