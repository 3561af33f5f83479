"""Demo results: three years of synthetic ВПР for the demo schools, their passports drawn from the
same social context as the results, and a run to look at."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from opora.accounts.models import User
from opora.assessment import services
from opora.assessment.models import BatchStatus, IdentificationRun, ResultBatch
from opora.assessment.synthetic import generate
from opora.registry import services as registry_services
from opora.registry.models import School

#: The passport fields the synthetic region draws from each school's social context.
CONTEXT_SHARES = (
    "share_special_needs",
    "share_non_native",
    "share_low_income",
    "share_single_parent",
)


def load(year: int, *, context_passports: bool = True) -> None:
    """Import synthetic results (labelled «синтетические» in the file names) once, then a run.

    ``context_passports=False`` keeps the passports the registry has (the benchmarks: writing
    four passports of each of 10 000 schools through the registry's service takes minutes)."""
    if ResultBatch.objects.filter(status=BatchStatus.DONE).exists():
        return
    region = User.objects.get(username="region")
    codes = list(School.objects.order_by("code").values_list("code", flat=True))
    with tempfile.TemporaryDirectory() as tmp:
        info = generate(len(codes), range(year - 2, year + 1), Path(tmp), seed=year, codes=codes)
        if context_passports:
            _context_passports(region, info["passports"], range(year - 3, year + 1))
        for file in info["files"]:
            path = Path(file)
            batch = services.start_import(region, path.read_bytes(), path.name, enqueue=False)
            services.run_import(batch.pk)
    if not IdentificationRun.objects.exists():
        services.create_run(region, services.default_methodology(), year)


def _context_passports(region: User, passports: dict[str, dict[str, float]], years) -> None:
    """The demo passports take the context the results were generated from, so that the ШНСУ
    list and the expected share mean on the demo what they mean in a region (the shares of
    families and pupils, and whether the school is small; whether it is rural stays what its
    municipality says)."""
    for school in School.objects.filter(code__in=list(passports)).order_by("code"):
        drawn = passports[school.code]
        fields = {name: Decimal(str(round(drawn[name], 4))) for name in CONTEXT_SHARES}
        fields["is_small"] = bool(drawn["is_small"])
        for year in years:
            registry_services.save_passport(region, school, year, **fields)
