"""The programme's calendar: which year the lists and assignments are for."""

from django.conf import settings
from django.utils import timezone


def current_year() -> int:
    """The year of the current lists (settable for demos and tests via ``OPORA_YEAR``)."""
    return settings.OPORA_CURRENT_YEAR or timezone.localdate().year
