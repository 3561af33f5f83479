"""What an app hands to the documents layer: the text and requisites of a draft.

Each app's ``documents.py`` builds a :class:`Draft` from its objects (pure: reads, no writes)
and its services pass it to :func:`opora.documents.services.open_draft` or
:func:`~opora.documents.services.create_draft` with the source object. The requisites that
belong to the region (organisation, place) come from the registry
(:mod:`opora.registry.requisites`), never from code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Draft:
    """A document before it is saved: ``body`` is the editable text of
    :mod:`opora.documents.text`; ``signer`` one or more signatures separated by an empty line."""

    kind: str
    organisation: str
    title: str
    body: str
    place: str = ""
    signer: str = ""
    executor: str = ""
    landscape: bool = False
