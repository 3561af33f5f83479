"""Many rows at once (``core.bulk.insert_rows``): every row written once, as given, whatever
their number against the rows one SQLite statement carries; PostgreSQL takes them by COPY."""

import pytest

from opora.core import bulk
from opora.registry.models import Region

COLUMNS = ["name", "short_name", "centre"]
PER = bulk.MAX_PARAMS // len(COLUMNS)


@pytest.mark.parametrize("count", [0, 1, PER - 1, PER, PER + 1, 3 * PER + 7])
def test_every_row_is_written_once_as_given(db, count):
    rows = [(f"Область {n} «Тест»", f"О'{n}", 'г. "Томск"') for n in range(count)]
    bulk.insert_rows(Region._meta.db_table, COLUMNS, iter(rows))
    written = Region.objects.filter(name__startswith="Область ").order_by("pk")
    assert list(written.values_list(*COLUMNS)) == rows


def test_a_refused_row_leaves_nothing_of_the_lot(db):
    from django.db import IntegrityError, transaction

    rows = [(f"Область {n}", "", "") for n in range(PER + 3)] + [(None, "", "")]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_rows(Region._meta.db_table, COLUMNS, rows)
    assert not Region.objects.filter(name__startswith="Область ").exists()
