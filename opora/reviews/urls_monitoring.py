"""URLs of the monitoring part of reviews."""

urlpatterns = []
