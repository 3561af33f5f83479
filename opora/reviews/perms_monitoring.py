"""Permissions (django-rules) of the monitoring part of reviews."""
