"""Reads of questionnaires that depend on who asks: questionnaires, campaigns, tracking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.core.calendar import current_year
from opora.core.ids import MAX_ID
from opora.registry.models import School, SchoolPassport, SchoolStatus
from opora.surveys.models import (
    STAFF,
    Audience,
    Campaign,
    CampaignSchool,
    Participation,
    Question,
    Questionnaire,
    Response,
    Section,
)

#: The tokens :func:`secrets.token_urlsafe` makes: nothing else is looked up.
#: Roles that answer signed in: a school's account (the head) and a teacher.
SIGNED_IN_STAFF = frozenset({Role.SCHOOL, Role.TEACHER})
TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def questionnaires_for(user) -> QuerySet[Questionnaire]:
    if not user.has_perm("surveys.view_questionnaire"):
        return Questionnaire.objects.none()
    return Questionnaire.objects.annotate(
        question_count=Count("sections__questions", distinct=True),
        campaign_count=Count("campaigns", distinct=True),
    ).order_by("-created_at")


def questionnaire_for(user, pk: int) -> Questionnaire | None:
    if pk > MAX_ID:
        return None
    return questionnaires_for(user).filter(pk=pk).first()


def structure(questionnaire: Questionnaire) -> list[Section]:
    """The sections, each with ``questions`` in order (two queries)."""
    questions = Question.objects.select_related("show_if").order_by("order", "pk")
    return list(
        questionnaire.sections.order_by("order", "pk").prefetch_related(
            Prefetch("questions", queryset=questions)
        )
    )


def campaigns_for(user) -> QuerySet[Campaign]:
    """Campaigns that reach a school of the user's scope (a school: its own; a teacher: the
    teachers' questionnaires sent to their school, nothing else)."""
    qs = Campaign.objects.select_related("questionnaire")
    if user.role == Role.TEACHER:
        if not user.school_id:
            return qs.none()
        return qs.filter(
            targets__school_id=user.school_id, questionnaire__audience=Audience.TEACHERS
        )
    scope = scope_for(user)
    if scope.everything:
        return qs
    targets = scope.filter(
        CampaignSchool.objects.all(), school="school_id", municipality="school__municipality_id"
    )
    return qs.filter(pk__in=targets.values("campaign_id"))


def campaign_for(user, pk: int) -> Campaign | None:
    if pk > MAX_ID:
        return None
    return campaigns_for(user).filter(pk=pk).first()


def campaign_list(user) -> list[Campaign]:
    """The campaigns with their numbers of schools and responses (two queries); a school
    user's campaigns carry ``answered`` — whether they have answered a staff one."""
    campaigns = list(campaigns_for(user).annotate(school_count=Count("targets")))
    responses = dict(
        Response.objects.filter(campaign__in=campaigns)
        .values_list("campaign_id")
        .annotate(n=Count("id"))
    )
    mine = set()
    if user.role in SIGNED_IN_STAFF:
        mine = set(
            Participation.objects.filter(user=user, campaign__in=campaigns).values_list(
                "campaign_id", flat=True
            )
        )
    today = timezone.localdate()
    for c in campaigns:
        c.response_count = responses.get(c.pk, 0)
        c.answered = c.pk in mine
        c.is_open = c.is_open_on(today)
        c.for_staff = c.questionnaire.audience in STAFF
    return campaigns


def target_for_token(token: str) -> CampaignSchool | None:
    """The school's place in a campaign its link names, or None (a malformed token is not
    even looked up)."""
    if not (16 <= len(token) <= 64) or not set(token) <= TOKEN_CHARS:
        return None
    return (
        CampaignSchool.objects.select_related("campaign__questionnaire", "school")
        .filter(token=token)
        .first()
    )


def own_target(user, campaign: Campaign) -> CampaignSchool | None:
    """A school user's place in the campaign (its link to hand out)."""
    if user.role != Role.SCHOOL or not user.school_id:
        return None
    return campaign.targets.filter(school_id=user.school_id).select_related("school").first()


def has_answered(user, campaign: Campaign) -> bool:
    qs = Participation.objects.filter(campaign=campaign)
    if campaign.questionnaire.audience == Audience.HEAD:
        return qs.filter(school_id=user.school_id).exists()
    return qs.filter(user=user).exists()


@dataclass
class TrackingRow:
    target: CampaignSchool
    responses: int
    expected: int | None  # pupils or teachers by the passport; 1 for the head

    @property
    def missing(self) -> bool:
        return self.responses == 0

    @property
    def share(self) -> float | None:
        return min(1.0, self.responses / self.expected) if self.expected else None


def tracking(user, campaign: Campaign) -> list[TrackingRow]:
    """Each school of the scope: how many answered of how many expected (three queries).

    Expected: the head — one; teachers — the passport's teachers; pupils and parents — the
    passport's pupils (one parent per pupil).
    """
    targets = list(
        scope_for(user)
        .filter(
            campaign.targets.select_related("school__municipality"),
            school="school_id",
            municipality="school__municipality_id",
        )
        .order_by("school__municipality__name", "school__short_name")
    )
    ids = [t.school_id for t in targets]
    counts = dict(
        Response.objects.filter(campaign=campaign, school_id__in=ids)
        .values_list("school_id")
        .annotate(n=Count("id"))
    )
    audience = campaign.questionnaire.audience
    expected: dict[int, int | None] = {}
    if audience == Audience.HEAD:
        expected = dict.fromkeys(ids, 1)
    else:
        field = "teachers" if audience == Audience.TEACHERS else "pupils"
        for school_id, value in (
            SchoolPassport.objects.filter(school_id__in=ids)
            .order_by("school_id", "year")
            .values_list("school_id", field)
        ):
            expected[school_id] = value  # the latest year wins
    return [TrackingRow(t, counts.get(t.school_id, 0), expected.get(t.school_id)) for t in targets]


def schools_to_choose(user) -> QuerySet[School]:
    """The schools a campaign may go to, listed ones first (``is_listed``)."""
    listed = SchoolStatus.objects.filter(year=current_year(), school=OuterRef("pk"))
    return (
        scope_for(user)
        .schools(School.objects.filter(is_active=True).select_related("municipality"))
        .annotate(is_listed=Exists(listed))
        .order_by("-is_listed", "municipality__name", "short_name")
    )


def waiting_for(user, today: date | None = None) -> list[Campaign]:
    """Open staff campaigns of the user's school that the user (or, for the head's
    questionnaire, the school) has not answered — «Ждут меня». A teacher is waited for by the
    teachers' questionnaires only."""
    if user.role not in SIGNED_IN_STAFF or not user.school_id:
        return []
    audiences = list(STAFF) if user.role == Role.SCHOOL else [Audience.TEACHERS]
    today = today or timezone.localdate()
    open_ = Campaign.objects.filter(
        targets__school_id=user.school_id,
        starts_on__lte=today,
        ends_on__gte=today,
        questionnaire__audience__in=audiences,
    ).select_related("questionnaire")
    done = Participation.objects.filter(campaign__in=open_).filter(
        Q(user=user) | Q(audience=Audience.HEAD, school_id=user.school_id)
    )
    return list(open_.exclude(pk__in=done.values("campaign_id")).order_by("ends_on"))
