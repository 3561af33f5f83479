"""URLs of implementation monitoring (under /reviews/, namespace «monitoring»)."""

from django.urls import path

from opora.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("monitoring/", views.campaign_list, name="campaign_list"),
    path("monitoring/new/", views.campaign_create, name="campaign_create"),
    path("monitoring/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("monitoring/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("monitoring/<int:pk>/status/", views.campaign_status, name="campaign_status"),
    path("monitoring/<int:pk>/answers.xlsx", views.campaign_export, name="campaign_export"),
    path("monitoring/<int:pk>/import/", views.campaign_import, name="campaign_import"),
    path(
        "monitoring/<int:pk>/import/confirm/",
        views.campaign_import_confirm,
        name="campaign_import_confirm",
    ),
    path("monitoring/<int:pk>/order/", views.campaign_order, name="campaign_order"),
    path("monitoring/sheets/<int:pk>/", views.sheet_detail, name="sheet_detail"),
    path(
        "monitoring/sheets/<int:pk>/items/<int:item_pk>/",
        views.sheet_item_save,
        name="sheet_item_save",
    ),
    path("monitoring/sheets/<int:pk>/save/", views.sheet_save, name="sheet_save"),
    path("monitoring/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("monitoring/evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("monitoring/sheets/<int:pk>/submit/", views.sheet_submit, name="sheet_submit"),
    path("monitoring/sheets/<int:pk>/review/", views.sheet_review, name="sheet_review"),
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("checklists/<int:pk>/items/new/", views.checklist_item_add, name="checklist_item_add"),
    path("checklists/items/<int:pk>/edit/", views.checklist_item_edit, name="checklist_item_edit"),
]
