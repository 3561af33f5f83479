from django.apps import AppConfig


class ExpertiseConfig(AppConfig):
    name = "opora.expertise"
    label = "expertise"
    verbose_name = "Экспертиза программ"
