"""Roadmap files of other regions' layouts (opora/testing/roadmap_corpus.py) read right:
sections, events, deadlines, executors and the period, in every format the server reads."""

import pytest

from opora.roadmaps.importing import plan_roadmap_import
from opora.roadmaps.periods import parse_period
from opora.roadmaps.table_reader import RoadmapFileError, read_roadmap
from opora.testing.roadmap_corpus import CORPUS, EXTRA, libreoffice, problems

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "item",
    CORPUS + EXTRA,
    ids=[("lo-" if item.needs_libreoffice else "") + item.name for item in CORPUS + EXTRA],
)
def test_corpus_file_reads_right(item):
    if item.needs_libreoffice and libreoffice() is None:
        pytest.skip("LibreOffice не установлен")
    data = item.build()
    if item.refused:
        with pytest.raises(RoadmapFileError, match=item.refused):
            read_roadmap(data, item.name)
        return
    parsed = read_roadmap(data, item.name)
    period = parse_period(parsed.title)
    assert period is not None, parsed.title
    plan = plan_roadmap_import(parsed, period)
    assert problems(item, plan) == []
    assert plan.events, "nothing read"
