"""A protocol file as it arrives: the protocol itself and the cover letter in front of it.

Example: a letter «24.07.2020 № 57-3401 … Доработанные муниципальные дорожные карты просим
предоставить … в срок до 3 августа 2020 года» in front of the protocol gives number
``"57-3401"``, date ``date(2020, 7, 24)`` and the due date ``date(2020, 8, 3)`` of its
recommendations.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from opora.core.russian.dates import MONTH_GENITIVE_RE, month_number
from opora.interviews.readers.protocol import ParsedProtocol, read_protocol


@dataclass
class CoverLetter:
    """What the cover letter in front of the protocol adds: its number, date and due date.

    Example: «24.07.2020 № 57-3401» and «Доработанные муниципальные дорожные карты просим
    предоставить … в срок до 3 августа 2020 года» give number ``"57-3401"``, date
    ``date(2020, 7, 24)`` and revision_due ``date(2020, 8, 3)``.
    """

    number: str = ""
    date: date | None = None
    revision_due: date | None = None


_LETTER_NUMBER_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s*(?:г\.?)?\s*№\s*([\w./-]+)")
_REVISION_RE = re.compile(
    r"доработанн\w*.{0,40}?дорожн\w*\s+карт\w*.*?\bдо\s+(?:(?P<day>\d{1,2})\s+"
    rf"(?P<month>{MONTH_GENITIVE_RE})\s+(?P<year>\d{{4}})|"
    r"(?P<nday>\d{1,2})\.(?P<nmonth>\d{1,2})\.(?P<nyear>\d{4}))",
    re.IGNORECASE | re.DOTALL,
)


def read_cover_letter(paragraphs: Sequence[str]) -> CoverLetter:
    """Find the letter's number and date and the due date of the revised roadmaps."""
    letter = CoverLetter()
    for text in paragraphs:
        text = " ".join(text.replace("**", "").split())
        if not letter.number:
            match = _LETTER_NUMBER_RE.match(text)
            if match:
                try:
                    letter.date = date(int(match[3]), int(match[2]), int(match[1]))
                    letter.number = match[4]
                except ValueError:
                    pass
        if letter.revision_due is None:
            match = _REVISION_RE.search(text)
            if match:
                try:
                    if match["day"]:
                        letter.revision_due = date(
                            int(match["year"]), month_number(match["month"]), int(match["day"])
                        )
                    else:
                        letter.revision_due = date(
                            int(match["nyear"]), int(match["nmonth"]), int(match["nday"])
                        )
                except ValueError:
                    pass
    return letter


@dataclass
class ProtocolFile:
    parsed: ParsedProtocol
    cover: CoverLetter


def read_protocol_file(data: bytes) -> ProtocolFile:
    """Read the protocol and its cover letter; `ProtocolFileError` (Russian) when unreadable."""
    import docx

    parsed = read_protocol(data)
    try:
        paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    except Exception:  # the reader opened it already; the letter is only a bonus
        paragraphs = []
    return ProtocolFile(parsed=parsed, cover=read_cover_letter(paragraphs))
