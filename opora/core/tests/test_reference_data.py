"""Reference data arrives one way — contributed loaders run after migrate — and pages only
read it: opening them on a database without it creates nothing."""

import contextlib

import pytest
from django.apps import apps
from django.db.models import ProtectedError
from django.urls import reverse

from opora.core.reference import fully_migrated, load_reference_data

pytestmark = pytest.mark.django_db


def _model(label):
    return apps.get_model(label)


def test_the_test_database_starts_with_the_reference_data():
    assert fully_migrated()
    template = _model("monitoring.ChecklistTemplate").objects.get(is_default=True)
    assert template.items.count() > 0
    assert _model("risks.RiskFactor").objects.count() == 12
    assert _model("coaching.PracticeIndicator").objects.count() == 11
    assert _model("development.RubricItem").objects.filter(is_active=True).count() == 7


def test_loading_again_changes_nothing_a_user_edited():
    factor = _model("risks.RiskFactor").objects.order_by("order").first()
    factor.title = "Изменённое регионом название"
    factor.save()
    counts = [_model(m).objects.count() for m in ("risks.RiskFactor", "monitoring.ChecklistItem")]
    assert load_reference_data() == [
        "чек-лист мониторинга",
        "методика по умолчанию",
        "факторы риска",
        "показатели самоанализа",
        "карта наблюдения урока",
    ]
    assert [
        _model(m).objects.count() for m in ("risks.RiskFactor", "monitoring.ChecklistItem")
    ] == counts
    factor.refresh_from_db()
    assert factor.title == "Изменённое регионом название"


def test_pages_do_not_create_reference_data(client, world):
    Template = _model("monitoring.ChecklistTemplate")
    Factor = _model("risks.RiskFactor")
    Template.objects.filter(is_default=True).update(is_default=False)
    for factor in Factor.objects.all():  # those the world's objects do not hold
        with contextlib.suppress(ProtectedError):
            factor.delete()
    assert Factor.objects.count() < 12
    before = (Template.objects.count(), Factor.objects.count())
    client.force_login(world.users.region)
    for name in ("monitoring:checklist_list", "monitoring:campaign_create", "risks:overview"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert (Template.objects.count(), Factor.objects.count()) == before
