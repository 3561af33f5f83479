from django.db import migrations


class Migration(migrations.Migration):
    """Methodical visits and lesson observation were built beside mentoring and contests."""

    dependencies = [
        ("development", "0002_mentoring_and_contests"),
        ("development", "0002_methodical_visits_and_lesson_observation"),
    ]

    operations = []
