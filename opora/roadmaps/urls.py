from django.urls import path

from opora.roadmaps import views, views_authoring, views_import

app_name = "roadmaps"
urlpatterns = [
    path("", views.roadmap_list, name="list"),
    path("new/", views_authoring.roadmap_new, name="new"),
    path("import/", views_import.roadmap_import, name="import"),
    path("import/preview/", views_import.roadmap_import_preview, name="import_preview"),
    path("import/columns/", views_import.roadmap_import_columns, name="import_columns"),
    path(
        "import/organisation/",
        views_import.roadmap_import_organisation,
        name="import_organisation",
    ),
    path("import/person/", views_import.roadmap_import_person, name="import_person"),
    path("import/confirm/", views_import.roadmap_import_confirm, name="import_confirm"),
    path("tasks/", views.my_tasks, name="tasks"),
    path("overdue/", views.overdue, name="overdue"),
    path("<int:pk>/", views.roadmap_detail, name="detail"),
    path("<int:pk>/timeline/", views.roadmap_timeline, name="timeline"),
    path("<int:pk>/export.<str:fmt>", views.roadmap_export, name="export"),
    path("<int:pk>/approval/", views.approval_document, name="approval_document"),
    path("<int:pk>/approval-order/", views.approval_order, name="approval_order"),
    path("<int:pk>/tasks-letter/", views.tasks_letter, name="tasks_letter"),
    path("<int:pk>/edit/", views_authoring.roadmap_edit, name="edit"),
    path("<int:pk>/edit/header/", views_authoring.roadmap_header, name="edit_header"),
    path("<int:pk>/edit/sections/", views_authoring.section_add, name="section_add"),
    path("<int:pk>/edit/events/", views_authoring.event_add, name="event_add"),
    path("<int:pk>/edit/indicators/", views_authoring.indicator_save, name="indicator_add"),
    path(
        "<int:pk>/edit/indicators/<int:indicator_pk>/",
        views_authoring.indicator_save,
        name="indicator_save",
    ),
    path("sections/<int:pk>/<str:action>/", views_authoring.section_change, name="section"),
    path("events/<int:pk>/move/<str:action>/", views_authoring.event_change, name="event_move"),
    path("<int:pk>/<str:action>/", views.roadmap_transition, name="transition"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/row/", views.event_row, name="event_row"),
    path("events/<int:pk>/report/", views.event_report, name="event_report"),
    path("events/<int:pk>/rollup/", views.event_rollup, name="event_rollup"),
    path("events/<int:pk>/rollup/remind/", views.event_remind, name="event_remind"),
    path("events/<int:pk>/parent/", views.event_link_parent, name="event_parent"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
