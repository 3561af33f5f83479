"""URLs of the interviews part of reviews (included under /reviews/, namespace «reviews»)."""

from django.urls import path

from opora.reviews import views_interviews as views

urlpatterns = [
    path("protocols/", views.protocol_list, name="protocol_list"),
    path("protocols/import/", views.protocol_import, name="protocol_import"),
    path(
        "protocols/import/confirm/",
        views.protocol_import_confirm,
        name="protocol_import_confirm",
    ),
    path("protocols/new/", views.protocol_create, name="protocol_create"),
    path("protocols/<int:pk>/", views.protocol_detail, name="protocol_detail"),
    path("protocols/<int:pk>/protocol.docx", views.protocol_export, name="protocol_export"),
    path("protocols/<int:pk>/interviews/add/", views.interview_add, name="interview_add"),
    path(
        "interviews/<int:pk>/recommendations/add/",
        views.interview_add_recommendation,
        name="interview_add_recommendation",
    ),
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path(
        "recommendations/catalogue/",
        views.recommendation_catalogue,
        name="recommendation_catalogue",
    ),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path(
        "recommendations/<int:pk>/update/",
        views.recommendation_update,
        name="recommendation_update",
    ),
    path(
        "recommendations/<int:pk>/events/",
        views.recommendation_link_event,
        name="recommendation_link_event",
    ),
    path(
        "recommendations/<int:pk>/events/<int:event_pk>/remove/",
        views.recommendation_unlink_event,
        name="recommendation_unlink_event",
    ),
    path(
        "recommendations/<int:pk>/close/",
        views.recommendation_close,
        name="recommendation_close",
    ),
]
