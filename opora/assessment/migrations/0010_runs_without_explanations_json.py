from django.db import migrations


class Migration(migrations.Migration):
    """The explanations live in RunSchool rows now (0009 moved them): the JSON column goes."""

    dependencies = [
        ("assessment", "0009_run_schools"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="identificationrun",
            name="explanations",
        ),
    ]
