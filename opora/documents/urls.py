"""Document pages (under /documents/, app_name «documents»)."""

from django.urls import path

from opora.documents import views, views_register

app_name = "documents"
urlpatterns = [
    path("", views_register.register, name="register"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/fix/", views.document_fix, name="fix"),
    path("<int:pk>/delete/", views.document_delete, name="delete"),
    path("<int:pk>/download/", views.document_download, name="download"),
]
