"""What an app hands to the documents layer: the text and requisites of a draft.

Each app's ``documents.py`` builds a :class:`Draft` from its objects (pure: reads, no writes)
and its services pass it to :func:`opora.documents.services.open_draft` or
:func:`~opora.documents.services.create_draft` with the source object. The requisites that
belong to the region (organisation, place) come from the registry
(:mod:`opora.registry.requisites`), never from code.
"""

from __future__ import annotations

from dataclasses import dataclass

from opora.core.russian.inflect import inflect_phrase

#: Marks a draft's text may carry where the document's own number and date go (an appendix
#: mark «Приложение 1 к распоряжению … от [дата] № [номер]»); fixing puts the real ones in.
NUMBER_MARK = "[номер]"
DATE_MARK = "[дата]"

_KIND_DATIVE = {
    "order": "распоряжению",
    "decree": "приказу",
    "protocol": "протоколу",
    "letter": "письму",
    "report": "аналитической справке",
}


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


def appendix_mark(kind: str, organisation: str, number: int | None = None) -> str:
    """The mark over an appendix (ГОСТ Р 7.0.97-2016, п. 5.20), with the issuing body's full
    name in the genitive and the marks of the document's own date and number:

    «Приложение 2 к распоряжению Департамента общего образования Томской области от [дата]
    № [номер]»; ``number`` None for a single appendix («Приложение к приказу …»).
    """
    head = f"Приложение {number}" if number else "Приложение"
    name = inflect_phrase(" ".join(organisation.split()), "gent") if organisation.strip() else ""
    whose = f" {name}" if name else ""
    return f"{head} к {_KIND_DATIVE.get(kind, kind)}{whose} от {DATE_MARK} № {NUMBER_MARK}"


def executor_mark(user, phone: str = "") -> str:
    """The executor's mark (ГОСТ, п. 5.26): the full name of whoever prepares the document
    and their phone — their own from the registry's person, else ``phone`` (the issuing
    organisation's, ``registry.requisites.Issuer.phone``):
    «Сысолятина Наталья Алексеевна\n(382 2) 51 37 49». Empty for an anonymous user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    person = getattr(user, "person", None)
    name = person.full_name if person is not None else ""
    if not name:
        name = " ".join(
            p for p in (user.last_name, user.first_name, getattr(user, "patronymic", "")) if p
        )
    own = person.phone.strip() if person is not None else ""
    return "\n".join(p for p in (name.strip(), own or phone.strip()) if p)
