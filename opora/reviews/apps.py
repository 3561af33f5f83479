from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "opora.reviews"
    label = "reviews"
    verbose_name = "Экспертиза и контроль"
