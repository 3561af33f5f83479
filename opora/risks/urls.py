"""URLs of risk profiles (under /risks/, namespace «risks»)."""

from django.urls import path

from opora.risks import views as v

app_name = "risks"
urlpatterns = [
    path("", v.overview, name="overview"),
    path("schools/<int:pk>/", v.profile, name="profile"),
    path("schools/<int:pk>/priorities/", v.priorities, name="priorities"),
    path("priorities/<int:pk>/measures/", v.measure_add, name="measure_add"),
    path("measures/<int:pk>/delete/", v.measure_delete, name="measure_delete"),
    path("rules/", v.rule_list, name="rules"),
    path("factors/<int:pk>/rules/new/", v.rule_add, name="rule_add"),
    path("rules/<int:pk>/edit/", v.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", v.rule_delete, name="rule_delete"),
]
