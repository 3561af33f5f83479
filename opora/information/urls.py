"""URLs of information support (under /information/, namespace «information»)."""

from django.urls import path

from opora.information import views as v

app_name = "information"
urlpatterns = [
    path("", v.overview, name="overview"),
    path("news/new/", v.news_add, name="news_add"),
    path("news/<int:pk>/delete/", v.news_delete, name="news_delete"),
    path("news/<int:pk>/public/", v.news_public, name="news_public"),
    path("site/", v.section_save, name="section_save"),
    path("site/<int:pk>/check/", v.section_check, name="section_check"),
    path("library/", v.library, name="library"),
    path("library/new/", v.material_new, name="material_new"),
    path("library/<int:pk>/", v.material_detail, name="material"),
    path("library/<int:pk>/file/", v.material_file, name="material_file"),
    path("library/<int:pk>/public/", v.material_public, name="material_public"),
    path("library/<int:pk>/delete/", v.material_delete, name="material_delete"),
    path("links/new/", v.link_new, name="link_new"),
    path("links/<int:pk>/delete/", v.link_delete, name="link_delete"),
]
