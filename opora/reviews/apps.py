from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """No models: only the migrations that made the ``reviews_*`` tables (see ``__init__``)."""

    name = "opora.reviews"
    label = "reviews"
    verbose_name = "Экспертиза и контроль (история миграций)"
