from django.urls import path

from opora.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/delete/", views.batch_delete, name="batch_delete"),
    path("methodologies/", views.methodologies, name="methodologies"),
    path("methodologies/<int:pk>/edit/", views.methodology_edit, name="methodology_edit"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/whatif/", views.run_whatif, name="run_whatif"),
    path("runs/<int:pk>/approve/", views.run_approve, name="run_approve"),
    path("runs/<int:pk>/order/", views.run_order, name="run_order"),
    path("runs/<int:pk>/export.<str:fmt>", views.run_export, name="run_export"),
]
