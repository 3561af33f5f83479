"""Permissions (django-rules) of the interviews part of reviews."""
