"""Demo results: three years of synthetic ВПР for the demo schools, and a run to look at."""

from __future__ import annotations

import tempfile
from pathlib import Path

from opora.accounts.models import User
from opora.assessment import services
from opora.assessment.models import BatchStatus, IdentificationRun, ResultBatch
from opora.assessment.synthetic import generate
from opora.registry.models import School


def load(year: int) -> None:
    """Import synthetic results (labelled «синтетические» in the file names) once, then a run."""
    if ResultBatch.objects.filter(status=BatchStatus.DONE).exists():
        return
    region = User.objects.get(username="region")
    codes = list(School.objects.order_by("code").values_list("code", flat=True))
    with tempfile.TemporaryDirectory() as tmp:
        info = generate(len(codes), range(year - 2, year + 1), Path(tmp), seed=year, codes=codes)
        for file in info["files"]:
            path = Path(file)
            batch = services.start_import(region, path.read_bytes(), path.name, enqueue=False)
            services.run_import(batch.pk)
    if not IdentificationRun.objects.exists():
        services.create_run(region, services.default_methodology(), year)
