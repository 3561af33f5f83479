"""The content types of the moved models follow them from ``registry`` to ``people``.

Permissions, admin log entries and anything else that names a content type by its id keep
pointing to the same rows; only the row's ``app_label`` changes. On a fresh database there is
nothing to rename yet (content types are made after the migrations).
"""

from django.db import migrations

MOVED = (
    "person",
    "workinggroup",
    "workinggroupmember",
    "coordinator",
    "curatorassignment",
    "schoolpair",
    "historicalperson",
    "historicalworkinggroup",
    "historicalworkinggroupmember",
    "historicalcoordinator",
    "historicalcuratorassignment",
    "historicalschoolpair",
)


def _move(apps, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        old = content_type.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        # A stray row made for the new label (a post_migrate run in between) gives way to
        # the old one, which permissions and log entries point to.
        content_type.objects.filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _move(apps, "registry", "people")


def backwards(apps, schema_editor):
    _move(apps, "people", "registry")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0001_initial"),
        ("registry", "0003_people_moved_out"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
