"""Generated documents: a draft is created from generated text, edited, then fixed.

Fixing gives the document its number and date, renders the .docx once and stores it; a fixed
document never changes again (the services refuse, the stored file is what is downloaded).

Who may see or change a document follows the object it was generated from: the rules
``<app>.view_<model>`` and ``<app>.change_<model>`` of its source (for a monitoring order,
``monitoring.view_monitoringcampaign`` / ``monitoring.change_monitoringcampaign``), or the two
its model names in ``document_permissions`` when seeing the object is not seeing everything in
the document (an expertise's protocol shows the scores: ``expertise.view_expertise_scores``).
Schools see only fixed documents; a document without a source belongs to the region and to its
author, and says what it is about in ``topic`` («expertise-report-2026»).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet

from opora.accounts.guards import stamp
from opora.accounts.models import Role
from opora.accounts.scopes import can_write_region
from opora.documents.drafts import DATE_MARK, NUMBER_MARK, Draft, executor_mark
from opora.documents.models import Document, DocumentKind
from opora.documents.render import render_docx

EDITABLE_FIELDS = (
    "kind", "organisation", "title", "body", "place", "signer", "executor", "landscape",
)  # fmt: skip


# ---------------------------------------------------------------- permissions and reads


def _source_perm(user, document: Document, action: str) -> bool:
    source = document.source
    if source is None:
        return can_write_region(user) or (
            document.created_by_id is not None and document.created_by_id == user.pk
        )
    return user.has_perm(source_permission(source, action), source)


def source_permission(source, action: str) -> str:
    """``action`` is «view» or «change»: the rule that governs the source's documents."""
    named = getattr(source, "document_permissions", None)
    if named:
        return named[action]
    meta = source._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def can_view(user, document: Document) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.SCHOOL and not document.is_fixed:
        return False
    return _source_perm(user, document, "view")


def can_edit(user, document: Document) -> bool:
    return user.is_authenticated and _source_perm(user, document, "change")


def document_for(user, pk: int) -> Document | None:
    document = Document.objects.select_related("content_type", "created_by").filter(pk=pk).first()
    if document is None or not can_view(user, document):
        return None
    return document


def documents_of(user, source) -> QuerySet[Document]:
    """The documents generated from ``source`` that the user may see (drafts and fixed)."""
    if not user.is_authenticated or not user.has_perm(source_permission(source, "view"), source):
        return Document.objects.none()
    content_type = ContentType.objects.get_for_model(source)
    qs = Document.objects.filter(content_type=content_type, object_id=source.pk)
    if user.role == Role.SCHOOL:
        qs = qs.filter(is_fixed=True)
    return qs.order_by("-created_at")


def documents_about(user, topic: str) -> QuerySet[Document]:
    """The documents without a source about ``topic`` that the user may see."""
    qs = Document.objects.filter(content_type=None, topic=topic).order_by("-created_at")
    if can_write_region(user):
        return qs
    return qs.filter(created_by_id=user.pk) if user.is_authenticated else qs.none()


# ---------------------------------------------------------------- writes


def _check_draft(document: Document) -> None:
    if document.is_fixed:
        raise ValidationError(
            f"Документ зафиксирован (№ {document.number} от {document.date:%d.%m.%Y}) и "
            "больше не меняется."
        )


@transaction.atomic
def create_draft(user, draft: Draft, *, source=None, topic: str = "") -> Document:
    """A draft document from generated text (no number and date yet).

    Example: a :class:`Draft` of kind «order», organisation «Администрация Города Томска\\n
    Департамент образования», title «О результатах анализа мониторинга …», body of paragraphs.
    """
    if draft.kind not in DocumentKind.values:
        raise ValidationError("Неизвестный вид документа.")
    document = Document(
        kind=draft.kind,
        organisation=draft.organisation.strip(),
        title=draft.title.strip(),
        body=draft.body.strip(),
        place=draft.place.strip(),
        signer=draft.signer.strip(),
        # The executor's mark (ГОСТ, п. 5.26): whoever prepares the draft, unless it names one.
        executor=draft.executor.strip() or executor_mark(user),
        landscape=draft.landscape,
        topic="" if source is not None else topic,
        created_by=user,
    )
    if source is not None:
        document.source = source
    if not can_edit(user, document):
        raise PermissionDenied("Недостаточно прав.")
    stamp(document, user)
    document.save()
    return document


@transaction.atomic
def open_draft(
    user, build: Callable[[], Draft], *, kind: str, source=None, topic: str = ""
) -> tuple[Document, bool]:
    """The draft of ``kind`` already made from ``source`` (or about ``topic``) that is still
    being edited, or a new one built now: (document, created). One draft at a time, so two
    people preparing the same protocol edit the same text; a fixed one is never reopened.
    """
    if source is not None:
        content_type = ContentType.objects.get_for_model(source)
        drafts = Document.objects.filter(content_type=content_type, object_id=source.pk)
    else:
        drafts = Document.objects.filter(content_type=None, topic=topic)
    existing = drafts.filter(kind=kind, is_fixed=False).order_by("-created_at").first()
    if existing is not None:
        if not can_edit(user, existing):
            raise PermissionDenied("Недостаточно прав.")
        return existing, False
    return create_draft(user, build(), source=source, topic=topic), True


@transaction.atomic
def update_draft(user, document: Document, **fields) -> Document:
    """Edit the text and requisites of a draft; a fixed document is refused."""
    if not can_edit(user, document):
        raise PermissionDenied("Недостаточно прав.")
    document = Document.objects.select_for_update().get(pk=document.pk)
    _check_draft(document)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Эти поля не правятся: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(document, name, value.strip() if isinstance(value, str) else value)
    if not document.title:
        raise ValidationError("Заголовок документа не может быть пустым.")
    if not document.body:
        raise ValidationError("Текст документа не может быть пустым.")
    stamp(document, user)
    document.save()
    return document


_NUMBER = re.compile(r"^[0-9A-Za-zА-Яа-яЁё/.\-]{1,50}$")


@transaction.atomic
def fix_document(user, document: Document, *, number: str, day: date) -> Document:
    """Give the draft its number and date, render the .docx and keep it; no changes after.

    A number already given to another document of the same organisation, kind and year is
    refused («128» twice in 2024 is a mistake in the register).
    """
    if not can_edit(user, document):
        raise PermissionDenied("Недостаточно прав.")
    document = Document.objects.select_for_update().get(pk=document.pk)
    _check_draft(document)
    number = (number or "").strip().removeprefix("№").strip()
    if not number or not _NUMBER.match(number):
        raise ValidationError("Укажите номер документа, например «128» или «128-р».")
    if day is None:
        raise ValidationError("Укажите дату документа.")
    taken = Document.objects.filter(
        is_fixed=True,
        kind=document.kind,
        organisation=document.organisation,
        number=number,
        date__year=day.year,
    ).exclude(pk=document.pk)
    if taken.exists():
        raise ValidationError(f"Номер {number} в {day.year} году уже занят другим документом.")
    document.number, document.date, document.is_fixed = number, day, True
    for name in ("body", "signer"):  # an appendix mark; the date of a certification «Верно»
        text = getattr(document, name)
        setattr(
            document, name, text.replace(NUMBER_MARK, number).replace(DATE_MARK, f"{day:%d.%m.%Y}")
        )
    content = render_docx(document)
    document.file.save(file_name(document), ContentFile(content), save=False)
    stamp(document, user)
    document.save()
    return document


@transaction.atomic
def delete_draft(user, document: Document) -> None:
    if not can_edit(user, document):
        raise PermissionDenied("Недостаточно прав.")
    _check_draft(document)
    stamp(document, user)
    document.delete()


def docx_bytes(document: Document) -> bytes:
    """The stored file of a fixed document; a draft is rendered now (marked «ПРОЕКТ»)."""
    if document.is_fixed and document.file:
        with document.file.open("rb") as stored:
            return stored.read()
    return render_docx(document)


def file_name(document: Document) -> str:
    kind = document.get_kind_display()
    if document.is_fixed:
        return f"{kind} от {document.date:%d.%m.%Y} № {document.number}.docx".replace("/", "-")
    return f"{kind} (проект {document.pk or 'новый'}).docx"
