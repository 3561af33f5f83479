"""Issue 9: every roadmap upload is checked — the table import, evidence files and the
approval document — and stored files are served as what their content is, as downloads."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.accounts.models import Role
from opora.roadmaps import services
from opora.roadmaps.evidence import check_evidence_file
from opora.roadmaps.models import Evidence, Roadmap, RoadmapStatus
from opora.roadmaps.table_reader import read_roadmap
from opora.testing.bombs import BOMBS, assert_refused
from opora.testing.factories import UserFactory
from opora.testing.roadmaps import PDF, municipal_roadmap, post_report
from opora.testing.world import login_as

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
HTML = b"<html><script>alert(1)</script></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_the_roadmap_reader_refuses_a_bomb(bomb, kind):
    data = BOMBS[bomb](kind)
    assert_refused(lambda: read_roadmap(data, f"карта.{kind}"))


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_an_evidence_file_that_is_a_bomb_is_refused(bomb, kind):
    upload = SimpleUploadedFile(f"отчёт.{kind}", BOMBS[bomb](kind))
    assert_refused(lambda: check_evidence_file(upload))


def test_a_report_with_a_bomb_stores_nothing(client, world):
    roadmap, event = municipal_roadmap(world)
    login_as(client, world, "municipal")
    page = post_report(
        client,
        event,
        event.periods.get(start=date(2026, 3, 1)),
        files=SimpleUploadedFile("отчёт.xlsx", BOMBS["diluted"]("xlsx")),
    )
    assert "похоже на «zip-бомбу»" in page.content.decode()
    assert not Evidence.objects.filter(report__event=event).exists()


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_the_approval_document_is_checked_like_evidence(world, bomb):
    roadmap, _ = municipal_roadmap(world, status=RoadmapStatus.SUBMITTED)
    upload = SimpleUploadedFile("приказ.docx", BOMBS[bomb]("docx"))
    user = world.users.municipal
    assert_refused(
        lambda: services.approve_roadmap(
            user, roadmap, kind="приказ", number="1", day=date(2026, 2, 10), file=upload
        )
    )
    assert Roadmap.objects.get(pk=roadmap.pk).status == RoadmapStatus.SUBMITTED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("приказ.pdf", HTML, "тип определяется по содержимому"),
        ("приказ.pdf", b"", "пуст"),
        ("приказ.pdf", PDF + b" " * (20 * 1024 * 1024), "больше 20 МБ"),
    ],
)
def test_an_approval_document_of_any_kind_or_size_is_refused(client, world, name, content, message):
    roadmap, _ = municipal_roadmap(world, status=RoadmapStatus.SUBMITTED)
    login_as(client, world, "municipal")
    page = client.post(
        reverse("roadmaps:transition", args=[roadmap.pk, "approve"]),
        {
            "kind": "приказ УООиП",
            "number": "353",
            "day": "2026-02-10",
            "file": SimpleUploadedFile(name, content),
        },
        follow=True,
    )
    assert message in page.content.decode()
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.SUBMITTED and not roadmap.approval_file


def test_the_approval_document_is_linked_and_served_within_the_roadmaps_scope(client, world):
    roadmap, _ = municipal_roadmap(world, status=RoadmapStatus.SUBMITTED)
    services.approve_roadmap(
        world.users.municipal,
        roadmap,
        kind="приказ УООиП",
        number="353",
        day=date(2026, 2, 10),
        file=SimpleUploadedFile("приказ.html", PNG, "text/html"),
    )
    url = reverse("roadmaps:approval_document", args=[roadmap.pk])
    login_as(client, world, "municipal")
    page = client.get(reverse("roadmaps:detail", args=[roadmap.pk])).content.decode()
    assert f'href="{url}"' in page

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"

    outsider = UserFactory(username="foreign", role=Role.MUNICIPAL, municipality=world.foreign)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    unapproved, _ = municipal_roadmap(world)
    login_as(client, world, "municipal")
    assert (
        client.get(reverse("roadmaps:approval_document", args=[unapproved.pk])).status_code == 404
    )


def test_evidence_is_served_as_its_content_not_its_name(client, world):
    roadmap, event = municipal_roadmap(world)
    login_as(client, world, "municipal")
    post_report(
        client,
        event,
        event.periods.get(start=date(2026, 3, 1)),
        files=SimpleUploadedFile("страница.html", PNG, "text/html"),
    )
    evidence = Evidence.objects.get(report__event=event)
    response = client.get(reverse("roadmaps:evidence", args=[evidence.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_evidence_that_is_not_an_allowed_type_is_refused_by_content():
    with pytest.raises(ValidationError, match="по содержимому"):
        check_evidence_file(SimpleUploadedFile("отчёт.pdf", HTML, "application/pdf"))
