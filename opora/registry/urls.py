from django.urls import path

from opora.registry import views, views_people

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
    path("groups/", views.group_list, name="groups"),
    path("curators/", views.curator_list, name="curators"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("import/", views.registry_import, name="import"),
    path("import/apply/", views.registry_import_apply, name="import_apply"),
    path("import/cancel/", views.registry_import_cancel, name="import_cancel"),
    path("import/<int:pk>/", views.registry_import_job, name="import_job"),
]

# People, working groups, coordinators, curators, school pairs (views_people).
urlpatterns += [
    path("people/", views_people.people_list, name="people_list"),
    path("people/new/", views_people.people_create, name="people_create"),
    path("people/<int:pk>/", views_people.people_detail, name="people_detail"),
    path("people/<int:pk>/edit/", views_people.people_edit, name="people_edit"),
    path("groups/new/", views_people.group_create, name="group_create"),
    path("groups/<int:pk>/", views_people.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", views_people.group_edit, name="group_edit"),
    path("groups/<int:pk>/members/new/", views_people.group_member_add, name="group_member_add"),
    path(
        "groups/<int:pk>/members/<int:member_pk>/edit/",
        views_people.group_member_edit,
        name="group_member_edit",
    ),
    path(
        "groups/<int:pk>/members/<int:member_pk>/remove/",
        views_people.group_member_remove,
        name="group_member_remove",
    ),
    path(
        "groups/<int:pk>/members/<int:member_pk>/move/",
        views_people.group_member_move,
        name="group_member_move",
    ),
    path("coordinators/new/", views_people.coordinator_create, name="coordinator_create"),
    path(
        "coordinators/<int:pk>/remove/", views_people.coordinator_remove, name="coordinator_remove"
    ),
    path("curators/new/", views_people.curator_create, name="curator_create"),
    path("curators/<int:pk>/remove/", views_people.curator_remove, name="curator_remove"),
    path("pairs/new/", views_people.pair_create, name="pair_create"),
    path("pairs/<int:pk>/delete/", views_people.pair_delete, name="pair_delete"),
]
