"""URLs of the expertise part of reviews."""

urlpatterns = []
