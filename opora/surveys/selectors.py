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
    CampaignAudience,
    CampaignSchool,
    Participation,
    Question,
    Questionnaire,
    Response,
    SchoolLink,
    Section,
)

#: The tokens :func:`secrets.token_urlsafe` makes: nothing else is looked up.
#: Roles that answer signed in: a school's account (the head) and a teacher.
SIGNED_IN_STAFF = frozenset({Role.SCHOOL, Role.TEACHER})
TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def answers_audience(user, audience: str) -> bool:
    """A school's account answers the head's and the teachers' questionnaires; a teacher
    (the role «Педагог») the teachers' only."""
    if user.role == Role.SCHOOL:
        return audience in STAFF
    return user.role == Role.TEACHER and audience == Audience.TEACHERS


def questionnaires_for(user) -> QuerySet[Questionnaire]:
    if not user.has_perm("surveys.view_questionnaire"):
        return Questionnaire.objects.none()
    return Questionnaire.objects.annotate(
        question_count=Count("sections__questions", distinct=True),
        campaign_count=Count("sendings__campaign", distinct=True),
    ).order_by("-created_at")


def questionnaires_to_send(user) -> QuerySet[Questionnaire]:
    """Questionnaires with at least one question, to ask a campaign's other audiences."""
    if not user.has_perm("surveys.view_questionnaire"):
        return Questionnaire.objects.none()
    return Questionnaire.objects.filter(
        Exists(Question.objects.filter(section__questionnaire=OuterRef("pk")))
    ).order_by("title", "pk")


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


def structures(questionnaire_ids: list[int]) -> dict[int, list[Section]]:
    """The sections of several questionnaires by questionnaire, each with ``questions`` in
    order (two queries, whatever their number)."""
    questions = Question.objects.select_related("show_if").order_by("order", "pk")
    found: dict[int, list[Section]] = {pk: [] for pk in questionnaire_ids}
    for section in (
        Section.objects.filter(questionnaire_id__in=questionnaire_ids)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("questions", queryset=questions))
    ):
        found[section.questionnaire_id].append(section)
    return found


def campaigns_for(user) -> QuerySet[Campaign]:
    """Campaigns that reach a school of the user's scope (a school: its own; a teacher: the
    teachers' questionnaires sent to their school, nothing else)."""
    qs = Campaign.objects.prefetch_related(
        Prefetch("audiences", queryset=CampaignAudience.objects.select_related("questionnaire"))
    )
    if user.role == Role.TEACHER:
        if not user.school_id:
            return qs.none()
        asked = CampaignAudience.objects.filter(audience=Audience.TEACHERS)
        return qs.filter(targets__school_id=user.school_id, pk__in=asked.values("campaign_id"))
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
    """The campaigns with their numbers of schools and responses (four queries). Each carries
    ``to_answer``: the staff audiences the user answers signed in, with whether they (for the
    head's questionnaire, their school) have answered; ``links``: the audiences of pupils and
    parents whose links a school hands out."""
    campaigns = list(campaigns_for(user).annotate(school_count=Count("targets")))
    responses = dict(
        Response.objects.filter(campaign__in=campaigns)
        .values_list("campaign_id")
        .annotate(n=Count("id"))
    )
    done: set[tuple[int, str]] = set()
    if user.role in SIGNED_IN_STAFF:
        done = set(
            Participation.objects.filter(campaign__in=campaigns)
            .filter(Q(user=user) | Q(audience=Audience.HEAD, school_id=user.school_id))
            .values_list("campaign_id", "audience")
        )
    today = timezone.localdate()
    for c in campaigns:
        c.response_count = responses.get(c.pk, 0)
        c.is_open = c.is_open_on(today)
        c.to_answer = [
            (a, (c.pk, a.audience) in done)
            for a in c.sendings
            if answers_audience(user, a.audience)
        ]
        c.links = [a for a in c.sendings if a.is_anonymous and user.role == Role.SCHOOL]
    return campaigns


def link_for_token(token: str) -> SchoolLink | None:
    """The school's link a token names, or None (a malformed token is not even looked up)."""
    if not (16 <= len(token) <= 64) or not set(token) <= TOKEN_CHARS:
        return None
    return (
        SchoolLink.objects.select_related("target__campaign", "target__school")
        .prefetch_related("target__campaign__audiences__questionnaire")
        .filter(token=token)
        .first()
    )


def own_target(user, campaign: Campaign) -> CampaignSchool | None:
    """A school user's place in the campaign (its links to hand out)."""
    if user.role != Role.SCHOOL or not user.school_id:
        return None
    return (
        campaign.targets.filter(school_id=user.school_id)
        .select_related("school")
        .prefetch_related("links")
        .first()
    )


def sending_for(user, campaign: Campaign, audience: str) -> CampaignAudience | None:
    """The audience of the campaign the user answers signed in (``audience`` named by the
    address, or, when empty, the only one the user answers)."""
    mine = [a for a in campaign.sendings if answers_audience(user, a.audience)]
    if audience:
        return next((a for a in mine if a.audience == audience), None)
    return mine[0] if len(mine) == 1 else None


def has_answered(user, sending: CampaignAudience) -> bool:
    qs = Participation.objects.filter(campaign_id=sending.campaign_id, audience=sending.audience)
    if sending.audience == Audience.HEAD:
        return qs.filter(school_id=user.school_id).exists()
    return qs.filter(user=user).exists()


@dataclass
class AudienceCell:
    sending: CampaignAudience
    responses: int
    expected: int | None  # pupils or teachers by the passport; 1 for the head

    @property
    def missing(self) -> bool:
        return self.responses == 0

    @property
    def share(self) -> float | None:
        return min(1.0, self.responses / self.expected) if self.expected else None


@dataclass
class TrackingRow:
    target: CampaignSchool
    cells: list[AudienceCell]

    @property
    def responses(self) -> int:
        return sum(c.responses for c in self.cells)

    @property
    def missing(self) -> bool:
        """Some audience of the school has not answered at all."""
        return any(c.missing for c in self.cells)


#: The passport's figure that says how many of an audience a school has.
EXPECTED_FROM = {
    Audience.TEACHERS: "teachers",
    Audience.PUPILS: "pupils",
    Audience.PARENTS: "pupils",
}


def tracking(user, campaign: Campaign) -> list[TrackingRow]:
    """Each school of the scope: per audience, how many answered of how many expected
    (three queries, whatever the number of audiences).

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
        ((school_id, audience), n)
        for school_id, audience, n in Response.objects.filter(campaign=campaign, school_id__in=ids)
        .values_list("school_id", "audience")
        .annotate(n=Count("id"))
    )
    sendings = campaign.sendings
    passports: dict[int, dict] = {}
    if any(a.audience != Audience.HEAD for a in sendings):
        for row in (
            SchoolPassport.objects.filter(school_id__in=ids)
            .order_by("school_id", "year")
            .values("school_id", "teachers", "pupils")
        ):
            passports[row["school_id"]] = row  # the latest year wins

    def expected(school_id: int, audience: str) -> int | None:
        if audience == Audience.HEAD:
            return 1
        return passports.get(school_id, {}).get(EXPECTED_FROM[audience])

    return [
        TrackingRow(
            t,
            [
                AudienceCell(
                    a, counts.get((t.school_id, a.audience), 0), expected(t.school_id, a.audience)
                )
                for a in sendings
            ],
        )
        for t in targets
    ]


def schools_to_choose(user) -> QuerySet[School]:
    """The schools a campaign may go to, listed ones first (``is_listed``)."""
    listed = SchoolStatus.objects.filter(year=current_year(), school=OuterRef("pk"))
    return (
        scope_for(user)
        .schools(School.objects.filter(is_active=True).select_related("municipality"))
        .annotate(is_listed=Exists(listed))
        .order_by("-is_listed", "municipality__name", "short_name")
    )


def waiting_for(user, today: date | None = None) -> list[CampaignAudience]:
    """Open staff questionnaires of the user's school that the user (or, for the head's
    questionnaire, the school) has not answered — «Ждут меня». A teacher is waited for by the
    teachers' questionnaires only."""
    if user.role not in SIGNED_IN_STAFF or not user.school_id:
        return []
    audiences = list(STAFF) if user.role == Role.SCHOOL else [Audience.TEACHERS]
    today = today or timezone.localdate()
    open_ = CampaignAudience.objects.filter(
        campaign__targets__school_id=user.school_id,
        campaign__starts_on__lte=today,
        campaign__ends_on__gte=today,
        audience__in=audiences,
    ).select_related("campaign", "questionnaire")
    done = Participation.objects.filter(
        campaign_id=OuterRef("campaign_id"), audience=OuterRef("audience")
    ).filter(Q(user=user) | Q(audience=Audience.HEAD, school_id=user.school_id))
    return list(open_.exclude(Exists(done)).order_by("campaign__ends_on", "pk"))
