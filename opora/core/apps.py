from django.apps import AppConfig
from django.core import checks
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _fold(function):
    return lambda value: function(value) if isinstance(value, str) else value


def _unicode_case_on_sqlite(sender, connection, **kwargs):
    """SQLite's LOWER()/UPPER() change Latin letters only; Russian names need all of them."""
    if connection.vendor == "sqlite":
        for name, function in (("LOWER", str.lower), ("UPPER", str.upper)):
            connection.connection.create_function(name, 1, _fold(function), deterministic=True)


def _contributions_are_sound(app_configs, **kwargs):
    """`manage.py check` (and runserver, migrate) report a broken contribution by name."""
    from opora.core import contributions

    return [checks.Error(problem, id="opora.E001") for problem in contributions.problems()]


class CoreConfig(AppConfig):
    name = "opora.core"
    label = "core"
    verbose_name = "Общее"

    def ready(self):
        connection_created.connect(_unicode_case_on_sqlite)
        from django.contrib.auth.signals import user_logged_in

        from opora.core.middleware import SlidingSession

        # Signing in sets the idle timeout afresh: the first page after it need not.
        user_logged_in.connect(SlidingSession.signed_in, dispatch_uid="opora-session-renewed")
        checks.register(_contributions_are_sound)
        from opora.core.reference import after_migrate

        # post_migrate is sent after all migrations ran (and by flush): the one moment
        # reference data is loaded.
        post_migrate.connect(after_migrate, dispatch_uid="opora-reference-data")
