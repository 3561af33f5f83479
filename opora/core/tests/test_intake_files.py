"""Reading a file whole, by one set of limits, whatever hands it in (a page, a command, a test)."""

import io

import pytest

from opora.core.intake.files import UploadError, read_bytes, read_source, unpacked_limit


def test_the_real_limit_is_20_megabytes(settings):
    assert settings.MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    with pytest.raises(UploadError, match="Файл больше 20 МБ"):
        read_bytes(io.BytesIO(b" " * (20 * 1024 * 1024 + 1)))


def test_an_empty_upload_is_refused():
    with pytest.raises(UploadError, match="Файл пустой"):
        read_bytes(b"")


def test_the_declared_size_of_an_upload_is_judged_before_reading():
    class Upload(io.BytesIO):
        size = 10 * 1024 * 1024

    with pytest.raises(UploadError, match="Файл больше 1 МБ"):
        read_bytes(Upload(b"x"), 1024 * 1024)


def test_the_unpacked_limits_are_one_set_in_the_settings(settings):
    assert unpacked_limit("document") == 50 * 1024 * 1024
    assert unpacked_limit("table") == 100 * 1024 * 1024
    assert unpacked_limit("results") == 400 * 1024 * 1024
    settings.MAX_UNPACKED_BYTES = {**settings.MAX_UNPACKED_BYTES, "document": 5}
    assert unpacked_limit("document") == 5


def test_a_path_bytes_and_a_stream_read_the_same(tmp_path):
    path = tmp_path / "Протокол 17.06.2020.docx"
    path.write_bytes(b"PK\x03\x04 protocol")
    assert read_source(path, 100) == (b"PK\x03\x04 protocol", "Протокол 17.06.2020.docx")
    assert read_source(str(path), 100)[0] == b"PK\x03\x04 protocol"
    assert read_source(b"PK\x03\x04 protocol", 100) == (b"PK\x03\x04 protocol", None)
    with path.open("rb") as handle:
        handle.read(3)  # a stream already read from is read from the start
        assert read_source(handle, 100) == (b"PK\x03\x04 protocol", "Протокол 17.06.2020.docx")


def test_an_empty_file_passes_for_the_reader_to_say_so(tmp_path):
    path = tmp_path / "пустой.docx"
    path.write_bytes(b"")
    assert read_source(path, 100) == (b"", "пустой.docx")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "нет.docx", "Файл «нет.docx» не найден."),
        (lambda tmp: tmp, "— это папка, а не файл."),
        (lambda tmp: io.StringIO("Протокол"), "в двоичном режиме"),
        (lambda tmp: b"x" * 101, "Файл больше 0 МБ"),
    ],
    ids=["missing", "folder", "text stream", "too large"],
)
def test_what_cannot_be_read_is_refused_in_russian(tmp_path, make, message):
    with pytest.raises(UploadError, match=message):
        read_source(make(tmp_path), 100)


def test_anything_else_is_a_programming_error():
    with pytest.raises(TypeError):
        read_source(42, 100)
