"""URLs of criteria and expertise (under /reviews/, namespace «expertise»)."""

from django.urls import path

from opora.expertise import views as v

app_name = "expertise"
urlpatterns = [
    path("criteria/", v.criteria_list, name="criteria_list"),
    path("criteria/new/", v.criteria_create, name="criteria_create"),
    path("criteria/defaults/", v.criteria_defaults, name="criteria_defaults"),
    path("criteria/<int:pk>/", v.criteria_detail, name="criteria_detail"),
    path("criteria/<int:pk>/edit/", v.criteria_edit, name="criteria_edit"),
    path("criteria/<int:pk>/copy/", v.criteria_copy, name="criteria_copy"),
    path("criteria/<int:pk>/groups/add/", v.criteria_group_add, name="criteria_group_add"),
    path("criteria/groups/<int:pk>/edit/", v.criteria_group_edit, name="criteria_group_edit"),
    path("criteria/groups/<int:pk>/delete/", v.criteria_group_delete, name="criteria_group_delete"),
    path(
        "criteria/groups/<int:pk>/criteria/add/",
        v.criteria_criterion_add,
        name="criteria_criterion_add",
    ),
    path(
        "criteria/items/<int:pk>/edit/", v.criteria_criterion_edit, name="criteria_criterion_edit"
    ),
    path(
        "criteria/items/<int:pk>/delete/",
        v.criteria_criterion_delete,
        name="criteria_criterion_delete",
    ),
    path("expertise/", v.expertise_list, name="expertise_list"),
    path("expertise/new/", v.expertise_create, name="expertise_create"),
    path("expertise/analytics/", v.expertise_analytics, name="expertise_analytics"),
    path("expertise/analytics/<int:year>/report/", v.expertise_report, name="expertise_report"),
    path("expertise/<int:pk>/", v.expertise_detail, name="expertise_detail"),
    path("expertise/<int:pk>/work/", v.expertise_workspace, name="expertise_workspace"),
    path("expertise/<int:pk>/score/<int:criterion>/", v.expertise_score, name="expertise_score"),
    path("expertise/<int:pk>/submit/", v.expertise_submit, name="expertise_submit"),
    path("expertise/<int:pk>/assign/", v.expertise_assign, name="expertise_assign"),
    path("expertise/<int:pk>/close/", v.expertise_close, name="expertise_close"),
    path("expertise/<int:pk>/protocol/", v.expertise_protocol, name="expertise_protocol"),
    path("expertise/assignments/<int:pk>/remove/", v.expertise_unassign, name="expertise_unassign"),
    path("roadmaps/<int:pk>/precheck/", v.precheck, name="precheck"),
    path("roadmaps/<int:pk>/precheck/card/", v.precheck_card, name="precheck_card"),
]
