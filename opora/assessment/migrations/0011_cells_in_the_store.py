"""The per-school aggregates move from the database into the store (issue 10): each loaded
batch's cells are written as its cells file (``results/<database>/cells/batch-N.parquet``)
before the table goes. Going back recreates the table empty (the files stay)."""

from django.db import migrations


def cells_to_the_store(apps, schema_editor):
    import pyarrow as pa

    from opora.assessment import store
    from opora.assessment.services import results_root

    CellResult = apps.get_model("assessment", "CellResult")
    ResultBatch = apps.get_model("assessment", "ResultBatch")
    alias = schema_editor.connection.alias
    loaded = ResultBatch.objects.using(alias).filter(status="done").values_list("pk", flat=True)
    names = ("year", "procedure", "grade", "subject", "participants", "n2", "n3", "n4", "n5")
    for batch_id in loaded:
        rows = list(
            CellResult.objects.using(alias)
            .filter(batch_id=batch_id)
            .values_list("school__code", *names)
            .iterator(chunk_size=20000)
        )
        if rows:
            columns = list(zip(*rows, strict=True))
            table = pa.table(
                {
                    name: pa.array(values)
                    for name, values in zip(("school_code", *names), columns, strict=True)
                }
            )
            store.write_cells(results_root(), batch_id, table, publish=True)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0010_runs_without_explanations_json"),
    ]

    operations = [
        migrations.RunPython(cells_to_the_store, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="cellresult",
            name="assessment__school__a6169a_idx",
        ),
        migrations.DeleteModel(
            name="CellResult",
        ),
    ]
