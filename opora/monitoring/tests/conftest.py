"""Fixtures of the monitoring tests: a campaign of the home municipality."""

from datetime import date

import pytest

from opora.monitoring import services as monitoring
from opora.monitoring.defaults import ensure_default_template


@pytest.fixture
def campaign(world):
    user = world.users.municipal
    return monitoring.create_campaign(
        user,
        title="Мониторинг выполнения программ",
        municipality=world.home,
        template=ensure_default_template(),
        period_text="1 полугодие 2025-2026 учебного года",
        due_date=date(2026, 2, 15),
    )
