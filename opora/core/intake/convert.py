"""Files in other formats turned into .docx / .xlsx before a reader sees them.

The apps' readers understand Word (.docx) and Excel (.xlsx). :func:`to_office` brings the rest
to them: OpenDocument (.odt → .docx, .ods → .xlsx) read natively, a PDF with a text layer
through its table extractor (→ .docx), and the old binary formats (.doc, .xls, .rtf) converted
by LibreOffice when the server has it — with a clear Russian message when it has not.

Example::

    data, note = to_office(Path("план.odt").read_bytes(), unpacked_limit("document"))
    note   # «Файл OpenDocument (.odt) прочитан как документ Word.»
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from opora.core.intake import layout, odf
from opora.core.intake.files import UploadError
from opora.core.intake.sniff import (
    OLD_EXCEL,
    OLE_SIGNATURE,
    PDF_SIGNATURE,
    ZIP_SIGNATURE,
    content_type,
    office_kind,
)
from opora.core.intake.zipguard import check_zip

#: How long LibreOffice may take over one file before the upload is refused.
CONVERSION_TIMEOUT = 120


def _is_rtf(data: bytes) -> bool:
    return data.lstrip()[:5] == b"{\\rtf"


def needs_conversion(data: bytes, limit: int) -> bool:
    """True for OpenDocument, PDF, RTF and old OLE files; False for .docx/.xlsx and the rest."""
    if data[:5] == PDF_SIGNATURE or data[:8] == OLE_SIGNATURE or _is_rtf(data):
        return True
    if data[:4] == ZIP_SIGNATURE:
        return office_kind(check_zip(data, limit)) == "odf"
    return False


def to_office(data: bytes, limit: int) -> tuple[bytes, str]:
    """(.docx or .xlsx bytes, a note for the preview) for a file that needs conversion.

    Raises :class:`UploadError` with a Russian message for a scanned PDF, a damaged file or an
    old format on a server without LibreOffice. Other files are returned unchanged, note «».
    """
    if data[:5] == PDF_SIGNATURE:
        from opora.core.intake.pdf import read_pdf

        blocks = read_pdf(data)
        note = (
            "Файл PDF прочитан по текстовому слою: сверьте мероприятия и сроки с документом — "
            "разметка PDF передаёт таблицу не всегда точно."
        )
        return layout.to_docx(blocks), note
    if data[:4] == ZIP_SIGNATURE and needs_conversion(data, limit):
        kind = odf.document_kind(data, limit)
        if kind == "odt":
            blocks = odf.read_text_document(data, limit)
            return layout.to_docx(blocks), "Файл OpenDocument (.odt) прочитан как документ Word."
        if kind == "ods":
            sheets = odf.read_spreadsheet(data, limit)
            return layout.to_xlsx(sheets), "Таблица OpenDocument (.ods) прочитана как книга Excel."
        raise UploadError(
            "Этот вид файла OpenDocument не читается: загрузите текстовый документ (.odt) или "
            "таблицу (.ods)."
        )
    if _is_rtf(data):
        return _libreoffice(data, "rtf", "docx"), "Файл RTF преобразован в документ Word."
    if data[:8] == OLE_SIGNATURE:
        if content_type(data) == OLD_EXCEL:
            return _libreoffice(data, "xls", "xlsx"), "Файл .xls преобразован в книгу Excel."
        return _libreoffice(data, "doc", "docx"), "Файл .doc преобразован в документ Word."
    return data, ""


def libreoffice() -> str | None:
    """The LibreOffice program of the server, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _libreoffice(data: bytes, suffix: str, target: str) -> bytes:
    program = libreoffice()
    if program is None:
        kind = "Excel (.xlsx)" if target == "xlsx" else "Word (.docx)"
        old = (
            "формате"
            if suffix == "rtf"
            else f"старом формате {'Excel' if target == 'xlsx' else 'Word'}"
        )
        raise UploadError(
            f"Файл в {old} (.{suffix}): на сервере не установлена программа LibreOffice, "
            f"которая его преобразует. Откройте файл в Word или Excel, сохраните как {kind} "
            "(«Файл» → «Сохранить как») и загрузите снова."
        )
    with tempfile.TemporaryDirectory(prefix="opora-convert-") as folder:
        source = Path(folder) / f"file.{suffix}"
        source.write_bytes(data)
        # Each conversion has its own profile: two uploads converted at once never share (and
        # never lock) one LibreOffice user directory.
        command = [
            program,
            f"-env:UserInstallation={(Path(folder) / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            folder,
            str(source),
        ]
        try:
            _run(command, folder)
        except subprocess.TimeoutExpired as exc:
            raise UploadError(
                f"Файл .{suffix} не удалось преобразовать за {CONVERSION_TIMEOUT} с: он слишком "
                "велик или сложен. Сохраните его как .docx/.xlsx и загрузите снова."
            ) from exc
        except (subprocess.SubprocessError, OSError) as exc:
            raise UploadError(
                f"Файл .{suffix} не удалось преобразовать: он повреждён или защищён паролем. "
                "Сохраните его заново как .docx/.xlsx и загрузите снова."
            ) from exc
        result = Path(folder) / f"file.{target}"
        if not result.is_file() or not result.stat().st_size:
            raise UploadError(
                f"Файл .{suffix} не удалось преобразовать: LibreOffice не смог его открыть — "
                "он повреждён или защищён паролем. Сохраните его заново как .docx/.xlsx и "
                "загрузите снова."
            )
        return result.read_bytes()


def _run(command: list[str], folder: str) -> None:
    """Run LibreOffice in its own process group, so that a timeout ends it with every process
    it started (``soffice`` hands the work to ``soffice.bin``), leaving nothing behind."""
    process = subprocess.Popen(  # noqa: S603 — a fixed program and arguments, no shell
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=folder,
        env={**os.environ, "HOME": folder},
        start_new_session=True,
    )
    try:
        code = process.wait(timeout=CONVERSION_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    if code:
        raise subprocess.CalledProcessError(code, command[0])
