"""The zip guard every Office upload passes: each member judged, unpacking bounded.

Issue 9: a 4 MB .xlsx whose one incompressible member hid a 300 MB sheet took a server past
5 GB, because only the ratio of the whole archive was judged.
"""

import io
import zipfile

import openpyxl
import pytest

from opora.core.intake import zipguard
from opora.core.intake.files import UploadError
from opora.core.intake.tables import read_table
from opora.testing.bombs import BOMBS, MB, assert_refused, build_zip, diluted_bomb


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_a_bomb_is_refused_in_a_second_with_little_memory(bomb, kind):
    data = BOMBS[bomb](kind)
    assert len(data) < 6 * MB
    assert_refused(lambda: zipguard.check_zip(data))


def test_the_whole_archive_ratio_would_have_let_the_diluted_bomb_through():
    """The control: the bomb is the probe's case, not one the old check caught."""
    infos = zipfile.ZipFile(io.BytesIO(diluted_bomb())).infolist()
    whole = sum(i.file_size for i in infos) / sum(i.compress_size for i in infos)
    assert whole < zipguard.MAX_COMPRESSION_RATIO


def test_members_are_unpacked_only_up_to_the_limit(settings):
    """Many members, each packed modestly, together past the limit: refused while counting."""
    settings.MAX_UNPACKED_BYTES = {**settings.MAX_UNPACKED_BYTES, "table": MB}
    book = openpyxl.Workbook()
    for i in range(20_000):
        book.active.append([i, f"Школа № {i}", "Томск"])
    out = io.BytesIO()
    book.save(out)
    assert "zip-бомб" in _refusal(out.getvalue())


def test_a_member_that_ends_before_its_declared_size_is_damaged():
    data = b"<x/>" * 100
    archive = build_zip([("xl/workbook.xml", _deflated(data), len(data) + 10, 0)])
    assert "повреждён" in _refusal(archive)


def test_a_real_workbook_passes_and_stays_readable():
    book = openpyxl.Workbook()
    book.active.append(["Код ОО", "Наименование"])
    book.active.append(["700101", "МКОУ «Сосновская ООШ»"])
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue())
    assert table.rows == [(2, {"код оо": "700101", "наименование": "МКОУ «Сосновская ООШ»"})]


def _deflated(data: bytes) -> bytes:
    import zlib

    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _refusal(data: bytes) -> str:
    with pytest.raises(UploadError) as error:
        zipguard.check_zip(data)
    return str(error.value)
