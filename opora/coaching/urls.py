"""URLs of coaching (under /coaching/, namespace «coaching»)."""

from django.urls import path

from opora.coaching import views as v

app_name = "coaching"
urlpatterns = [
    path("self-analysis/", v.analyses, name="analyses"),
    path("schools/<int:pk>/self-analysis/", v.analysis, name="analysis"),
    path("schools/<int:pk>/self-analysis/start/", v.analysis_start, name="analysis_start"),
    path("schools/<int:pk>/self-analysis/save/", v.analysis_save, name="analysis_save"),
    path("self-analysis/<int:pk>/priorities/", v.move_priorities, name="move_priorities"),
    path("self-analysis/<int:pk>/comments/", v.analysis_comment, name="analysis_comment"),
    path("roadmaps/<int:pk>/comments/", v.roadmap_comment, name="roadmap_comment"),
    path("reports/<int:pk>/comments/", v.report_comment, name="report_comment"),
    path("plans/", v.plans, name="plans"),
    path("plans/new/", v.plan_new, name="plan_new"),
    path("plans/<int:pk>/", v.plan, name="plan"),
    path("plans/spans/new/", v.span_new, name="span_new"),
    path("plans/spans/<int:pk>/delete/", v.span_delete, name="span_delete"),
    path("plans/<int:pk>/targets/", v.plan_targets, name="plan_targets"),
    path("plans/<int:pk>/visits/", v.visit_new, name="visit_new"),
    path("visits/<int:pk>/", v.visit, name="visit"),
    path("visits/<int:pk>/cancel/", v.visit_cancel, name="visit_cancel"),
    path("activity/", v.activity, name="activity"),
    path("report/", v.report_prepare, name="report_prepare"),
]
