"""What each domain event tells whom. Receivers of signals sent on commit by the domain apps;
who is told follows the sending app's own rule (``roadmaps.reviewers``)."""

from __future__ import annotations

from django.urls import reverse

from opora.coaching import participants as coaching
from opora.coaching import signals as coaching_signals
from opora.core.formatting import quoted
from opora.core.russian.dates import day_text
from opora.development import selectors as development
from opora.development import signals as development_signals
from opora.notifications.models import NotificationKind as K
from opora.notifications.services import notify
from opora.registry import signals as registry_signals
from opora.roadmaps import reviewers, signals
from opora.roadmaps.models import RoadmapStatus
from opora.surveys import signals as survey_signals


def _event_title(event) -> str:
    return event.heading


def _reporter(report) -> str:
    if report.school_id:
        return report.school.short_name
    if report.municipality_id:
        return report.municipality.name
    if report.curator_id:
        return f"куратор {report.curator}"
    return report.event.roadmap.owner_label


def report_filed(sender, report, user, **kwargs):
    notify(
        reviewers.reviewers_of(report),
        kind=K.SUBMITTED_TO_ME,
        title=f"Отчёт на проверку ({_reporter(report)}): {_event_title(report.event)}",
        url=reverse("roadmaps:event", args=[report.event_id]) + f"#report-{report.pk}",
        key=f"report-filed:{report.pk}",
    )


def report_reviewed(sender, report, user, accepted, **kwargs):
    if report.reported_by_id is None:
        return
    verdict = "принят" if accepted else "возвращён на доработку"
    notify(
        [report.reported_by],
        kind=K.ACCEPTED if accepted else K.RETURNED,
        title=f"Отчёт {verdict}: {_event_title(report.event)}",
        body=report.review_comment,
        url=reverse("roadmaps:event", args=[report.event_id]) + f"#report-{report.pk}",
        key=f"report-{'accepted' if accepted else 'returned'}:{report.pk}:{report.reviewed_at}",
    )


def roadmap_moved(sender, roadmap, user, from_status, to_status, comment="", **kwargs):
    url = reverse("roadmaps:detail", args=[roadmap.pk])
    stamp = roadmap.transitions.order_by("-at", "-pk").values_list("pk", flat=True).first()
    if to_status == RoadmapStatus.SUBMITTED:
        notify(
            reviewers.roadmap_reviewers_of(roadmap),
            kind=K.SUBMITTED_TO_ME,
            title=f"Дорожная карта на согласование ({roadmap.owner_label}): {roadmap.title}",
            url=url,
            key=f"roadmap-submitted:{stamp}",
        )
        return
    if to_status not in (RoadmapStatus.RETURNED, RoadmapStatus.APPROVED):
        return
    submitter = (
        roadmap.transitions.filter(to_status=RoadmapStatus.SUBMITTED)
        .select_related("user")
        .order_by("-at", "-pk")
        .first()
    )
    if submitter and submitter.user and submitter.user != user:
        returned = to_status == RoadmapStatus.RETURNED
        notify(
            [submitter.user],
            kind=K.RETURNED if returned else K.ACCEPTED,
            title=(
                "Дорожная карта возвращена на доработку: "
                if returned
                else "Дорожная карта утверждена: "
            )
            + roadmap.title,
            body=comment,
            url=url,
            key=f"roadmap-{to_status}:{stamp}",
        )
    if (
        to_status == RoadmapStatus.APPROVED
        and roadmap.level in ("region", "municipality")
        # still in force when the approval commits: an archived version sets nobody a task
        and type(roadmap).objects.filter(pk=roadmap.pk, status=RoadmapStatus.APPROVED).exists()
    ):
        source = "региона" if roadmap.level == "region" else "муниципалитета"
        notify(
            reviewers.addressees_of(roadmap),
            kind=K.REGIONAL_TASK,
            title=f"Задачи от {source}: утверждена {quoted(roadmap.title)}",
            url=reverse("roadmaps:tasks"),
            key=f"regional-tasks:{roadmap.pk}",
        )


def reminder_requested(sender, event, user, school_ids, municipality_ids, **kwargs):
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.utils import timezone

    from opora.accounts.models import Role

    addressees = get_user_model().objects.filter(
        Q(role=Role.SCHOOL, school_id__in=school_ids)
        | Q(role=Role.MUNICIPAL, municipality_id__in=municipality_ids),
        is_active=True,
    )
    notify(
        addressees,
        kind=K.REGIONAL_TASK,
        title=f"Напоминание: ждём отчёт — {_event_title(event)}",
        body=f"Напоминает {user.display_name}.",
        url=reverse("roadmaps:event", args=[event.pk]),
        key=f"reminder:{event.pk}:{timezone.localdate().isoformat()}",
    )


def regional_list_replaced(sender, year, kind, school_ids, basis, user, **kwargs):
    """A new list approved: its schools and their municipal coordinators are told."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from opora.accounts.models import Role
    from opora.registry.models import School, StatusKind

    label = StatusKind(kind).label
    municipalities = School.objects.filter(pk__in=school_ids).values("municipality_id")
    told = get_user_model().objects.filter(
        Q(role=Role.SCHOOL, school_id__in=school_ids)
        | Q(role=Role.MUNICIPAL, municipality_id__in=municipalities),
        is_active=True,
    )
    document, number, day = basis
    notify(
        told,
        kind=K.LIST_APPROVED,
        title=f"Утверждён список {year} года: {label}",
        body=f"{document} № {number}",
        url=reverse("registry:schools") + f"?status={kind}&year={year}",
        key=f"list:{year}:{kind}:{number}",
    )


def survey_reminder(sender, campaign, user, school_ids, **kwargs):
    """The region reminds the schools whose pupils, parents or staff have not answered."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from opora.accounts.models import Role

    told = get_user_model().objects.filter(
        role=Role.SCHOOL, school_id__in=school_ids, is_active=True
    )
    notify(
        told,
        kind=K.REGIONAL_TASK,
        title=f"Напоминание: ждём ответов на анкетирование «{campaign.title}»",
        body=f"Анкетирование до {day_text(campaign.ends_on)} Напоминает {user.display_name}.",
        url=reverse("surveys:campaign_detail", args=[campaign.pk]),
        key=f"survey-reminder:{campaign.pk}:{timezone.localdate().isoformat()}",
    )


def route_submitted(sender, route, user, **kwargs):
    notify(
        development.route_approvers(route),
        kind=K.SUBMITTED_TO_ME,
        title=f"Маршрут на утверждение: {route.person or 'управленческая команда'}",
        url=reverse("development:route", args=[route.pk]),
        key=f"route-submitted:{route.pk}:{route.history.latest().history_id}",
    )


def route_decided(sender, route, user, comment="", **kwargs):
    approved = route.status == "approved"
    notify(
        development.route_owners(route),
        kind=K.ACCEPTED if approved else K.RETURNED,
        title="Ваш маршрут " + ("утверждён" if approved else "возвращён на доработку"),
        body=comment,
        url=reverse("development:route", args=[route.pk]),
        key=f"route-{route.status}:{route.pk}:{route.history.latest().history_id}",
    )


def comment_posted(sender, comment, user, **kwargs):
    """A message in a school's coaching thread: the school, its curators and whoever wrote in
    the thread hear of it (``coaching.participants``)."""
    if comment.report_id:
        url = reverse("roadmaps:event", args=[comment.report.event_id])
        about = "отчёту"
    elif comment.roadmap_id:
        url = reverse("roadmaps:detail", args=[comment.roadmap_id])
        about = "программе"
    else:
        url = reverse("coaching:analysis", args=[comment.school_id])
        about = "самоанализу"
    notify(
        coaching.thread_participants(comment),
        kind=K.COMMENT,
        title=f"Комментарий к {about} ({comment.school.short_name}): {user.display_name}",
        body=comment.text,
        url=url + f"#comment-{comment.pk}",
        key=f"coaching-comment:{comment.pk}",
    )


def visit_reported(sender, visit, user, recommendations, **kwargs):
    """A curator's visit gave the school recommendations: the school is told."""
    if not recommendations or visit.school_id is None:
        return
    notify(
        coaching.school_users(visit.school_id),
        kind=K.RECOMMENDATION_GIVEN,
        title=f"Рекомендации куратора по итогам выезда: {len(recommendations)}",
        body="\n".join(r.text for r in recommendations),
        url=reverse("recommendations:recommendation_detail", args=[recommendations[0].pk]),
        key=f"coaching-visit:{visit.pk}",
    )


def connect() -> None:
    coaching_signals.comment_posted.connect(
        comment_posted, dispatch_uid="notifications.coaching_comment"
    )
    coaching_signals.visit_reported.connect(
        visit_reported, dispatch_uid="notifications.coaching_visit"
    )
    survey_signals.reminder_requested.connect(
        survey_reminder, dispatch_uid="notifications.survey_reminder"
    )
    development_signals.route_submitted.connect(
        route_submitted, dispatch_uid="notifications.route_submitted"
    )
    development_signals.route_approved.connect(
        route_decided, dispatch_uid="notifications.route_approved"
    )
    development_signals.route_returned.connect(
        route_decided, dispatch_uid="notifications.route_returned"
    )
    signals.report_filed.connect(report_filed, dispatch_uid="notifications.report_filed")
    signals.report_reviewed.connect(report_reviewed, dispatch_uid="notifications.report_reviewed")
    signals.roadmap_moved.connect(roadmap_moved, dispatch_uid="notifications.roadmap_moved")
    registry_signals.regional_list_replaced.connect(
        regional_list_replaced, dispatch_uid="notifications.regional_list_replaced"
    )
    signals.reminder_requested.connect(
        reminder_requested, dispatch_uid="notifications.reminder_requested"
    )
