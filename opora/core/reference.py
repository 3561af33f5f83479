"""Reference data — the one way it enters the database.

Checklists, criteria sets, risk factors and the like are data the programme ships with. Each
app contributes a :class:`~opora.core.contributions.ReferenceData` whose ``load()`` creates what
is missing and leaves what users edited alone; :func:`load_reference_data` runs them all in
their order after every ``migrate`` (Django's ``post_migrate`` of the last app, which
``flush`` sends too), so a
fresh database, a test database and the demo all start with them. Pages only read reference
data: nothing is created while a page is shown.

Example: ``opora migrate`` on an empty database ends with the default monitoring checklist (nine
findings of seed 004), the three criteria sets of the current year and the twelve risk factors.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from opora.core import contributions


def fully_migrated(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when every migration is applied (a migration test stops half-way)."""
    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def load_reference_data(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Run every app's loader, all or nothing; returns the labels of what was loaded."""
    loaded = []
    with transaction.atomic(using=using):
        for loader in contributions.reference_loaders():
            loader.load()
            loaded.append(loader.label)
    return loaded


def after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate`` is sent once per app with models; act on the last one only, when
    every table (and every app's own post_migrate work) is there."""
    from django.apps import apps

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is last and using == DEFAULT_DB_ALIAS and fully_migrated(using):
        load_reference_data(using)
