from django.urls import path

from opora.roadmaps import views

app_name = "roadmaps"
urlpatterns = [
    path("", views.roadmap_list, name="list"),
    path("import/", views.roadmap_import, name="import"),
    path("import/confirm/", views.roadmap_import_confirm, name="import_confirm"),
    path("tasks/", views.my_tasks, name="tasks"),
    path("overdue/", views.overdue, name="overdue"),
    path("<int:pk>/", views.roadmap_detail, name="detail"),
    path("<int:pk>/timeline/", views.roadmap_timeline, name="timeline"),
    path("<int:pk>/export.<str:fmt>", views.roadmap_export, name="export"),
    path("<int:pk>/approval/", views.approval_document, name="approval_document"),
    path("<int:pk>/<str:action>/", views.roadmap_transition, name="transition"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/row/", views.event_row, name="event_row"),
    path("events/<int:pk>/report/", views.event_report, name="event_report"),
    path("events/<int:pk>/parent/", views.event_link_parent, name="event_parent"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
