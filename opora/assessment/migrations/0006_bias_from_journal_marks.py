"""The bias signal reads the journal marks now (issue 13): stored methodologies lose the two
parameters of the former rule and gain the new ones with their defaults; small cells may be
pooled (off by default), the fair view names its comparison schools, ШНСУ may be set by
absolute thresholds (off by default) and a passport is used at most a year past its year. The lists of the
default methodology do not change: only the bias flag, which it shows and does not apply."""

from django.db import migrations

LEGACY = ("bias_top_share", "bias_mean_rise")
NEW = {
    "bias_min_pupils": 10,
    "bias_margin": 0.15,
    "pool_small": "",
    "comparison_schools": 10,
    "context_absolute": {},
    "passport_max_age": 1,
}


def forward(apps, schema_editor):
    Methodology = apps.get_model("assessment", "Methodology")
    for methodology in Methodology.objects.all():
        params = {k: v for k, v in methodology.params.items() if k not in LEGACY}
        params = {**params, **{k: v for k, v in NEW.items() if k not in params}}
        if params != methodology.params:
            methodology.params = params
            methodology.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("assessment", "0005_fewer_cell_indexes")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
