from django.urls import include, path

app_name = "reviews"
urlpatterns = [
    path("", include("opora.reviews.urls_interviews")),
    path("", include("opora.reviews.urls_expertise")),
    path("", include("opora.reviews.urls_monitoring")),
]
