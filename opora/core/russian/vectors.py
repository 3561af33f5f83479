"""Word vectors: how near in meaning two Russian words are.

The vectors are navec's news vectors (250 000 words, 300 dimensions, quantised), the file that
ships inside the ``natasha`` wheel; ``navec`` reads it. Nothing is downloaded at run time: the
file is part of an installed package, found without importing ``natasha`` itself (which would
load models this project does not use).

Reading the file costs about a second and some 30 MB, so it is read on first use and then
shared, like the morphological analyser. Words are looked up as written (lower case) — a lemma
of :func:`opora.core.russian.lemmas.lemmas` is a word form navec knows. Vectors trained on news
know the everyday words of a roadmap («учитель» ~ «педагог» 0.58, «профессионализм» ~
«мастерство» 0.57) and little of the jargon (abbreviations have none): they are a weak signal
that only adds to the lemmas, never replaces them.

>>> round(similarity("учитель", "педагог"), 2)
0.58
>>> similarity("кпк", "курс")  # an abbreviation has no vector
0.0
"""

from __future__ import annotations

import importlib.util
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import navec

#: The vectors inside the natasha wheel (natasha.emb.NEWS_EMBEDDING names the same file).
NAVEC_FILE = ("data", "emb", "navec_news_v1_1B_250K_300d_100q.tar")


def vectors_path() -> Path:
    """Where the installed natasha package keeps its navec vectors."""
    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Пакет natasha не установлен: векторы слов недоступны.")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*NAVEC_FILE)


@cache
def _navec() -> navec.Navec:
    from navec import Navec

    return Navec.load(vectors_path())


@lru_cache(maxsize=262_144)
def similarity(a: str, b: str) -> float:
    """The cosine of the two words' vectors; 0 when either word has none, 1 for the same word."""
    if a == b:
        return 1.0
    vectors = _navec()
    i, j = vectors.vocab.get(a), vectors.vocab.get(b)
    if i is None or j is None:
        return 0.0
    return float(vectors.pq.sim(i, j))
