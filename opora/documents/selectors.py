"""Reads of the documents layer that depend on who asks: the register of documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import F, Q, QuerySet

from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region
from opora.documents.models import Document
from opora.documents.services import can_view

#: The register shows the newest documents that match; a search narrows a longer list.
REGISTER_LIMIT = 1000


@dataclass
class RegisterFilter:
    """What the register is searched by: «приказ», «Каргасок», «128», March 2024 …"""

    kind: str = ""
    organisation: str = ""
    number: str = ""
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    state: str = ""  # "fixed", "draft" or "" for both


def _filtered(f: RegisterFilter) -> QuerySet[Document]:
    qs = Document.objects.select_related("content_type", "created_by")
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.number:
        qs = qs.filter(number__icontains=f.number.removeprefix("№").strip())
    if f.date_from:
        qs = qs.filter(date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(date__lte=f.date_to)
    if connection.vendor == "postgresql":  # SQLite folds the case of Latin letters only
        if f.organisation:
            qs = qs.filter(organisation__icontains=f.organisation)
        if f.text:
            qs = qs.filter(Q(title__icontains=f.text) | Q(body__icontains=f.text))
    if f.state == "fixed":
        qs = qs.filter(is_fixed=True)
    elif f.state == "draft":
        qs = qs.filter(is_fixed=False)
    return qs.order_by(F("date").desc(nulls_last=True), "-created_at", "-pk")


def register(user, f: RegisterFilter | None = None) -> list[Document]:
    """The documents the user may see, newest first: fixed ones by their date, then drafts.

    Who sees a document follows its source (see :mod:`opora.documents.services`): the region
    sees all of them; everyone else sees the documents of the objects in their scope, a school
    only fixed ones. Sources are loaded in one query per kind of source, not one per document.
    """
    qs = _filtered(f or RegisterFilter())
    if user.role == Role.SCHOOL:
        qs = qs.filter(is_fixed=True)
    if connection.vendor != "postgresql" and (f and (f.organisation or f.text)):
        qs = qs.filter(
            pk__in=[
                pk
                for pk, *texts in qs.values_list("pk", "organisation", "title", "body")
                if _matches(f, *texts)
            ]
        )
    candidates = list(qs.prefetch_related("source")[:REGISTER_LIMIT])
    if can_write_region(user):
        return candidates
    return [document for document in candidates if can_view(user, document)]


def _matches(f: RegisterFilter, organisation: str, title: str, body: str) -> bool:
    if f.organisation and f.organisation.casefold() not in organisation.casefold():
        return False
    return not f.text or f.text.casefold() in f"{title}\n{body}".casefold()
