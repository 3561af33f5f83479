"""Issue 9: zip bombs are refused on the monitoring answers import and the interview protocol
import, in under a second and without unpacking them (the protocol reader had no check)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.interviews.models import InterviewProtocol
from opora.interviews.readers import protocol_file as protocol_file
from opora.interviews.readers.protocol import read_protocol
from opora.monitoring import exchange as exchange
from opora.monitoring import services as monitoring
from opora.monitoring.defaults import ensure_default_template
from opora.testing.bombs import BOMBS, assert_refused


@pytest.fixture
def campaign(world):
    return monitoring.create_campaign(
        world.users.municipal,
        title="Мониторинг выполнения программ",
        municipality=world.home,
        template=ensure_default_template(),
        period_text="1 полугодие 2025-2026 учебного года",
        due_date=date(2026, 2, 15),
    )


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_the_monitoring_answers_import_refuses_a_bomb(world, campaign, bomb):
    data = BOMBS[bomb]("xlsx")
    user = world.users.municipal
    said = assert_refused(
        lambda: exchange.plan_answers_import(user, campaign, data, "ответы.xlsx").errors
    )
    assert "zip-бомб" in said


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_the_protocol_reader_refuses_a_bomb(bomb):
    data = BOMBS[bomb]("docx")
    assert_refused(lambda: read_protocol(data))
    assert_refused(lambda: protocol_file.read_protocol_file(data))


def test_the_protocol_page_tells_the_user(client, world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(world.users.region)
    before = InterviewProtocol.objects.count()
    response = client.post(
        reverse("interviews:protocol_import"),
        {"file": SimpleUploadedFile("протокол.docx", BOMBS["lying"]("docx"))},
    )
    assert response.status_code == 200
    assert "похоже на «zip-бомбу»" in response.content.decode()
    assert InterviewProtocol.objects.count() == before
