"""Zip bombs for tests: Office files that are small on disk and enormous unpacked.

Built by hand (local headers, central directory) so that declared sizes can lie, and from
repeated self-contained deflate blocks so that a 300 MB member costs milliseconds to make.
"""

from __future__ import annotations

import io
import os
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable

MB = 1024 * 1024

# The probe's case: a 4 MB file whose sheet unpacks to 300 MB.
BOMB_BYTES = 300 * MB
INCOMPRESSIBLE_BYTES = 4 * MB


def _repeated_deflate(chunk: bytes, times: int) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``chunk`` repeated, with its size and CRC (no data is built)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    # Made without history and ending byte-aligned, the block can be repeated as is.
    stream = block * times + b"\x03\x00"  # an empty final block
    crc = 0
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    return stream, len(chunk) * times, crc


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def build_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, raw deflate data, declared size, CRC) members, as given."""
    out = io.BytesIO()
    central = []
    for name, raw, size, crc in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(raw), size, len(encoded), 0
            )
        )
        out.write(encoded)
        out.write(raw)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(raw),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    length = out.tell() - start
    out.write(
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), length, start, 0)
    )
    return out.getvalue()


def _members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _small_office(kind: str) -> dict[str, bytes]:
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["Код", "Название"])
        out = io.BytesIO()
        book.save(out)
    else:
        import docx

        document = docx.Document()
        document.add_paragraph("Протокол")
        out = io.BytesIO()
        document.save(out)
    return _members_of(out.getvalue())


def _big_part(kind: str) -> str:
    return "xl/worksheets/sheet1.xml" if kind == "xlsx" else "word/document.xml"


def _pattern(kind: str) -> bytes:
    row = (
        b'<row><c t="inlineStr"><is><t>0000000000</t></is></c></row>'
        if kind == "xlsx"
        else b"<w:p><w:r><w:t>0000000000</w:t></w:r></w:p>"
    )
    return row * (MB // len(row) + 1)


def diluted_bomb(kind: str = "xlsx") -> bytes:
    """One incompressible member beside a 300 MB part packed 1000:1; the whole is ~70:1."""
    members = []
    big = _big_part(kind)
    for name, content in _small_office(kind).items():
        if name == big:
            raw, size, crc = _repeated_deflate(_pattern(kind)[:MB], BOMB_BYTES // MB)
            members.append((name, raw, size, crc))
        else:
            members.append((name, _deflate(content), len(content), zlib.crc32(content)))
    noise = os.urandom(INCOMPRESSIBLE_BYTES)
    media = "xl/media/image1.jpeg" if kind == "xlsx" else "word/media/image1.jpeg"
    members.append((media, _deflate(noise), len(noise), zlib.crc32(noise)))
    return build_zip(members)


def lying_bomb(kind: str = "xlsx") -> bytes:
    """A part that declares 2 KB (a modest ratio) but really unpacks to 300 MB."""
    members = []
    big = _big_part(kind)
    for name, content in _small_office(kind).items():
        if name == big:
            raw, _size, crc = _repeated_deflate(_pattern(kind)[:MB], BOMB_BYTES // MB)
            members.append((name, raw, 2048, crc))
        else:
            members.append((name, _deflate(content), len(content), zlib.crc32(content)))
    return build_zip(members)


BOMBS = {"diluted": diluted_bomb, "lying": lying_bomb}

#: Refusing a bomb may cost a few MB of buffers, never the hundreds it unpacks to.
MAX_PEAK_BYTES = 40 * MB


def refusal(call: Callable[[], object]) -> tuple[str, float, int]:
    """Run ``call``: what it said (its exception's text, or what it returned), the seconds it
    took and its memory peak (the Python heap, where unpacked bytes would land)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        said = str(call())
    except Exception as exc:  # the caller asserts on the text
        said = str(exc)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return said, seconds, peak


def assert_refused(call: Callable[[], object], message: str = "zip-бомб") -> str:
    """``call`` refuses within a second and a bounded memory with the zip-bomb message.

    ``call`` raises the refusal or returns it (a plan's list of errors, a page).
    """
    said, seconds, peak = refusal(call)
    assert message in said, said[:500]
    assert seconds < 1.0, f"refused in {seconds:.2f} s"
    assert peak < MAX_PEAK_BYTES, f"peak memory {peak / MB:.0f} MB"
    return said
