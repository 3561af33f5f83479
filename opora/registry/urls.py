from django.urls import path

from opora.registry import views

app_name = "registry"
urlpatterns = [
    path("municipalities/", views.municipality_list, name="municipalities"),
    path("municipalities/<int:pk>/", views.municipality_detail, name="municipality"),
    path("schools/", views.school_list, name="schools"),
    path("schools/export.xlsx", views.school_export, name="schools_export"),
    path("schools/new/", views.school_create, name="school_create"),
    path("schools/<int:pk>/", views.school_detail, name="school"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("schools/<int:pk>/passport/<int:year>/", views.passport_edit, name="passport_edit"),
    path("schools/<int:pk>/status/new/", views.status_add, name="status_add"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("import/", views.registry_import, name="import"),
    path("import/apply/", views.registry_import_apply, name="import_apply"),
    path("import/cancel/", views.registry_import_cancel, name="import_cancel"),
    path("import/<int:pk>/", views.registry_import_job, name="import_job"),
]
