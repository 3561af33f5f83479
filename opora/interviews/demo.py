"""Demo data of the interviews (idempotent): the June 2020 protocol of seed 000.

The real protocol is imported as the region would import it; then its recommendations are
worked on (``recommendations.demo``), so that the tracker shows every state.
"""

from __future__ import annotations

import logging
from pathlib import Path

from opora.accounts.models import Role, User
from opora.interviews import services as interviews
from opora.interviews.models import InterviewProtocol
from opora.interviews.readers import protocol_file
from opora.recommendations import demo as recommendation_demo
from opora.recommendations.models import Recommendation
from opora.registry.models import Municipality

FILES = Path(__file__).resolve().parent / "demo_files"


SAMPLE = "000_interview_protocol_2020.docx"


log = logging.getLogger(__name__)


def load(year: int) -> None:
    """Import the sample protocol once; a second run changes nothing."""
    if InterviewProtocol.objects.filter(source_name=SAMPLE).exists():
        return
    region = (
        User.objects.filter(username="region").first()
        or User.objects.filter(role=Role.REGION, is_active=True).order_by("pk").first()
    )
    if region is None:
        return
    file = protocol_file.read_protocol_file((FILES / SAMPLE).read_bytes())
    preview = interviews.protocol_preview(file, Municipality.objects.all())
    if preview.unmatched:
        log.warning(
            "Демо протокола собеседований пропущено: не найдены в реестре %s",
            ", ".join(b.written for b in preview.unmatched),
        )
        return
    protocol = interviews.import_protocol(
        region,
        preview,
        municipalities=[b.municipality for b in preview.blocks],
        revision_due=file.cover.revision_due,
        source_name=SAMPLE,
    )
    recommendation_demo.track(Recommendation.objects.filter(interview__protocol=protocol), region)
