from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "opora.roadmaps"
    label = "roadmaps"
    verbose_name = "Дорожные карты"
