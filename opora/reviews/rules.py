"""Permissions of the reviews app, one module per part; importing them registers the rules."""

from opora.reviews import perms_expertise, perms_interviews, perms_monitoring  # noqa: F401
