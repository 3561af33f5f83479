"""A roadmap row the reader does not take is named in the preview with its reason."""

import io
from datetime import date

import docx
import pytest

from opora.roadmaps.importing import plan_roadmap_import
from opora.roadmaps.table_reader import read_roadmap


def _roadmap() -> bytes:
    document = docx.Document()
    document.add_paragraph("План мероприятий на 2024 год")
    table = document.add_table(rows=0, cols=4)
    for values in (
        ["№", "Мероприятие", "Срок", "Ответственный"],
        ["1", "Провести совещание директоров", "январь 2024", "Управление образования"],
        ["2", "", "", ""],
        ["3", "Обновить положение о наставничестве", "март 2024", "Методический центр"],
    ):
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_row_with_only_a_number_is_listed_as_not_understood():
    parsed = read_roadmap(_roadmap())
    assert [e.number for e in parsed.events] == ["1", "3"]
    [skipped] = parsed.skipped
    assert (skipped.where, skipped.text) == ("строка 3", "2")
    assert "только номер" in skipped.reason


@pytest.mark.django_db
def test_the_preview_carries_the_rows_not_understood():
    plan = plan_roadmap_import(read_roadmap(_roadmap()), (date(2024, 1, 1), date(2024, 12, 31)))
    assert plan.to_dict()["skipped"] == [
        {"where": "строка 3", "text": "2", "reason": "в строке только номер, нет мероприятия"}
    ]
