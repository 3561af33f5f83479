"""Interviews with municipal authorities (seed 000): the writes.

The region interviews the head of each municipal education authority and writes a protocol:
for every municipality a list of recommendations («- организовать работу по наставничеству с
посещением уроков;»), and assignments to the regional institute. This module imports such a
protocol by hand and adds interviews to
it; the recommendations themselves are given and tracked by ``opora.recommendations.services``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.interviews.models import Interview, InterviewProtocol
from opora.recommendations import services as recommendation_services
from opora.recommendations.models import (
    Recommendation,
    RecommendationTemplate,
)
from opora.registry.models import Municipality


@transaction.atomic
def create_protocol(user, **fields) -> InterviewProtocol:
    """A protocol typed by hand: title, place, chairman, participants, agenda, due date…"""
    _require(user, "interviews.add_interviewprotocol")
    allowed = {
        "title",
        "place",
        "chairman",
        "secretary",
        "participants",
        "agenda",
        "document_number",
        "document_date",
        "revision_due",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"Неизвестные поля протокола: {', '.join(sorted(unknown))}.")
    if not str(fields.get("title", "")).strip():
        raise ValidationError("Укажите заголовок протокола.")
    protocol = _stamp(InterviewProtocol(created_by=user, **fields), user)
    protocol.full_clean()
    protocol.save()
    return protocol


@transaction.atomic
def add_interview(
    user,
    protocol: InterviewProtocol,
    *,
    municipality: Municipality,
    day: date,
    participants: str = "",
) -> Interview:
    """Add the interview of one municipality on ``day`` to a protocol."""
    _require(user, "interviews.change_interviewprotocol", protocol)
    order = protocol.interviews.count()
    interview = _stamp(
        Interview(
            protocol=protocol,
            municipality=municipality,
            date=day,
            order=order,
            name_as_written=municipality.name,
            participants=participants,
        ),
        user,
    )
    interview.save()
    return interview


@transaction.atomic
def add_recommendation(
    user,
    interview: Interview,
    *,
    text: str = "",
    template: RecommendationTemplate | None = None,
    due_date: date | None = None,
) -> Recommendation:
    """Give a recommendation at an interview: picked from the catalogue or typed.

    Example: ``add_recommendation(user, interview, text="организовать работу с кадровым
    резервом")`` finds the catalogue entry of the same advice or starts a new one.
    """
    _require(user, "interviews.change_interviewprotocol", interview.protocol)
    return recommendation_services.create_from_interview(
        user, interview, text=text, template=template, due_date=due_date
    )


# ---------------------------------------------------------------- documents


def draft_protocol(user, protocol: InterviewProtocol):
    """The protocol's draft (a Document sourced from it), opened if one is being edited, else
    built now from every interview: (document, created)."""
    from opora.documents import services as documents
    from opora.interviews.documents import interviews_of, protocol_draft

    _require(user, "interviews.change_interviewprotocol", protocol)
    return documents.open_draft(
        user,
        lambda: protocol_draft(protocol, interviews_of(protocol, Interview.objects.all())),
        kind="protocol",
        source=protocol,
    )


def draft_cover_letter(user, protocol: InterviewProtocol):
    """The letter sending the protocol to the municipalities (a Document sourced from the
    protocol), opened if one is being edited, else built now: (document, created)."""
    from opora.documents import services as documents
    from opora.interviews.documents import cover_letter

    _require(user, "interviews.change_interviewprotocol", protocol)
    return documents.open_draft(
        user, lambda: cover_letter(protocol, user), kind="letter", source=protocol
    )


def draft_certified_excerpt(user, interview: Interview):
    """The excerpt of the protocol for the interview's municipality, certified «Верно» (a
    Document sourced from the interview): (document, created)."""
    from opora.documents import services as documents
    from opora.interviews.documents import certified_excerpt, interviews_of

    _require(user, "interviews.change_interview", interview)
    protocol = interview.protocol

    def build():
        rows = interviews_of(protocol, Interview.objects.filter(pk=interview.pk))
        return certified_excerpt(protocol, rows[0])

    return documents.open_draft(user, build, kind="excerpt", source=interview)
