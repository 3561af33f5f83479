"""The programme's open page (under /public/, namespace «public»): no sign-in."""

from django.urls import path

from opora.information import public_views as v

app_name = "public"
urlpatterns = [
    path("", v.home, name="home"),
    path("roadmaps/<int:pk>/", v.roadmap, name="roadmap"),
    path("materials/<int:pk>/file/", v.material_file, name="material_file"),
]
