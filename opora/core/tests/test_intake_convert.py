"""Old formats through LibreOffice: converted when it is installed, each conversion in its own
profile (two at once do not clash), stopped with a clear Russian message when it hangs or fails;
a scanned PDF refused with a message, not read as an empty file."""

from __future__ import annotations

import stat
import threading

import pytest

from opora.core.intake import convert
from opora.core.intake.files import UploadError, unpacked_limit
from opora.testing.roadmap_corpus import converted, plain_pdf_source, scanned_pdf

LIMIT = 50 * 1024 * 1024
needs_libreoffice = pytest.mark.skipif(
    convert.libreoffice() is None, reason="LibreOffice не установлен"
)


def _fake_program(tmp_path, body: str) -> str:
    program = tmp_path / "soffice"
    program.write_text(f"#!/bin/sh\n{body}\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return str(program)


def test_a_hanging_conversion_is_stopped_with_a_russian_message(tmp_path, monkeypatch):
    marker = tmp_path / "still-running"
    program = _fake_program(tmp_path, f"sleep 5 && touch {marker}")
    monkeypatch.setattr(convert, "libreoffice", lambda: program)
    monkeypatch.setattr(convert, "CONVERSION_TIMEOUT", 0.5)

    with pytest.raises(UploadError, match="не удалось преобразовать за 0.5 с"):
        convert.to_office(b"{\\rtf1\\ansi plan\\par}", LIMIT)

    threading.Event().wait(5.5)
    assert not marker.exists()  # the whole process group was ended, the child too


@pytest.mark.parametrize("body", ["exit 1", "exit 0"])
def test_a_failed_conversion_says_so_in_russian(tmp_path, monkeypatch, body):
    monkeypatch.setattr(convert, "libreoffice", lambda: _fake_program(tmp_path, body))

    with pytest.raises(UploadError, match="не удалось преобразовать") as error:
        convert.to_office(b"{\\rtf1\\ansi plan\\par}", LIMIT)
    assert "Сохраните" in str(error.value)


def test_without_libreoffice_the_message_says_how_to_save_the_file(without_libreoffice):
    with pytest.raises(UploadError, match="не установлена программа LibreOffice"):
        convert.to_office(b"{\\rtf1\\ansi plan\\par}", LIMIT)


def test_a_scanned_pdf_is_refused_with_a_message():
    with pytest.raises(UploadError, match="нет текстового слоя"):
        convert.to_office(scanned_pdf(), unpacked_limit("document"))


@needs_libreoffice
def test_two_conversions_at_once_both_succeed():
    sources = [converted(plain_pdf_source(), "doc"), converted(plain_pdf_source(), "rtf")]
    results: list = [None, None]

    def work(i):
        try:
            results[i] = convert.to_office(sources[i], LIMIT)
        except Exception as exc:  # noqa: BLE001 — reported below
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for data, note in results:
        assert data[:2] == b"PK"
        assert "преобразован в документ Word" in note


@needs_libreoffice
def test_a_damaged_doc_gets_a_russian_message():
    damaged = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    with pytest.raises(UploadError, match="не удалось преобразовать"):
        convert.to_office(damaged, LIMIT)
