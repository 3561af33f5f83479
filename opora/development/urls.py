from django.urls import path

from opora.development import (
    views,
    views_contests,
    views_events,
    views_mentoring,
    views_visits,
)

app_name = "development"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("", views.overview, name="overview"),
    path("areas/<int:pk>/threshold/", views.area_threshold, name="area_threshold"),
    path("schools/<int:pk>/", views.school_team, name="school_team"),
    path("schools/<int:pk>/propose/", views.propose, name="propose"),
    path("teachers/<int:pk>/", views.teacher, name="teacher"),
    path("diagnostics/import/", views.diagnostics_import, name="diagnostics_import"),
    path(
        "diagnostics/import/apply/",
        views.diagnostics_import_apply,
        name="diagnostics_import_apply",
    ),
    path(
        "diagnostics/import/cancel/",
        views.diagnostics_import_cancel,
        name="diagnostics_import_cancel",
    ),
    path("diagnostics/template.xlsx", views.diagnostics_template, name="diagnostics_template"),
    path("diagnostics/export.xlsx", views.results_export, name="results_export"),
    path("routes/", views.routes, name="routes"),
    path("routes/<int:pk>/", views.route_detail, name="route"),
    path("routes/<int:pk>/steps/", views.route_step_add, name="route_step_add"),
    path("routes/<int:pk>/<str:action>/", views.route_action, name="route_action"),
    path("steps/<int:pk>/remove/", views.route_step_remove, name="route_step_remove"),
    path("steps/<int:pk>/track/", views.step_track, name="step_track"),
    path("steps/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("catalogue/", views_events.catalogue, name="catalogue"),
    path("catalogue/new/", views_events.offer_edit, name="offer_new"),
    path("catalogue/<int:pk>/", views_events.offer_edit, name="offer_edit"),
    path("catalogue/import/", views_events.catalogue_import, name="catalogue_import"),
    path(
        "catalogue/import/apply/",
        views_events.catalogue_import_apply,
        name="catalogue_import_apply",
    ),
    path(
        "catalogue/import/cancel/",
        views_events.catalogue_import_cancel,
        name="catalogue_import_cancel",
    ),
    path("events/", views_events.events, name="events"),
    path("events/new/", views_events.event_edit, name="event_new"),
    path("events/<int:pk>/", views_events.event_detail, name="event"),
    path("events/<int:pk>/edit/", views_events.event_edit, name="event_edit"),
    path("events/<int:pk>/register/", views_events.event_register, name="event_register"),
    path("events/<int:pk>/attendance/", views_events.event_attendance, name="event_attendance"),
    path("events/<int:pk>/outcome/", views_events.event_outcome, name="event_outcome"),
    path("events/<int:pk>/materials/", views_events.event_material, name="event_material"),
    path("registrations/<int:pk>/remove/", views_events.event_unregister, name="event_unregister"),
    path("materials/<int:pk>/", views_events.material_download, name="material"),
    path("calendar/token/", views_events.calendar_token, name="calendar_token"),
    path("calendar/<str:token>.ics", views_events.calendar_feed, name="calendar_feed"),
    path("indicators/", views_events.indicators_overview, name="indicators"),
    path("indicators/fill/<int:pk>/", views_events.indicator_fill, name="indicator_fill"),
    path(
        "indicators/<str:measure>/<int:municipality>/",
        views_events.indicator_rows,
        name="indicator_rows",
    ),
]

# Mentoring and professional contests (views_mentoring, views_contests).
urlpatterns += [
    path("mentoring/", views_mentoring.mentoring, name="mentoring"),
    path("mentoring/pairs/new/", views_mentoring.pair_create, name="mentor_pair_create"),
    path("mentoring/pairs/<int:pk>/", views_mentoring.mentor_pair, name="mentor_pair"),
    path("mentoring/pairs/<int:pk>/log/", views_mentoring.mentor_pair_log, name="mentor_pair_log"),
    path(
        "mentoring/pairs/<int:pk>/delete/", views_mentoring.pair_delete, name="mentor_pair_delete"
    ),
    path("mentoring/schools/<int:pk>/", views_mentoring.school_pair, name="school_pair"),
    path(
        "mentoring/schools/<int:pk>/log/", views_mentoring.school_pair_log, name="school_pair_log"
    ),
    path(
        "mentoring/entries/<int:pk>/remove/",
        views_mentoring.activity_remove,
        name="activity_remove",
    ),
    path("mentoring/entries/<int:pk>/file/", views_mentoring.activity_file, name="activity_file"),
    path("contests/", views_contests.contests, name="contests"),
    path("contests/new/", views_contests.contest_edit, name="contest_new"),
    path("contests/<int:pk>/", views_contests.contest_detail, name="contest"),
    path("contests/<int:pk>/edit/", views_contests.contest_edit, name="contest_edit"),
    path("contests/<int:pk>/stages/", views_contests.contest_stage_add, name="contest_stage_add"),
    path(
        "contest-stages/<int:pk>/remove/",
        views_contests.contest_stage_remove,
        name="contest_stage_remove",
    ),
    path("contests/<int:pk>/participants/", views_contests.contest_enter, name="contest_enter"),
    path(
        "contest-participants/<int:pk>/result/",
        views_contests.participant_result,
        name="participant_result",
    ),
    path(
        "contest-participants/<int:pk>/remove/",
        views_contests.participant_remove,
        name="participant_remove",
    ),
]

# Methodical visits and lesson observation (``views_visits``).
urlpatterns += [
    path("visits/", views_visits.visit_list, name="visits"),
    path("visits/new/", views_visits.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views_visits.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", views_visits.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/lessons/", views_visits.visit_lesson_add, name="visit_lesson_add"),
    path("visits/<int:pk>/report/", views_visits.visit_report, name="visit_report"),
    path("lessons/<int:pk>/remove/", views_visits.lesson_remove, name="lesson_remove"),
    path("observations/", views_visits.observations, name="observations"),
    path("observations/new/", views_visits.observation_new, name="observation_new"),
    path("observations/export.xlsx", views_visits.observations_export, name="observations_export"),
    path("observations/<int:pk>/", views_visits.observation_detail, name="observation"),
    path("observations/<int:pk>/edit/", views_visits.observation_edit, name="observation_edit"),
    path("observations/<int:pk>/route/", views_visits.observation_route, name="observation_route"),
    path("rubric/", views_visits.rubric, name="rubric"),
    path("rubric/new/", views_visits.rubric_item, name="rubric_item_new"),
    path("rubric/<int:pk>/", views_visits.rubric_item, name="rubric_item"),
]
