"""Reads of interview protocols that depend on who asks (scoped querysets)."""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.interviews.models import Interview, InterviewProtocol
from opora.recommendations.models import (
    RecommendationStatus,
)
from opora.recommendations.selectors import OPEN_STATES, recommendations_for


def protocols_for(user) -> QuerySet[InterviewProtocol]:
    """Protocols the user may open: all for the region-wide roles, those with an interview
    of one's municipalities for a municipality or a curator, none for a school."""
    if not user.is_authenticated or user.role == Role.SCHOOL:
        return InterviewProtocol.objects.none()
    scope = scope_for(user)
    if scope.everything:
        return InterviewProtocol.objects.all()
    return InterviewProtocol.objects.filter(
        Exists(
            Interview.objects.filter(
                protocol=OuterRef("pk"), municipality_id__in=scope.municipality_ids
            )
        )
    )


def protocol_for(user, pk: int) -> InterviewProtocol | None:
    return protocols_for(user).filter(pk=pk).first()


def interviews_for(user) -> QuerySet[Interview]:
    if not user.is_authenticated or user.role == Role.SCHOOL:
        return Interview.objects.none()
    scope = scope_for(user)
    if scope.everything:
        return Interview.objects.all()
    return Interview.objects.filter(municipality_id__in=scope.municipality_ids)


def protocol_list(user) -> QuerySet[InterviewProtocol]:
    """Protocols with the counts of what the user sees in them: municipalities,
    recommendations, done and overdue ones."""
    today = timezone.localdate()
    visible = recommendations_for(user).filter(interview__protocol=OuterRef("pk"))

    def counted(qs, column="pk"):
        return Coalesce(
            Subquery(
                qs.order_by()
                .values("interview__protocol")
                .annotate(n=Count(column, distinct=True))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    return (
        protocols_for(user)
        .annotate(
            municipality_count=counted(visible, "municipality"),
            recommendation_count=counted(visible),
            done_count=counted(visible.filter(status=RecommendationStatus.DONE)),
            overdue_count=counted(visible.filter(due_date__lt=today, status__in=OPEN_STATES)),
            first_date=Subquery(
                Interview.objects.filter(protocol=OuterRef("pk"))
                .order_by("date")
                .values("date")[:1]
            ),
            last_date=Subquery(
                Interview.objects.filter(protocol=OuterRef("pk"))
                .order_by("-date")
                .values("date")[:1]
            ),
        )
        .order_by(F("first_date").desc(nulls_last=True), "-created_at")
    )


def protocol_excerpt(user, protocol: InterviewProtocol):
    """The excerpt of the protocol for a user who sees only some of its municipalities: the
    requisites of the fixed protocol (its number and date; «ПРОЕКТ» until it is fixed) with the
    user's rows only, ready for :func:`opora.documents.render.render_requisites`."""
    from opora.documents.models import Document
    from opora.documents.render import Requisites
    from opora.interviews.documents import EXCERPT_HEADING, interviews_of, protocol_draft

    draft = protocol_draft(protocol, interviews_of(protocol, interviews_for(user)), excerpt=True)
    fixed = (
        Document.objects.filter(
            content_type__app_label="interviews",
            content_type__model="interviewprotocol",
            object_id=protocol.pk,
            is_fixed=True,
        )
        .order_by("-date", "-pk")
        .first()
    )
    return Requisites(
        kind=draft.kind,
        organisation=draft.organisation,
        title=draft.title,
        body=draft.body,
        place=draft.place,
        number=fixed.number if fixed else "",
        date=fixed.date if fixed else None,
        signer=draft.signer,
        draft=fixed is None,
        heading=EXCERPT_HEADING,
    )
