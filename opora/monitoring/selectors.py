"""Reads of monitoring that depend on who asks: campaigns, sheets, answers, the overview."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.core.calendar import current_year
from opora.monitoring.checklist import item_labels
from opora.monitoring.models import (
    Answer,
    CampaignSchool,
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    ItemEvidence,
    MonitoringCampaign,
    SheetStatus,
)
from opora.registry.models import Municipality, School, SchoolStatus


def template_items(template: ChecklistTemplate) -> list[ChecklistItem]:
    return list(template.items.order_by("section", "order", "pk"))


def campaigns_for(user) -> QuerySet[MonitoringCampaign]:
    """Campaigns the user sees: of the municipalities in scope, or with a sheet of a school in
    scope (a school sees the campaigns it takes part in)."""
    qs = MonitoringCampaign.objects.select_related("municipality", "template")
    scope = scope_for(user)
    if scope.everything:
        return qs
    ids = scope.filter(
        MonitoringCampaign.objects.all(), school="sheets__school_id", municipality="municipality_id"
    ).values("pk")
    return qs.filter(pk__in=ids)


def campaign_list(user) -> list[MonitoringCampaign]:
    """The campaigns with the numbers of sheets in each status (one query)."""
    counts = {
        f"{status}_count": Count("sheets", filter=Q(sheets__status=status))
        for status in SheetStatus.values
    }
    qs = campaigns_for(user).annotate(sheet_count=Count("sheets"), **counts)
    if user.role == Role.SCHOOL and user.school_id:
        own = CampaignSchool.objects.filter(school_id=user.school_id)
        qs = qs.prefetch_related(Prefetch("sheets", queryset=own, to_attr="own_sheets"))
    return list(qs.order_by("-created_at"))


def campaign_for(user, pk: int) -> MonitoringCampaign | None:
    return campaigns_for(user).filter(pk=pk).first()


def sheets_for(user, campaign: MonitoringCampaign) -> QuerySet[CampaignSchool]:
    """The campaign's sheets the user may see, with the number of answered items."""
    qs = (
        CampaignSchool.objects.filter(campaign=campaign)
        .select_related("school")
        .annotate(answered=Count("answers"))
    )
    return (
        scope_for(user)
        .filter(qs, school="school_id", municipality="campaign__municipality_id")
        .order_by("school__number", "school__short_name")
    )


def sheet_for(user, pk: int) -> CampaignSchool | None:
    qs = CampaignSchool.objects.select_related(
        "campaign__municipality", "campaign__template", "school"
    )
    if user.role == Role.SCHOOL:
        return qs.filter(pk=pk, school_id=user.school_id).first() if user.school_id else None
    return (
        scope_for(user)
        .filter(qs, school="school_id", municipality="campaign__municipality_id")
        .filter(pk=pk)
        .first()
    )


def evidence_by_item(sheet: CampaignSchool) -> dict[int, list[ItemEvidence]]:
    """{item id: [file, …]} of one sheet, in one query."""
    result: dict[int, list[ItemEvidence]] = {}
    for evidence in ItemEvidence.objects.filter(sheet=sheet).order_by("uploaded_at", "pk"):
        result.setdefault(evidence.item_id, []).append(evidence)
    return result


def item_evidence_for(user, pk: int) -> ItemEvidence | None:
    """A checklist item's file, when ``user`` may see its sheet (the school, its municipality,
    its curator, the region), else None."""
    evidence = ItemEvidence.objects.filter(pk=pk).select_related("sheet").first()
    if evidence is None or sheet_for(user, evidence.sheet_id) is None:
        return None
    return evidence


def answers_by_sheet(sheets) -> dict[int, dict[int, ChecklistAnswer]]:
    """{sheet id: {item id: answer}} for the given sheets, in one query."""
    result: dict[int, dict[int, ChecklistAnswer]] = {s.pk: {} for s in sheets}
    for answer in ChecklistAnswer.objects.filter(sheet__in=[s.pk for s in sheets]):
        result[answer.sheet_id][answer.item_id] = answer
    return result


@dataclass
class SheetRow:
    sheet: CampaignSchool
    cells: list[Answer | str]  # the answer of each item ('' when not answered)


@dataclass
class CampaignOverview:
    campaign: MonitoringCampaign
    items: list[ChecklistItem]
    labels: dict[int, str]
    rows: list[SheetRow]
    status_counts: dict[str, int]
    answered: int
    expected: int

    @property
    def completion(self) -> float:
        return self.answered / self.expected if self.expected else 0.0


def campaign_overview(user, campaign: MonitoringCampaign) -> CampaignOverview:
    """The campaign page: each school's sheet with its status and its answer to each item.

    Four queries whatever the number of schools: items, sheets, answers, and nothing per row.
    """
    items = template_items(campaign.template)
    labels = item_labels(items)
    sheets = list(sheets_for(user, campaign))
    answers = answers_by_sheet(sheets)
    rows = [
        SheetRow(
            sheet,
            [
                Answer(answers[sheet.pk][item.pk].answer) if item.pk in answers[sheet.pk] else ""
                for item in items
            ],
        )
        for sheet in sheets
    ]
    status_counts = Counter(s.status for s in sheets)
    return CampaignOverview(
        campaign=campaign,
        items=items,
        labels=labels,
        rows=rows,
        status_counts={s: status_counts.get(s, 0) for s in SheetStatus.values},
        answered=sum(len(a) for a in answers.values()),
        expected=len(items) * len(sheets),
    )


def listed_schools(municipality: Municipality, year: int | None = None) -> QuerySet[School]:
    """The municipality's schools on this year's ШНОР or ШНСУ list (the default campaign)."""
    year = year or current_year()
    listed = SchoolStatus.objects.filter(year=year).values("school_id")
    return School.objects.filter(municipality=municipality, is_active=True, pk__in=listed).order_by(
        "number", "short_name"
    )


def municipality_schools(municipality: Municipality) -> QuerySet[School]:
    """The municipality's active schools, each marked ``is_listed`` when on this year's
    ШНОР/ШНСУ list (the choices of the campaign form)."""
    listed = SchoolStatus.objects.filter(year=current_year(), school=OuterRef("pk"))
    return (
        School.objects.filter(municipality=municipality, is_active=True)
        .annotate(is_listed=Exists(listed))
        .order_by("-is_listed", "number", "short_name")
    )


def school_card(user, school) -> dict | None:
    """The school page's card (issue 16): the school's monitoring sheets, newest campaign
    first, each linking to the sheet. None when the user sees none."""
    sheets = list(
        scope_for(user)
        .filter(
            CampaignSchool.objects.filter(school=school),
            school="school_id",
            municipality="campaign__municipality_id",
        )
        .select_related("campaign")
        .order_by("-campaign__due_date", "-pk")[:10]
    )
    return {"sheets": sheets} if sheets else None


def municipality_card(user, municipality) -> dict | None:
    """The municipality page's card: its monitoring campaigns with how many sheets were
    accepted. None when there are none the user sees."""
    campaigns = list(
        campaigns_for(user)
        .filter(municipality=municipality)
        .annotate(
            sheets_total=Count("sheets", distinct=True),
            sheets_accepted=Count(
                "sheets", filter=Q(sheets__status=SheetStatus.ACCEPTED), distinct=True
            ),
        )
        .order_by("-due_date", "-pk")[:10]
    )
    return {"campaigns": campaigns} if campaigns else None


def default_template() -> ChecklistTemplate | None:
    """The checklist flagged «по умолчанию» (loaded as reference data after migrate)."""
    return ChecklistTemplate.objects.filter(is_default=True).order_by("pk").first()
