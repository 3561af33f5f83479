"""Permissions (django-rules) of the expertise part of reviews."""
