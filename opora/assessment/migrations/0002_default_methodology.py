"""The region's default methodology exists from the start (issue 5 gives it exactly)."""

from django.db import migrations

NAME = "Региональная методика (по умолчанию)"
PARAMS = {
    "procedures": ["ВПР"],
    "grades": [4, 5, 6, 7, 8],
    "subjects": None,
    "min_participants": 5,
    "percentile": 90.0,
    "min_threshold": 0.1,
    "min_cells": 2,
    "low_cell_share": 0.5,
    "years_back": 2,
    "low_years_required": 2,
    "context_indicators": [
        "share_special_needs",
        "share_non_native",
        "share_low_income",
        "share_single_parent",
        "is_rural",
        "is_small",
    ],
    "context_weights": {
        "share_special_needs": 1.0,
        "share_non_native": 1.0,
        "share_low_income": 1.0,
        "share_single_parent": 1.0,
        "is_rural": 1.0,
        "is_small": 1.0,
    },
    "context_percentile": 75.0,
    "bias_top_share": 0.1,
    "bias_mean_rise": 0.5,
    "exclude_biased": False,
}


def create(apps, schema_editor):
    Methodology = apps.get_model("assessment", "Methodology")
    Methodology.objects.get_or_create(
        name=NAME,
        version=1,
        defaults={
            "params": PARAMS,
            "is_default": True,
            "description": "Доля «2» по ВПР в ячейках (школа × класс × предмет) за три года; порог "
            "ячейки — 90-й процентиль по региону, но не ниже 10 %; ШНСУ — индекс "
            "социального контекста не ниже 75-го процентиля.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
