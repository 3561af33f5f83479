from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from opora.core.russian.search import search_form

SEARCHED_FIELDS = ("short_name", "full_name", "code", "address")
TRIGRAM_INDEX = GinIndex(
    fields=["search_name"], name="school_search_trgm", opclasses=["gin_trgm_ops"]
)


def fill_search_names(apps, schema_editor):
    """Every existing school gets its search form, as ``School.save`` gives a new one."""
    school_model = apps.get_model("registry", "School")
    schools = []
    for school in school_model.objects.only(*SEARCHED_FIELDS).iterator(chunk_size=2000):
        school.search_name = search_form(
            " ".join(str(getattr(school, f) or "") for f in SEARCHED_FIELDS)
        )
        schools.append(school)
    school_model.objects.bulk_update(schools, ["search_name"], batch_size=1000)


def add_trigram_index(apps, schema_editor):
    """On PostgreSQL, a trigram index serves ``LIKE '%…%'`` on the search form; SQLite has
    none (nothing is done there) and scans the one column."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("registry", "School"), TRIGRAM_INDEX)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("registry", "School"), TRIGRAM_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_organisation_signature_and_contacts"),
    ]

    operations = [
        migrations.AddField(
            model_name="school",
            name="search_name",
            field=models.CharField(
                blank=True, editable=False, max_length=1300, verbose_name="для поиска"
            ),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        # CREATE EXTENSION pg_trgm on PostgreSQL; Django's operation does nothing elsewhere.
        TrigramExtension(),
        # The index is not in the model's Meta (SQLite would be asked to build a GIN index
        # whenever it remakes the table): it is made here, on PostgreSQL only.
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
