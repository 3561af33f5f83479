from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "opora.recommendations"
    label = "recommendations"
    verbose_name = "Рекомендации"
