"""What a file is, by its content: Office archives (through the zip guard), old Office, PDF, text."""

import io

import docx
import openpyxl
import pytest

from opora.core.intake.files import UploadError
from opora.core.intake.sniff import (
    EXCEL,
    OLD_WORD,
    WORD,
    content_type,
    ole_directory_names,
    ole_is_encrypted,
    sniff_head,
    sniff_kind,
)
from opora.testing.bombs import BOMBS
from opora.testing.ole import ole_file


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Код ОО", "Наименование ОО"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Протокол собеседования")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_office_files_are_told_apart_by_their_parts():
    assert sniff_kind(_xlsx()) == "xlsx"
    assert sniff_kind(_docx()) == "docx"
    assert content_type(_xlsx()) == EXCEL
    assert content_type(_docx()) == WORD


def test_old_office_pdf_and_text():
    assert sniff_kind(ole_file("WordDocument", "1Table")) == "ole"
    assert content_type(ole_file("WordDocument", "1Table")) == OLD_WORD
    assert sniff_kind(b"%PDF-1.7\n") == "pdf"
    assert sniff_kind("Код ОО;Наименование ОО\n".encode("cp1251")) == "text"


def test_a_large_file_is_named_by_its_head_alone():
    assert sniff_head(b"PK\x03\x04") == "xlsx"
    assert sniff_head(b"%PDF-1.4") == "binary"
    assert sniff_head(b"a\x00b") == "binary"
    assert sniff_head("2024;ВПР;700901".encode()) == "text"


def test_a_bomb_is_refused_before_it_is_named():
    with pytest.raises(UploadError, match="zip-бомб"):
        sniff_kind(BOMBS[sorted(BOMBS)[0]]("xlsx"))


def test_the_password_file_is_recognised_by_its_directory():
    """The container of a password-protected .docx: the name is found in the directory."""
    names = ole_directory_names(ole_file("EncryptionInfo", "EncryptedPackage"))
    assert names == ["Root Entry", "EncryptionInfo", "EncryptedPackage"]
    assert ole_is_encrypted(ole_file("EncryptionInfo", "EncryptedPackage"))
    assert not ole_is_encrypted(ole_file("WordDocument", "1Table"))
