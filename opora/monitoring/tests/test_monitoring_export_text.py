"""The monitoring answers export writes a school's comment that looks like a formula as text
(issue 9): a school cannot plant a live link in the coordinator's file."""

from datetime import date

import pytest
from django.urls import reverse

from opora.monitoring import selectors as monitoring_selectors
from opora.monitoring import services as monitoring
from opora.monitoring.defaults import ensure_default_template
from opora.testing.spreadsheets import FORMULA, text_cells


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


def test_a_formula_in_a_comment_is_exported_as_text(client, world):
    municipal, school = world.users.municipal, world.users.school
    campaign = monitoring.create_campaign(
        municipal,
        title="Мониторинг выполнения программ",
        municipality=world.home,
        template=ensure_default_template(),
        period_text="1 полугодие 2025-2026 учебного года",
        due_date=date(2026, 2, 15),
    )
    sheet = campaign.sheets.get(school=world.home_school)
    item = monitoring_selectors.template_items(campaign.template)[0]
    monitoring.save_answer(school, sheet, item, answer="partly", comment=FORMULA)

    client.force_login(municipal)
    response = client.get(reverse("monitoring:campaign_export", args=[campaign.pk]))

    assert response.status_code == 200
    text_cells(response.content, FORMULA)
