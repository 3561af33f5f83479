"""People, working groups, coordinators, curators, school pairs. Mounted beside the registry's
URLs, so the paths users know (``/registry/people/``, ``/registry/groups/`` …) stay."""

from django.urls import path

from opora.people import views

app_name = "people"
urlpatterns = [
    path("groups/", views.group_list, name="groups"),
    path("curators/", views.curator_list, name="curators"),
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.people_create, name="people_create"),
    path("people/<int:pk>/", views.people_detail, name="people_detail"),
    path("people/<int:pk>/edit/", views.people_edit, name="people_edit"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/order/", views.group_order, name="group_order"),
    path("curators/order/", views.appointments_order, name="appointments_order"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/members/new/", views.group_member_add, name="group_member_add"),
    path(
        "groups/<int:pk>/members/<int:member_pk>/edit/",
        views.group_member_edit,
        name="group_member_edit",
    ),
    path(
        "groups/<int:pk>/members/<int:member_pk>/remove/",
        views.group_member_remove,
        name="group_member_remove",
    ),
    path(
        "groups/<int:pk>/members/<int:member_pk>/move/",
        views.group_member_move,
        name="group_member_move",
    ),
    path("coordinators/new/", views.coordinator_create, name="coordinator_create"),
    path("coordinators/<int:pk>/remove/", views.coordinator_remove, name="coordinator_remove"),
    path("curators/new/", views.curator_create, name="curator_create"),
    path("curators/<int:pk>/remove/", views.curator_remove, name="curator_remove"),
    path("pairs/new/", views.pair_create, name="pair_create"),
    path("pairs/<int:pk>/delete/", views.pair_delete, name="pair_delete"),
]
