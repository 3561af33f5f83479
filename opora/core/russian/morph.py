"""The one morphological analyser of the process.

Building a ``pymorphy3.MorphAnalyzer`` reads its dictionaries (a few hundred milliseconds and
tens of megabytes), so it is built on first use and then shared by every caller:

>>> morph().parse("наставничеству")[0].normal_form
'наставничество'
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pymorphy3


@cache
def morph() -> pymorphy3.MorphAnalyzer:
    """The shared analyser, created lazily: importing this module costs nothing."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()
