"""The assessment app's reference data: the region's default methodology (issue 5 gives it
exactly), created after every ``migrate`` by ``core.reference`` when it is missing — a region's
own methodologies and versions are never touched."""

from __future__ import annotations

from opora.assessment import engine
from opora.assessment.models import Methodology

DEFAULT_NAME = "Региональная методика (по умолчанию)"


def ensure_default_methodology() -> Methodology:
    """The default methodology, created with the engine's default parameters if there is none."""
    found = Methodology.objects.filter(is_default=True).order_by("-version").first()
    if found is not None:
        return found
    created, _ = Methodology.objects.get_or_create(
        name=DEFAULT_NAME,
        version=1,
        defaults={
            "params": engine.Params().to_dict(),
            "is_default": True,
            "description": "Методика по умолчанию: доля «2» по ВПР за три года, "
            "порог — 90-й процентиль, не ниже 10 %.",
        },
    )
    return created
