"""Issue 9: a diluted zip bomb (and one whose sizes lie) is refused on the registry import,
in under a second, without unpacking it (bounded memory), and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.accounts.models import Role
from opora.registry.importing import plan_school_import
from opora.testing.bombs import BOMBS, assert_refused
from opora.testing.factories import UserFactory
from opora.testing.registry_files import written


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_the_registry_import_refuses_a_bomb(db, bomb):
    data = BOMBS[bomb]("xlsx")
    assert_refused(lambda: plan_school_import(data, 2026, "реестр.xlsx"))


def test_the_registry_page_tells_the_user(client, db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(UserFactory(username="region", role=Role.REGION))
    before = written()
    response = client.post(
        reverse("registry:import"),
        {"file": SimpleUploadedFile("реестр.xlsx", BOMBS["diluted"]("xlsx")), "year": 2026},
    )
    assert "похоже на «zip-бомбу»" in response.content.decode()
    assert written() == before
