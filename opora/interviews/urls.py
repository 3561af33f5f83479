"""URLs of interview protocols (under /reviews/, namespace «interviews»)."""

from django.urls import path

from opora.interviews import views

app_name = "interviews"
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
    path("protocols/<int:pk>/document/", views.protocol_document, name="protocol_document"),
    path("protocols/<int:pk>/excerpt.docx", views.protocol_excerpt, name="protocol_excerpt"),
    path("protocols/<int:pk>/interviews/add/", views.interview_add, name="interview_add"),
    path("protocols/<int:pk>/letter/", views.protocol_letter, name="protocol_letter"),
    path("interviews/<int:pk>/excerpt/", views.interview_excerpt, name="interview_excerpt"),
    path(
        "interviews/<int:pk>/recommendations/add/",
        views.interview_add_recommendation,
        name="interview_add_recommendation",
    ),
]
