from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "opora.interviews"
    label = "interviews"
    verbose_name = "Собеседования"
