"""The hand-over of the «reviews» models to the four new apps keeps every row and content type.

The database is taken back to the last migration of before the split (the models still in
«reviews»), rows and content types are made through that state, and the migrations are run
forward again: the rows read back through the new apps' models, the content types keep their
ids under the new labels, and so do the permissions attached to them.
(``tools/check_reviews_split.py`` does the same with a database made by the old code itself.)
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("reviews", "0002_monitoring_items"),
    ("expertise", None),
    ("interviews", None),
    ("recommendations", None),
    ("monitoring", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The state of what is applied now: the models as the migrations left them.
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True)
def test_rows_and_content_types_pass_to_the_new_apps():
    old = _migrate(BEFORE)
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    Municipality = old.get_model("registry", "Municipality")
    Region = old.get_model("registry", "Region")
    region = Region.objects.create(name="Томская область")
    home = Municipality.objects.create(name="Каргасокский район", region=region)
    Protocol = old.get_model("reviews", "InterviewProtocol")
    Interview = old.get_model("reviews", "Interview")
    Recommendation = old.get_model("reviews", "Recommendation")
    Template = old.get_model("reviews", "ChecklistTemplate")
    CriteriaSet = old.get_model("reviews", "CriteriaSet")
    protocol = Protocol.objects.create(title="ПРОТОКОЛ собеседования")
    interview = Interview.objects.create(
        protocol=protocol, municipality=home, date="2020-06-17", name_as_written="Каргасокский"
    )
    Recommendation.objects.create(interview=interview, municipality=home, text="наставничество")
    Template.objects.create(name="Чек-лист")
    CriteriaSet.objects.create(name="Критерии", purpose="municipal_expertise", year=2026)
    types = {}
    for model in ("recommendation", "interviewprotocol", "checklisttemplate", "criteriaset"):
        # Taken back, the content types of the test database are «reviews» ones again.
        ct, _ = ContentType.objects.get_or_create(app_label="reviews", model=model)
        Permission.objects.get_or_create(
            content_type=ct, codename=f"view_{model}", defaults={"name": model}
        )
        types[model] = ct.pk
    # A content type made for a new label before the rename (e.g. by a partial run) gives way.
    ContentType.objects.create(app_label="monitoring", model="checklisttemplate")

    call_command("migrate", verbosity=0)

    from django.contrib.auth.models import Permission as NewPermission
    from django.contrib.contenttypes.models import ContentType as NewContentType

    from opora.expertise.models import CriteriaSet as NewCriteriaSet
    from opora.interviews.models import InterviewProtocol
    from opora.monitoring.models import ChecklistTemplate
    from opora.recommendations.models import Recommendation as NewRecommendation

    assert NewRecommendation.objects.get().interview.protocol == InterviewProtocol.objects.get()
    # (beside the default checklist the reference data adds after every migrate)
    assert ChecklistTemplate.objects.filter(is_default=False).get().name == "Чек-лист"
    assert NewCriteriaSet.objects.get().year == 2026
    moved = {
        "recommendation": "recommendations",
        "interviewprotocol": "interviews",
        "checklisttemplate": "monitoring",
        "criteriaset": "expertise",
    }
    for model, app in moved.items():
        ct = NewContentType.objects.get(app_label=app, model=model)
        assert ct.pk == types[model]
        assert NewPermission.objects.filter(content_type=ct, codename=f"view_{model}").exists()
    assert not NewContentType.objects.filter(app_label="reviews", model__in=moved).exists()
