"""URLs of the interviews part of reviews."""

urlpatterns = []
