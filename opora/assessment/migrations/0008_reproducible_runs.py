"""Reproducible runs (issue 13): a run keeps the fingerprint of its data, a results batch keeps
its history (who loaded and who deleted it); stored methodologies gain the comparison filters
(none by default, so their lists and comparison schools do not change)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def add_comparison_filters(apps, schema_editor):
    Methodology = apps.get_model("assessment", "Methodology")
    for methodology in Methodology.objects.all():
        if "comparison_filters" not in methodology.params:
            methodology.params = {**methodology.params, "comparison_filters": []}
            methodology.save(update_fields=["params"])


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0007_cells_without_database_foreign_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalidentificationrun',
            name='fingerprint',
            field=models.CharField(blank=True, max_length=64, verbose_name='отпечаток данных'),
        ),
        migrations.AddField(
            model_name='identificationrun',
            name='fingerprint',
            field=models.CharField(blank=True, max_length=64, verbose_name='отпечаток данных'),
        ),
        migrations.CreateModel(
            name='HistoricalResultBatch',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('file_name', models.CharField(max_length=300, verbose_name='файл')),
                ('checksum', models.CharField(db_index=True, max_length=64, verbose_name='контрольная сумма')),
                ('kind', models.CharField(blank=True, max_length=10, verbose_name='вид')),
                ('valid_only', models.BooleanField(default=False, verbose_name='только корректные строки')),
                ('status', models.CharField(choices=[('queued', 'в очереди'), ('running', 'загружается'), ('done', 'загружен'), ('refused', 'отклонён'), ('failed', 'ошибка')], default='queued', max_length=10, verbose_name='состояние')),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='готовность, %')),
                ('rows', models.PositiveIntegerField(default=0, verbose_name='строк загружено')),
                ('rows_total', models.PositiveIntegerField(default=0, verbose_name='строк в файле')),
                ('schools', models.PositiveIntegerField(default=0, verbose_name='школ')),
                ('years', models.JSONField(blank=True, default=list, verbose_name='годы')),
                ('procedures', models.JSONField(blank=True, default=list, verbose_name='процедуры')),
                ('rejected_count', models.PositiveIntegerField(default=0, verbose_name='отклонено строк')),
                ('message', models.TextField(blank=True, verbose_name='сообщение')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='загружен')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='завершён')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical пакет результатов',
                'verbose_name_plural': 'historical пакеты результатов',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(add_comparison_filters, migrations.RunPython.noop),
    ]
