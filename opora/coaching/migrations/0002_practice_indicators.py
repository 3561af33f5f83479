"""The indicators of effective practice every listed school rates itself on exist from the
start: reference data, seeded here once (never on a page's GET); the list is
``opora.coaching.indicators.INDICATORS``."""

from django.db import migrations


def create(apps, schema_editor):
    from opora.coaching.indicators import ensure_indicators

    ensure_indicators(apps.get_model("coaching", "PracticeIndicator"))


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
