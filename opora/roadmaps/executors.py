"""Resolving the «Исполнители» / «Ответственные» cell of a roadmap row into executors.

Roadmap cells name executors by abbreviations and phrases written by hand: ``"УООиП ОО РМО"``
(three executors separated by spaces only), ``"ДОО ТО, ТОИПКРО"`` (``ДОО ТО`` is *one* name
containing a space), ``"ОО (ШМО) РМО"``, ``"Руководитель УООиП"``, ``"МОУО, кураторы,
руководители ОО"``, ``"ОО с низкими результатами обучения"``. :func:`resolve_executors` turns such
a cell into a list of :class:`ResolvedExecutor` against a directory of :class:`DirectoryEntry`
(registry organisations plus the built-in :data:`ROLE_ENTRIES`). It never raises and never drops
text: whatever it cannot recognise is returned as an unknown executor (``key=None``) so that a
person can link it by hand.

Only the standard library, rapidfuzz and :mod:`opora.core.russian` (pymorphy3) are used (no
Django), so the module works from imports of seed documents, management commands and tests.

How a cell is read:

* the cell is split into chunks on commas, semicolons, slashes, line breaks and the word « и »;
  a directory name that itself contains a comma or « и » («Управление образования, опеки и
  попечительства») is still matched as a whole, and a line break inside a known name (a cell
  wrapped in Word) does not split it;
* inside a chunk, known names are matched greedily from left to right, the longest name first,
  on word boundaries: ``"ДОО ТО"`` is one executor, ``"УООиП ОО РМО"`` is three;
* abbreviations (``ОО``, ``УООиП``, ``ДОО``: two or more capitals) match exactly, except for
  surrounding punctuation (``ТОИПКРО.``); abbreviations longer than six letters also match in
  another case (``Тоипкро``). Latin look-alike letters typed in a Cyrillic word are repaired;
* ordinary words match by any of their pymorphy3 lemmas (``кураторами`` → куратор,
  ``руководителям ОО``), and words longer than five letters also tolerate a small typo
  (rapidfuzz ratio ≥ 90);
* position words right before a name become the qualifier: ``"Руководитель УООиП"`` → УООиП,
  qualifier «руководитель»; ``"руководители ШНОР"`` → schools, qualifier «руководитель»;
  a parenthesis right after a name is its qualifier: ``"ОО (ШМО)"`` → schools, qualifier «ШМО»
  (a parenthesis that merely repeats the same entry, «Томский областной институт …
  (ТОИПКРО)», is absorbed);
* everything else in a chunk becomes one unknown executor per uninterrupted run of words;
  punctuation alone (a stray dash) is ignored;
* executors are de-duplicated by (key, qualifier), unknown ones by their normalised text; the
  first occurrence wins and the order of the cell is kept.

Precedence: when names of several entries match the same words, the longest match wins, then the
closer match (exact before fuzzy), then **organisation entries before roles** (every key that does
not start with ``role:``), then the order of the directory. So a registry organisation
``РМО`` (a district methodical association registered as an organisation) wins over the role
``role:methodical_service`` that also answers to «РМО». Each entry's ``label`` is a name too.

Built-in roles (:data:`ROLE_ENTRIES`), for executors that are a *kind* of participant rather than
one registry organisation:

* ``role:school`` — schools: ОО, ОУ, школы, (обще)образовательные организации/учреждения, ШНОР,
  ШНСУ, and the same with «с низкими результатами обучения» and similar tails. «Руководители ОО»,
  «директора школ», «управленческие команды ШНОР» resolve here with a qualifier;
* ``role:curator`` — кураторы (ШНОР, ШНСУ, муниципалитетов);
* ``role:municipal_authority`` — МОУО, органы местного самоуправления, осуществляющие управление в
  сфере образования, муниципальные органы управления образованием, управление/отдел образования;
* ``role:methodical_service`` — municipal methodical services: РМО, ММО, ММС, ИМЦ, муниципальная
  методическая служба, районные/муниципальные методические объединения;
* ``role:school_methodical`` — ШМО, школьные методические объединения (a unit inside a school;
  kept apart from ``role:school`` so that «ШМО» alone is not read as the whole school).

Regional bodies (ДОО ТО, ТОИПКРО, ЦОКО) are *not* roles: they are organisations of the registry
and come into the directory as ordinary entries.

>>> directory = [DirectoryEntry("org:1", "ТОИПКРО", ("ТОИПКРО",)), *ROLE_ENTRIES]
>>> [(e.key, e.qualifier) for e in resolve_executors("ТОИПКРО, руководители ОО", directory)]
[('org:1', ''), ('role:school', 'руководитель')]
>>> resolve_executors("Министерство чего-то", directory)[0].known
False
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from opora.core.russian.inflect import nominative_singular
from opora.core.russian.lemmas import fold_yo, normal_forms
from opora.core.russian.morph import morph
from opora.core.russian.names import PersonName, find_person, is_position

__all__ = [
    "ROLE_ENTRIES",
    "DirectoryEntry",
    "ExecutorResolver",
    "ResolvedExecutor",
    "resolve_executors",
]


@dataclass(frozen=True)
class DirectoryEntry:
    """Something a roadmap can name as an executor: a registry organisation or a role.

    ``names`` are the abbreviations and phrases documents use for it, in any grammatical form
    («ДОО ТО», «ДОО», «Департамент общего образования Томской области»); ``label`` is shown to
    users and is a name as well.
    """

    key: str
    label: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResolvedExecutor:
    """One executor read from a cell.

    ``written`` is the fragment as written (whitespace collapsed), qualifier words and the
    parenthesis included: «Руководитель УООиП», «ОО (ШМО)». Unknown fragments have ``key=None``,
    ``known=False`` and ``label == written``.
    """

    written: str
    key: str | None
    label: str
    known: bool
    qualifier: str = ""
    #: A person named by surname and initials («Иванова Н.П.»); ``qualifier`` is then the
    #: position written beside the name («заместитель директора по УВР»).
    person: str = ""


# --- built-in roles ----------------------------------------------------------------------------

_SCHOOL_HEADS = (
    "ОО",
    "ОУ",
    "школа",
    "образовательная организация",
    "общеобразовательная организация",
    "образовательное учреждение",
    "общеобразовательное учреждение",
)
_SCHOOL_TAILS = (
    "с низкими результатами обучения",
    "с низкими результатами",
    "с низкими образовательными результатами",
    "с низкими образовательными результатами обучающихся",
    "с низкими результатами обучающихся",
    ", функционирующая в неблагоприятных социальных условиях",
    ", функционирующая в сложных социально-экономических условиях",
    ", работающая в сложных социальных условиях",
    "в неблагоприятных социальных условиях",
)

ROLE_ENTRIES: tuple[DirectoryEntry, ...] = (
    DirectoryEntry(
        "role:school",
        "Образовательные организации",
        (
            *_SCHOOL_HEADS,
            *(
                f"{head} {tail}".replace(" ,", ",")
                for head in _SCHOOL_HEADS
                for tail in _SCHOOL_TAILS
            ),
            "ШНОР",
            "ШНСУ",
            "школа с низкими образовательными результатами и ШНСУ",
            "школа-участница",
        ),
    ),
    DirectoryEntry(
        "role:curator",
        "Кураторы",
        (
            "куратор",
            "куратор ШНОР",
            "куратор ШНСУ",
            "куратор ШНОР и ШНСУ",
            "куратор муниципалитета",
            "куратор муниципального образования",
            "региональный куратор",
        ),
    ),
    DirectoryEntry(
        "role:municipal_authority",
        "Муниципальные органы управления образованием",
        (
            "МОУО",
            "ОМСУ",
            "орган местного самоуправления, осуществляющий управление в сфере образования",
            "орган местного самоуправления в сфере образования",
            "муниципальный орган управления образованием",
            "муниципальный орган управления образования",
            "орган управления образованием",
            "управление образования",
            "управление образованием",
            "отдел образования",
            "комитет по образованию",
            "муниципалитет",
        ),
    ),
    DirectoryEntry(
        "role:methodical_service",
        "Муниципальные методические службы",
        (
            "РМО",
            "ММО",
            "ММС",
            "ИМЦ",
            "муниципальная методическая служба",
            "методическая служба",
            "районное методическое объединение",
            "муниципальное методическое объединение",
            "информационно-методический центр",
            "методический центр",
        ),
    ),
    DirectoryEntry(
        "role:school_methodical",
        "Школьные методические объединения",
        ("ШМО", "школьное методическое объединение"),
    ),
)

# Lemmas of position words that, right before a name, say *who in* that body acts:
# «Руководитель УООиП», «директора школ», «управленческие команды ШНОР».
_QUALIFIER_LEMMAS = frozenset(
    {
        "руководитель",
        "директор",
        "заместитель",
        "зам",
        "начальник",
        "специалист",
        "методист",
        "координатор",
        "администрация",
        "коллектив",
        "команда",
        "управленческий",
        "педагогический",
        "административный",
        "рабочий",
        "группа",
        "представитель",
        "сотрудник",
        "работник",
        "эксперт",
        "председатель",
        "ректор",
        "проректор",
        "глава",
        "член",
        "педагог",
        "учитель",
    }
)

_FUZZY_MIN_LENGTH = 6  # «words longer than 5 letters» tolerate typos
_FUZZY_MIN_RATIO = 90.0
_CASE_INSENSITIVE_ABBR_LENGTH = 7  # abbreviations of ≤ 6 letters are case-sensitive
_MAX_PAREN_DEPTH = 3

# --- words -------------------------------------------------------------------------------------

_LOOKALIKES = str.maketrans(
    {
        "A": "А",
        "B": "В",
        "C": "С",
        "E": "Е",
        "H": "Н",
        "K": "К",
        "M": "М",
        "O": "О",
        "P": "Р",
        "T": "Т",
        "X": "Х",
        "Y": "У",
        "a": "а",
        "c": "с",
        "e": "е",
        "o": "о",
        "p": "р",
        "x": "х",
        "y": "у",
    }
)
_LATIN_LOOKALIKE_CAPS = frozenset("ABCEHKMOPTXY")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_EDGE_NOISE = re.compile(r"^[\W_]+|[\W_]+$")


def _is_abbreviation(text: str) -> bool:
    """«ОО», «ТОИПКРО», «УООиП», «ВПР-2023»: two or more letters, mostly capitals."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    capitals = sum(c.isupper() for c in letters)
    return capitals == len(letters) or capitals >= 2


def _repair_script(text: str) -> str:
    """Latin look-alikes typed in a Cyrillic word («OО», «PMO») become Cyrillic."""
    if _CYRILLIC.search(text):
        return text.translate(_LOOKALIKES)
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 2 and all(c in _LATIN_LOOKALIKE_CAPS for c in letters):
        return text.translate(_LOOKALIKES)
    return text


@dataclass(frozen=True)
class _Word:
    text: str  # stripped of edge punctuation, ё → е, look-alikes repaired
    lower: str
    abbreviation: bool

    @classmethod
    def of(cls, stripped: str) -> _Word:
        text = fold_yo(_repair_script(stripped))
        return cls(text, text.lower(), _is_abbreviation(text))

    @property
    def lemmas(self) -> frozenset[str]:
        return normal_forms(self.lower)


@functools.lru_cache(maxsize=65536)
def _word_score(written: _Word, name: _Word) -> float:
    """How well a written word matches a word of a name: 1.0 exact, 0.9–1.0 typo, 0 none."""
    if name.abbreviation:
        if written.text == name.text:
            return 1.0
        if len(name.text) >= _CASE_INSENSITIVE_ABBR_LENGTH and written.lower == name.lower:
            return 1.0
        return 0.0
    if written.lower == name.lower or written.lemmas & name.lemmas:
        return 1.0
    if len(written.lower) >= _FUZZY_MIN_LENGTH and len(name.lower) >= _FUZZY_MIN_LENGTH:
        ratio = fuzz.ratio(written.lower, name.lower)
        if ratio < _FUZZY_MIN_RATIO:
            ratio = max(
                (fuzz.ratio(a, b) for a in written.lemmas for b in name.lemmas if len(a) > 1),
                default=0.0,
            )
        if ratio >= _FUZZY_MIN_RATIO:
            return ratio / 100
    return 0.0


# --- tokens ------------------------------------------------------------------------------------

_WORD, _SEP, _SOFT, _PAREN, _NOISE = "word", "sep", "soft", "paren", "noise"
_TOKEN_RE = re.compile(r"(?P<sep>[,;/])|(?P<paren>[()])|(?P<space>\s+)|(?P<word>[^\s,;/()]+)")
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


@dataclass(frozen=True)
class _Token:
    kind: str
    start: int
    end: int
    value: str = ""  # the separator for _SEP
    word: _Word | None = None
    inner: tuple[int, int] = (0, 0)  # the text inside the brackets for _PAREN


def _paren_groups(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Outermost balanced ``( … )`` spans (end exclusive) inside ``text[start:end]``."""
    stack: list[int] = []
    groups: list[tuple[int, int]] = []
    for i in range(start, end):
        char = text[i]
        if char == "(":
            stack.append(i)
        elif char == ")" and stack:
            groups.append((stack.pop(), i + 1))
    groups.sort()
    outermost: list[tuple[int, int]] = []
    for group in groups:
        if not outermost or group[0] >= outermost[-1][1]:
            outermost.append(group)
    return outermost


def _flat_tokens(text: str, start: int, end: int) -> list[_Token]:
    tokens: list[_Token] = []
    for m in _TOKEN_RE.finditer(text, start, end):
        kind = m.lastgroup
        if kind == "sep":
            tokens.append(_Token(_SEP, m.start(), m.end(), m.group()))
        elif kind == "paren":
            tokens.append(_Token(_NOISE, m.start(), m.end()))
        elif kind == "space":
            if any(c in _LINE_BREAKS for c in m.group()):
                tokens.append(_Token(_SOFT, m.start(), m.end()))
        elif m.group() == "и":
            tokens.append(_Token(_SEP, m.start(), m.end(), "и"))
        else:
            stripped = _EDGE_NOISE.sub("", m.group())
            if stripped:
                tokens.append(_Token(_WORD, m.start(), m.end(), word=_Word.of(stripped)))
            else:
                tokens.append(_Token(_NOISE, m.start(), m.end()))
    return tokens


def _tokens(text: str, start: int, end: int, depth: int) -> list[_Token]:
    groups = _paren_groups(text, start, end) if depth < _MAX_PAREN_DEPTH else []
    tokens: list[_Token] = []
    position = start
    for group_start, group_end in groups:
        tokens.extend(_flat_tokens(text, position, group_start))
        tokens.append(
            _Token(_PAREN, group_start, group_end, inner=(group_start + 1, group_end - 1))
        )
        position = group_end
    tokens.extend(_flat_tokens(text, position, end))
    return tokens


# --- the directory ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    entry: DirectoryEntry
    rank: int  # 0 for organisations, 1 for roles
    order: int
    tokens: tuple[_Token, ...]  # words and the separators «,» / «и»


@dataclass(frozen=True)
class _Match:
    name: _Name
    end: int  # index of the first token after the match
    words: int
    score: float

    def sort_key(self) -> tuple[int, float, int, int]:
        return (-self.words, -self.score, self.name.rank, self.name.order)


@dataclass
class _Item:
    start: int
    end: int
    entry: DirectoryEntry | None
    qualifier: str = ""
    person: PersonName | None = None


class ExecutorResolver:
    """A directory compiled for matching; :func:`resolve_executors` keeps a few of them cached.

    Build one explicitly when resolving many cells against a large directory::

        resolver = ExecutorResolver([*registry_entries, *ROLE_ENTRIES])
        for event in roadmap.events:
            executors = resolver.resolve(event.executors_text)
    """

    def __init__(self, entries: Iterable[DirectoryEntry]):
        self._by_abbreviation: dict[str, list[_Name]] = {}
        self._by_lemma: dict[str, list[_Name]] = {}
        self._fuzzy_first: list[_Name] = []
        #: People of the registry by :func:`~opora.core.russian.names.person_key`.
        self._people: dict[str, DirectoryEntry] = {}
        #: Cells already read: a plan repeats the same executors in many rows.
        self._resolved: dict[tuple[str, bool], tuple[ResolvedExecutor, ...]] = {}
        order = 0
        for entry in entries:
            if entry.key.startswith(PERSON_PREFIX):
                for name_text in entry.names:
                    self._people.setdefault(name_text, entry)
                continue
            rank = 1 if entry.key.startswith("role:") else 0
            seen: set[tuple[str, ...]] = set()
            for name_text in (entry.label, *entry.names):
                tokens = tuple(
                    t
                    for t in _flat_tokens(str(name_text or ""), 0, len(str(name_text or "")))
                    if t.kind == _WORD or (t.kind == _SEP and t.value in {",", "и"})
                )
                while tokens and tokens[0].kind == _SEP:
                    tokens = tokens[1:]
                signature = tuple(t.word.text if t.word else t.value for t in tokens)
                if not tokens or signature in seen:
                    continue
                seen.add(signature)
                name = _Name(entry, rank, order, tokens)
                order += 1
                self._index(name)

    def _index(self, name: _Name) -> None:
        first = name.tokens[0].word
        assert first is not None
        if first.abbreviation:
            self._by_abbreviation.setdefault(first.text, []).append(name)
            if len(first.text) >= _CASE_INSENSITIVE_ABBR_LENGTH:
                self._by_abbreviation.setdefault(first.lower, []).append(name)
            return
        for lemma in first.lemmas:
            self._by_lemma.setdefault(lemma, []).append(name)
        if len(first.lower) >= _FUZZY_MIN_LENGTH:
            self._fuzzy_first.append(name)

    # -- matching

    def _candidates(self, word: _Word) -> list[_Name]:
        found: dict[int, _Name] = {}
        for key in (word.text, word.lower):
            for name in self._by_abbreviation.get(key, ()):
                found[id(name)] = name
        for lemma in word.lemmas:
            for name in self._by_lemma.get(lemma, ()):
                found[id(name)] = name
        if len(word.lower) >= _FUZZY_MIN_LENGTH:
            for name in self._fuzzy_first:
                if id(name) not in found:
                    found[id(name)] = name
        return list(found.values())

    @staticmethod
    def _match_name(name: _Name, tokens: Sequence[_Token], i: int) -> _Match | None:
        j = i  # next text token to look at
        end = i
        words = 0
        score = 0.0
        for k, wanted in enumerate(name.tokens):
            look = j
            if k:  # a line break or a stray dash inside a known name does not break it
                while look < len(tokens) and tokens[look].kind in (_SOFT, _NOISE):
                    look += 1
            here = tokens[look] if look < len(tokens) else None
            if wanted.kind == _SEP:
                if here is not None and here.kind == _SEP and here.value == wanted.value:
                    j = end = look + 1
                elif wanted.value != ",":  # a comma inside a name may be omitted
                    return None
                continue
            if here is None or here.kind != _WORD or here.word is None or wanted.word is None:
                return None
            word_score = _word_score(here.word, wanted.word)
            if not word_score:
                return None
            words += 1
            score += word_score
            j = end = look + 1
        return _Match(name, end, words, score / max(words, 1))

    def _best_match(self, tokens: Sequence[_Token], i: int) -> _Match | None:
        word = tokens[i].word
        assert word is not None
        matches = [
            match
            for name in self._candidates(word)
            if (match := self._match_name(name, tokens, i)) is not None
        ]
        return min(matches, key=_Match.sort_key) if matches else None

    # -- reading a cell

    def _read(self, text: str, start: int, end: int, depth: int) -> list[_Item]:
        tokens = _tokens(text, start, end, depth)
        items: list[_Item] = []
        pending: list[int] = []  # indices of unmatched word / noise tokens of the current chunk

        def flush(upto: int | None = None) -> None:
            run = pending if upto is None else pending[:upto]
            while run and tokens[run[0]].kind == _NOISE:
                run = run[1:]
            while run and tokens[run[-1]].kind == _NOISE:
                run = run[:-1]
            if run:
                items.append(_Item(tokens[run[0]].start, tokens[run[-1]].end, None))
            pending.clear()

        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.kind == _WORD:
                match = self._best_match(tokens, i)
                if match is None:
                    pending.append(i)
                    i += 1
                    continue
                qualifier_from = len(pending)
                while qualifier_from and _is_qualifier_word(tokens[pending[qualifier_from - 1]]):
                    qualifier_from -= 1
                qualifier_tokens = [tokens[k] for k in pending[qualifier_from:]]
                flush(qualifier_from)
                item = _Item(
                    qualifier_tokens[0].start if qualifier_tokens else token.start,
                    tokens[match.end - 1].end,
                    match.name.entry,
                    _qualifier_phrase(text, qualifier_tokens),
                )
                i = self._extend_name(text, tokens, item, match.end)
                if i < len(tokens) and tokens[i].kind == _PAREN:
                    self._attach_parenthesis(text, item, tokens[i], depth)
                    i += 1
                items.append(item)
                continue
            if token.kind == _NOISE:
                pending.append(i)
            elif token.kind == _PAREN and pending and _is_short_name(text, token):
                pending.append(i)  # «… (далее – Министерство)» stays with its name
            elif (
                token.kind == _SEP
                and token.value == "и"
                and self._joins_name(text, tokens, pending, i)
            ):
                pending.append(i)  # «Министерство образования и науки»: one name
            elif token.kind == _PAREN:
                flush()
                items.extend(self._read(text, *token.inner, depth + 1))
            else:  # a separator or a line break ends the chunk
                flush()
            i += 1
        flush()
        return items

    def _extend_name(self, text: str, tokens: list[_Token], item: _Item, i: int) -> int:
        """«Комитет по образованию и делам молодежи»: a known name that goes on after «и»."""
        while self._name_goes_on(text, tokens, i - 1, i):
            i += 1
            while (
                i < len(tokens) and tokens[i].kind == _WORD and self._best_match(tokens, i) is None
            ):
                i += 1
            item.end = tokens[i - 1].end
        return i

    def _joins_name(self, text: str, tokens: list[_Token], pending: list[int], i: int) -> bool:
        """«и» inside an unknown name: «Министерство образования и науки», not «А и Б».

        It joins when the words before it are a name with a dependent word (two or more words,
        the last one not in the nominative) and the word after it is an unknown lower-case word
        that is not in the nominative either.
        """
        words = [k for k in pending if tokens[k].kind == _WORD]
        return len(words) >= 2 and self._name_goes_on(text, tokens, words[-1], i)

    def _name_goes_on(self, text: str, tokens: list[_Token], last: int, i: int) -> bool:
        """Token ``i`` is «и» between a dependent word (``last``) and another one in its case."""
        if not (0 <= last < i < len(tokens) - 1) or tokens[last].kind != _WORD:
            return False
        if tokens[i].kind != _SEP or tokens[i].value != "и" or tokens[i + 1].kind != _WORD:
            return False
        after = text[tokens[i + 1].start : tokens[i + 1].end]
        if not after[:1].islower() or self._best_match(tokens, i + 1) is not None:
            return False
        before = _case(text[tokens[last].start : tokens[last].end])
        return before not in ("nomn", None) and before == _case(after)

    def _attach_parenthesis(self, text: str, item: _Item, paren: _Token, depth: int) -> None:
        """«ОО (ШМО)» → qualifier «ШМО»; «… институт … (ТОИПКРО)» repeats the entry: absorbed."""
        item.end = paren.end
        inner = " ".join(text[paren.inner[0] : paren.inner[1]].split())
        if not inner or _is_short_name(text, paren):
            return
        inside = self._read(text, *paren.inner, depth + 1)
        assert item.entry is not None
        if inside and all(x.entry is not None and x.entry.key == item.entry.key for x in inside):
            return
        item.qualifier = f"{item.qualifier}, {inner}" if item.qualifier else inner

    def resolve(self, text: str, *, dedupe: bool = True) -> list[ResolvedExecutor]:
        """The executors named in a cell, in the order written; see the module docstring."""
        if not text or not isinstance(text, str) or not text.strip():
            return []
        key = (text, dedupe)
        cached = self._resolved.get(key)
        if cached is None:
            cached = tuple(self._resolve(text, dedupe=dedupe))
            if len(self._resolved) >= _RESOLVED_CACHE:
                self._resolved.clear()
            self._resolved[key] = cached
        return list(cached)

    def _resolve(self, text: str, *, dedupe: bool) -> list[ResolvedExecutor]:
        result: list[ResolvedExecutor] = []
        seen: set[tuple[str | None, str]] = set()
        for item in _with_people(text, self._read(text, 0, len(text), 0)):
            written = " ".join(text[item.start : item.end].split())
            if item.person is not None:
                executor = self._person(written, item)
                identity = (executor.key, executor.person.casefold())
            elif item.entry is None:
                executor = ResolvedExecutor(written, None, written, False)
                identity = (None, fold_yo(written).casefold())
            else:
                executor = ResolvedExecutor(
                    written, item.entry.key, item.entry.label, True, item.qualifier
                )
                identity = (item.entry.key, fold_yo(item.qualifier).casefold())
            if dedupe:
                if identity in seen:
                    continue
                seen.add(identity)
            result.append(executor)
        return result

    def _person(self, written: str, item: _Item) -> ResolvedExecutor:
        """A person executor: linked to the registry's person of that name, if there is one."""
        assert item.person is not None
        entry = self._people.get(item.person.key)
        name = item.person.written
        if entry is None:
            return ResolvedExecutor(written, None, name, False, item.qualifier, name)
        return ResolvedExecutor(written, entry.key, entry.label, True, item.qualifier, name)


_RESOLVED_CACHE = 2048
#: Directory entries of people of the registry: ``person:<id>``, names their person keys.
PERSON_PREFIX = "person:"
#: What may stand between a person and the position written after the name: «Иванова Н.П.,
#: директор», «Иванова Н.П. – директор»; a semicolon or a new line starts another executor.
_NAME_POSITION_GAP = re.compile(r"^[\s,–—-]*$")


def _with_people(text: str, items: list[_Item]) -> list[_Item]:
    """Items where a person is named, joined with the position written before or after the
    name: «заместитель директора по УВР Иванова Н.П.», «Смирнова О.Л., директор»,
    «начальник управления образования Петрова Л.М.» are one executor each, not two."""
    out: list[_Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        fragment = text[item.start : item.end]
        person = find_person(fragment) if item.entry is None else None
        if person is None:
            out.append(item)
            i += 1
            continue
        start, end = item.start, item.end
        rest = (fragment[: person.start] + " " + fragment[person.end :]).strip(" ,–—-\n")
        position = " ".join(rest.split()) if rest and is_position(rest) else ""
        if rest and not position:  # a name inside a longer unknown text: leave it as written
            out.append(item)
            i += 1
            continue
        before = out[-1] if out else None
        if (
            not position
            and before is not None
            and before.person is None
            and not text[before.end : start].strip()
            and is_position(text[before.start : before.end])
        ):
            out.pop()
            start, position = before.start, " ".join(text[before.start : before.end].split())
        after = items[i + 1] if i + 1 < len(items) else None
        if (
            not position
            and after is not None
            and _NAME_POSITION_GAP.match(text[end : after.start])
            and find_person(text[after.start : after.end]) is None
            and is_position(text[after.start : after.end])
        ):
            end, position = after.end, " ".join(text[after.start : after.end].split())
            i += 1
        out.append(_Item(start, end, None, position, person))
        i += 1
    return out


_SHORT_NAME_RE = re.compile(r"^\s*(?:далее|именуем\w*|сокращенно|сокращённо)\b", re.IGNORECASE)


def _is_short_name(text: str, paren: _Token) -> bool:
    """«(далее – Министерство)», «(именуемое далее …)»: the short name of what precedes."""
    return bool(_SHORT_NAME_RE.match(text[paren.inner[0] : paren.inner[1]]))


def _case(word: str) -> str | None:
    """The grammatical case of a word's likeliest reading («науки» → «gent»)."""
    return morph().parse(_EDGE_NOISE.sub("", word).lower())[0].tag.case


def _is_qualifier_word(token: _Token) -> bool:
    return (
        token.kind == _WORD
        and token.word is not None
        and bool(token.word.lemmas & _QUALIFIER_LEMMAS)
    )


def _qualifier_phrase(text: str, tokens: Sequence[_Token]) -> str:
    """«Руководители» → «руководитель»; «управленческие команды» → «управленческая команда»;
    «заместители директоров» → «заместитель директоров». Words after the head noun stay as
    written, in lower case."""
    if not tokens:
        return ""
    words = [_EDGE_NOISE.sub("", text[t.start : t.end]).lower() for t in tokens]
    try:
        return nominative_singular(words)
    except Exception:  # pragma: no cover - a qualifier is a hint, never a reason to fail
        return " ".join(words)


@functools.lru_cache(maxsize=8)
def _cached_resolver(entries: tuple[DirectoryEntry, ...]) -> ExecutorResolver:
    return ExecutorResolver(entries)


def resolve_executors(
    text: str, entries: Iterable[DirectoryEntry], *, dedupe: bool = True
) -> list[ResolvedExecutor]:
    """Resolve one «Исполнители» cell against a directory (registry entries + ROLE_ENTRIES).

    Returns the executors in the order written; unknown fragments are kept with ``key=None``.
    Empty text gives ``[]``. Never raises on any text. With ``dedupe=False`` every occurrence
    is returned (``"УООиП РМО ОО РМО"`` → four items instead of three).
    """
    if not text or not isinstance(text, str) or not text.strip():
        return []
    entries = tuple(entries)
    try:
        resolver = _cached_resolver(entries)
    except TypeError:  # an entry built with a list of names is not hashable: no caching
        resolver = ExecutorResolver(entries)
    return resolver.resolve(text, dedupe=dedupe)
