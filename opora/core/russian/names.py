"""People named in a plan's cell: «Иванова Н.П.», «Н.П. Иванова», «Иванова Наталья Петровна»,
and the position written beside them («заместитель директора по УВР»).

>>> find_person("заместитель директора по УВР Иванова Н.П.").written
'Иванова Н.П.'
>>> find_person("О.Л. Смирнова").key
'смирнова ол'
>>> find_person("Управление образования") is None
True
>>> is_position("заместитель директора по УВР"), is_position("руководители ОО")
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opora.core.russian.morph import morph

_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_INITIALS = r"[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?"
_AFTER = re.compile(rf"(?<![А-Яа-яЁё])({_SURNAME})\s+({_INITIALS})")
_BEFORE = re.compile(rf"(?<![А-Яа-яЁё.])({_INITIALS})\s*({_SURNAME})(?![А-Яа-яЁё])")
_FULL = re.compile(
    rf"(?<![А-Яа-яЁё])({_SURNAME})\s+([А-ЯЁ][а-яё]+)\s+([А-ЯЁ][а-яё]+(?:вич|вна|чна|ична|ич))"
    r"(?![А-Яа-яЁё])"
)

#: Lemmas a position begins with («заместитель директора», «учитель математики»).
POSITION_LEMMAS = frozenset(
    {
        "директор", "заместитель", "начальник", "руководитель", "учитель", "педагог",
        "педагог-психолог", "педагог-организатор", "специалист", "методист", "председатель",
        "инспектор", "консультант", "главный", "ведущий", "старший", "советник", "министр",
        "заведующий", "секретарь", "координатор", "куратор", "эксперт", "психолог",
        "социальный", "классный", "зам", "зав", "исполняющий", "и.о", "референт", "аналитик",
        "преподаватель", "воспитатель", "логопед", "ректор", "проректор", "глава", "мэр",
    }
)  # fmt: skip


@dataclass(frozen=True)
class PersonName:
    """A person found in a text: the surname, the initials («Н.П.») and where it stands."""

    surname: str
    initials: str
    start: int
    end: int

    @property
    def written(self) -> str:
        """«Иванова Н.П.»: how the registry and the preview show the name."""
        return f"{self.surname} {self.initials}"

    @property
    def key(self) -> str:
        return person_key(self.surname, self.initials)


def person_key(surname: str, initials: str) -> str:
    """«Иванова», «Н. П.» → «иванова нп»: a name as compared, whatever the spacing."""
    letters = "".join(ch for ch in initials.lower() if ch.isalpha())
    return f"{surname.lower().replace('ё', 'е')} {letters}".strip()


def _initials(text: str) -> str:
    return "".join(f"{ch}." for ch in text if ch.isupper())


def find_person(text: str) -> PersonName | None:
    """The first person named in ``text`` by surname and initials (or the full name)."""
    found: list[PersonName] = []
    m = _FULL.search(text)
    if m:
        found.append(PersonName(m.group(1), _initials(m.group(2) + m.group(3)), m.start(), m.end()))
    m = _AFTER.search(text)
    if m:
        found.append(PersonName(m.group(1), _initials(m.group(2)), m.start(), m.end()))
    m = _BEFORE.search(text)
    if m:
        found.append(PersonName(m.group(2), _initials(m.group(1)), m.start(), m.end()))
    return min(found, key=lambda p: p.start) if found else None


def is_position(text: str) -> bool:
    """Whether a text is one person's position: its first word a position noun in the singular
    («директор», «заместитель директора по УВР»), not a group («руководители ОО»)."""
    words = re.findall(r"[А-Яа-яЁё.\-]+", text)
    if not words:
        return False
    first = words[0].lower().rstrip(".")
    if first in POSITION_LEMMAS and len(first) <= 3:
        return True
    for parse in morph().parse(first)[:2]:
        if parse.normal_form.replace("ё", "е") in POSITION_LEMMAS:
            return "plur" not in parse.tag
    return False
