"""The register of documents (issue 12, «Every generated document in one register»): every
generated document listed, searched by kind, organisation, date, number and text, and each user
sees only the documents whose source they may see — a school only fixed ones."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from opora.documents.models import Document, DocumentKind
from opora.documents.selectors import RegisterFilter, register
from opora.testing import FOREIGN_MARK


@pytest.fixture
def documents(db, world):
    author = world.users.region

    def make(title, kind=DocumentKind.DECREE, number="", day=None, organisation="ДОО ТО"):
        return Document.objects.create(
            kind=kind,
            organisation=organisation,
            title=title,
            body=f"Текст: {title}",
            number=number,
            date=day,
            is_fixed=bool(number),
            created_by=author,
        )

    return {
        "roadmap": make("Об утверждении дорожной карты", number="128", day=date(2024, 3, 5)),
        "lists": make("Об утверждении перечней ШНОР и ШНСУ", number="17-р", day=date(2024, 1, 20)),
        "protocol": make(
            "Протокол собеседований",
            kind=DocumentKind.PROTOCOL,
            number="3",
            day=date(2023, 6, 17),
            organisation="ТОИПКРО",
        ),
        "draft": make("О проведении мониторинга"),
    }


def _titles(user, **f) -> list[str]:
    return [d.title for d in register(user, RegisterFilter(**f))]


def test_the_region_sees_every_document_newest_first_drafts_last(world, documents):
    titles = _titles(world.users.region)
    mine = [t for t in titles if FOREIGN_MARK.lower() not in t.lower()]
    assert mine == [
        "Об утверждении дорожной карты",
        "Об утверждении перечней ШНОР и ШНСУ",
        "Протокол собеседований",
        "О проведении мониторинга",
    ]


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        ({"kind": DocumentKind.PROTOCOL}, ["Протокол собеседований"]),
        ({"organisation": "тоипкро"}, ["Протокол собеседований"]),
        ({"number": "№ 17"}, ["Об утверждении перечней ШНОР и ШНСУ"]),
        (
            {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)},
            ["Об утверждении дорожной карты", "Об утверждении перечней ШНОР и ШНСУ"],
        ),
        ({"text": "шнсу"}, ["Об утверждении перечней ШНОР и ШНСУ"]),
        ({"state": "draft", "organisation": "ДОО"}, ["О проведении мониторинга"]),
    ],
)
def test_the_register_is_searched_by_kind_organisation_number_date_and_text(
    world, documents, f, expected
):
    assert _titles(world.users.region, **f) == expected


def test_a_school_sees_no_drafts_and_nothing_of_other_sources(world, documents):
    # Documents without a source belong to the region and their author.
    assert _titles(world.users.school) == []
    assert _titles(world.users.municipal) == []


def test_the_register_page_lists_filters_and_counts_in_russian(client, world, documents):
    client.force_login(world.users.region)

    page = client.get(reverse("documents:register"), {"kind": "decree", "state": "fixed"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Найдено: 2 документа" in html
    assert html.count('data-testid="register-row"') == 2
    assert "05.03.2024" in html and "17-р" in html

    empty = client.get(reverse("documents:register"), {"number": "999"})
    assert "По этим условиям документов нет" in empty.content.decode()
    wrong = client.get(
        reverse("documents:register"), {"date_from": "2024-05-01", "date_to": "2024-01-01"}
    )
    assert "Конец периода раньше его начала" in wrong.content.decode()
