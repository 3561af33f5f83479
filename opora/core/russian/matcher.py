"""The one meaning matcher: which texts address a query, and which texts say the same thing.

It drives the pre-check's coverage (does a roadmap event address a recommendation?), the
suggestions of events for a recommendation, and the grouping of the recommendation catalogue.
Texts become sets of lemmas by :func:`opora.core.russian.lemmas.lemmas` (synonyms and
abbreviations folded); a query's lemma is found in a text

* as itself — 1;
* as a word of the same root («наставник» for «наставничество») — :data:`SAME_ROOT`;
* as a word near in meaning by the word vectors of :mod:`opora.core.russian.vectors`
  («профессионализм» for «мастерство») — :data:`NEAR_WEIGHT`, from a cosine of
  :data:`NEAR_FROM` on.

The score of a text for a query is the weighted share of the query's lemmas found in it::

    score = Σ w(l) · m(l, text) / Σ w(l)        over the lemmas l of the query

where ``w(l)`` is the inverse document frequency of the lemma among the indexed texts (a word
found in one text weighs more than one found in ten; a word found in more than half of ten or
more texts weighs nothing; an adjective weighs half a noun). A text addresses the query when its score reaches
:data:`COVERED_FROM`, it shares (itself or by root) one of the query's rarest words or
:data:`KEY_WORDS_TOGETHER` of its words, and it does what it names: an event that refuses its
action («… не ведётся», «… отменено») or only lists words («Разное: …») addresses nothing
(:mod:`opora.core.russian.meaning`).

>>> index = MeaningIndex([
...     "Районный семинар «Преемственность начального и основного общего образования», март",
...     "Семинар по преемственности начального и основного образования отменён",
...     "Ремонт спортивного зала",
... ])
>>> [i for i, _ in index.matches("организовать семинары по преемственности начального общего "
...                             "и основного общего образования")]
[0]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from opora.core.russian.lemmas import head, is_modifier, lemmas, same_root
from opora.core.russian.meaning import addresses
from opora.core.russian.vectors import similarity

#: A text addresses a query from this score on.
COVERED_FROM = 0.35
#: A text is worth suggesting for a query from this score on: a hint to look at, below the bar
#: of coverage (an event «проведение профессиональных конкурсов» for the advice to use regional
#: contests of professional mastery for teachers).
SUGGESTED_FROM = 0.25
#: Weight of a lemma of the same root («наставник» ~ «наставничество»).
SAME_ROOT = 0.7
#: Two words are near in meaning from this cosine of their vectors on…
NEAR_FROM = 0.45
#: …and a near word counts this much.
NEAR_WEIGHT = 0.5
#: A matching text must share a word weighing at least this share of the query's rarest word…
KEY_SHARE = 0.75
#: …or share this many of the query's words.
KEY_WORDS_TOGETHER = 3
#: An adjective or a participle qualifies a topic: it weighs this share of a noun, and it is
#: never the telling word alone («профессиональный» in «профессиональное выгорание»).
MODIFIER_WEIGHT = 0.5
#: Two catalogue texts say the same thing when each covers this share of the other's words…
SAME_FROM = 0.6
#: …or when one says all the other does (this share of its words) and adds a detail or an
#: emphasis, its own words still this share of the whole («… с акцентом на молодых педагогов»).
CONTAINED_FROM, DETAIL_FROM = 0.9, 0.4


class MeaningIndex:
    """Texts as lemma sets, with a weight for every lemma (its rarity among the texts).

    ``acting[i]`` says whether text ``i`` can address anything at all (not a refusal, not a
    list of words); by default it is read from the text.
    """

    def __init__(
        self,
        texts: Sequence[str],
        acting: Sequence[bool] | None = None,
        common_cut: bool = True,
    ):
        self.texts = list(texts)
        # A word in more than half of the texts tells no event from another (but two entries of
        # the catalogue may well both be about «конкурс»: it is kept there).
        self.common_cut = common_cut
        self.words = [lemmas(t) for t in self.texts]
        self.acting = list(acting) if acting is not None else [addresses(t) for t in texts]
        self.heads = [head(t) for t in self.texts]
        self.df = Counter(w for words in self.words for w in words)
        self.n = len(self.texts)

    def weight(self, lemma: str) -> float:
        df = self.df.get(lemma, 0)
        if self.common_cut and self.n >= 10 and df > self.n / 2:
            return 0.0
        idf = math.log(1 + (self.n + 1) / (1 + df))
        return idf * MODIFIER_WEIGHT if is_modifier(lemma) else idf

    @staticmethod
    def found(lemma: str, words: frozenset[str]) -> float:
        """1 for the lemma itself, :data:`SAME_ROOT` for a word of its root, :data:`NEAR_WEIGHT`
        for a word near in meaning, else 0."""
        if lemma in words:
            return 1.0
        if any(same_root(lemma, w) for w in words):
            return SAME_ROOT
        if any(similarity(lemma, w) >= NEAR_FROM for w in words):
            return NEAR_WEIGHT
        return 0.0

    def score(self, query: frozenset[str], words: frozenset[str]) -> float:
        total = sum(self.weight(q) for q in query)
        if not total:
            return 0.0
        return sum(self.weight(q) * self.found(q, words) for q in query) / total

    def has_key(self, query: frozenset[str], words: frozenset[str]) -> bool:
        """Does the text share one of the query's most telling words (itself or by root)?

        «профилактика профессионального выгорания педагогов» is not addressed by an event
        that only says «профессиональный» and «педагог»: one of the rare words is needed, or
        three of the query's words together («анализ … проблемных заданий ВПР» for «анализ
        заданий ВПР», though «тематический» is the rarest word).
        """
        weights = {q: self.weight(q) for q in query}
        # A word no text has cannot be the one to look for: the rarest word present sets the bar.
        top = max((w for q, w in weights.items() if self.df.get(q)), default=0.0)
        # The telling word is a noun, unless the query names nothing else («адресный»).
        nouns = {q for q in query if not is_modifier(q)} or query
        if any(
            w >= KEY_SHARE * top and q in nouns and self.found(q, words) >= SAME_ROOT
            for q, w in weights.items()
        ):
            return True
        shared = [q for q, w in weights.items() if w > 0 and q in words]
        return len(shared) >= KEY_WORDS_TOGETHER

    def matches(
        self, query_text: str, limit: int = 5, bar: float = COVERED_FROM
    ) -> list[tuple[int, float]]:
        """``(index, score)`` of the texts addressing ``query_text`` (score from ``bar`` on),
        best first."""
        query = lemmas(query_text)
        if not query:
            return []
        scored = []
        for i, (words, acting) in enumerate(zip(self.words, self.acting, strict=True)):
            if acting and self.has_key(query, words):
                s = self.score(query, words)
                if s >= bar:
                    scored.append((i, s))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:limit]

    def closest(self, query_text: str, n: int = 3) -> list[tuple[int, float]]:
        """The texts nearest to ``query_text`` whatever the bar — what to look at when nothing
        addresses it (texts that refuse their action or only list words are not offered)."""
        query = lemmas(query_text)
        if not query:
            return []
        scored = [
            (i, self.score(query, words))
            for i, (words, acting) in enumerate(zip(self.words, self.acting, strict=True))
            if acting
        ]
        scored = [(i, s) for i, s in scored if s > 0]
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:n]

    def shared(self, query_text: str, i: int) -> list[str]:
        """The words of the query that text ``i`` has («резерв»), has the root of or is near to
        («наставничество ~ наставник»)."""
        query, words = lemmas(query_text), self.words[i]
        parts = []
        for q in sorted(query):
            found = self.found(q, words) if self.weight(q) > 0 else 0.0
            if found == 1.0:
                parts.append(q)
            elif found:
                rooted = [w for w in sorted(words) if same_root(q, w)]
                partner = (
                    rooted[0] if rooted else max(sorted(words), key=lambda w: similarity(q, w))
                )
                parts.append(f"{q} ~ {partner}")
        return parts

    def why(self, query_text: str, i: int) -> str:
        """:meth:`shared` as a reason: «общие слова: наставничество ~ наставник»."""
        parts = self.shared(query_text, i)
        return "общие слова: " + ", ".join(parts) if parts else ""

    def same_meaning(self, i: int, j: int) -> bool:
        """Do texts ``i`` and ``j`` say the same thing: about the same head noun, and each
        covering most of the other's words (or one all of the other's, with a detail added)?"""
        a, b = self.words[i], self.words[j]
        if not a or not b:
            return a == b
        head_a, head_b = self.heads[i], self.heads[j]
        if head_a != head_b and not (head_a and head_b and same_root(head_a, head_b)):
            return False
        there, back = sorted((self.score(a, b), self.score(b, a)))
        return there >= SAME_FROM or (back >= CONTAINED_FROM and there >= DETAIL_FROM)


def group_by_meaning(texts: Sequence[str], order: Sequence[int] | None = None) -> list[list[int]]:
    """Indexes of ``texts`` grouped by meaning, each group headed by its first text in ``order``.

    A text joins the first group whose head says the same thing (:meth:`MeaningIndex.
    same_meaning`); comparing with the head, not with any member, keeps a chain of small
    differences from gluing unrelated advice together.

    >>> group_by_meaning([
    ...     "использовать региональные профессиональные конкурсы для педагогов в качестве "
    ...     "механизма повышения профессионального мастерства",
    ...     "организовать работу с кадровым резервом",
    ...     "использовать региональные профессиональные конкурсы для педагогов как механизмы "
    ...     "повышения профессионального мастерства с акцентом на молодых педагогов, "
    ...     "методистов и наставников",
    ...     "проводить анализ участия педагогов в конкурсах профессионального мастерства",
    ... ])
    [[0, 2], [1], [3]]
    """
    index = MeaningIndex(texts, acting=[True] * len(texts), common_cut=False)
    groups: list[list[int]] = []
    for i in order if order is not None else range(len(texts)):
        for group in groups:
            if index.same_meaning(group[0], i):
                group.append(i)
                break
        else:
            groups.append([i])
    return groups
