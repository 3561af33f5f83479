"""The order approving a roadmap, with the roadmap as its appendix (issue 12, «The documents
the seeds approve»; seeds 002 and 003): drafted from the roadmap, its requisites from the
registry, the municipality declined, the appendix mark completed when the order is fixed."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from django.test import Client
from django.urls import reverse

from opora.documents import services as documents
from opora.documents.models import Document
from opora.registry.models import Organisation, OrganisationKind
from opora.roadmaps.documents import create_approval_order
from opora.testing.roadmaps import municipal_roadmap

AUTHORITY = (
    "Управление образования, опеки и попечительства муниципального образования «Каргасокский район»"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def authority(world):
    return Organisation.objects.create(
        name=AUTHORITY,
        short_name="УООиП",
        kind=OrganisationKind.MUNICIPAL_AUTHORITY,
        municipality=world.home,
    )


def test_the_order_is_drafted_with_the_roadmap_as_its_appendix(world, authority):
    roadmap, event = municipal_roadmap(world)
    user = world.users.municipal

    order = create_approval_order(user, roadmap)

    assert order.kind == "decree" and order.source == roadmap and not order.is_fixed
    assert order.organisation == AUTHORITY  # from the registry, as written there
    assert order.title == "Об утверждении дорожной карты Каргасокского района на 2026 год"
    body = order.body
    assert "на территории Каргасокского района," in body
    assert "ПРИКАЗЫВАЮ:" in body
    assert "согласно приложению к настоящему приказу." in body
    assert "| 1. | Совещание с руководителями школ | ежемесячно | УООиП, кураторы |" in body
    assert "| Организация | | | |" in body

    fixed = documents.fix_document(user, order, number="353", day=date(2026, 6, 8))

    assert "от 08.06.2026 № 353" in fixed.body
    assert "Приложение к приказу Управления образования, опеки и попечительства" in fixed.body
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(documents.docx_bytes(fixed))).paragraphs
    )
    assert "08.06.2026 №\u00a0353" in text  # the number never leaves its sign on a line


def test_without_the_authority_in_the_registry_the_order_is_refused_in_russian(world):
    roadmap, _ = municipal_roadmap(world)
    Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPAL_AUTHORITY, municipality=world.home
    ).delete()

    client = Client()
    client.force_login(world.users.municipal)
    response = client.post(reverse("roadmaps:approval_order", args=[roadmap.pk]), follow=True)

    assert "нет органа управления образованием" in response.content.decode()
    assert not Document.objects.filter(object_id=roadmap.pk, title__startswith="Об утв").exists()


def test_the_roadmap_page_drafts_the_order_and_opens_it(client, world, authority):
    roadmap, _ = municipal_roadmap(world)
    client.force_login(world.users.municipal)

    page = client.get(reverse("roadmaps:detail", args=[roadmap.pk]))
    assert 'data-testid="approval-order"' in page.content.decode()
    response = client.post(reverse("roadmaps:approval_order", args=[roadmap.pk]))

    order = Document.objects.get(object_id=roadmap.pk, title__startswith="Об утверждении")
    assert response.url == reverse("documents:detail", args=[order.pk])
    # A school of the district may not draft the district's order.
    client.force_login(world.users.school)
    client.post(reverse("roadmaps:approval_order", args=[roadmap.pk]))
    assert Document.objects.filter(object_id=roadmap.pk).count() == 1
