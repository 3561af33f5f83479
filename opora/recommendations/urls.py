"""URLs of the recommendation tracker (under /reviews/, namespace «recommendations»)."""

from django.urls import path

from opora.recommendations import views

app_name = "recommendations"
urlpatterns = [
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
        "recommendations/events/<int:event_pk>/link/",
        views.event_link_recommendation,
        name="event_link_recommendation",
    ),
    path(
        "recommendations/<int:pk>/close/",
        views.recommendation_close,
        name="recommendation_close",
    ),
]
