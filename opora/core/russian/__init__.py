"""Russian text, in one place: the morphological analyser, the lemma matcher, dates, inflection
and plurals.

Every module here is pure (standard library, ``pymorphy3`` and ``navec``, no Django, no app), so readers,
management commands and documents share the same rules: a synonym taught to the lemma matcher
is known to every caller, and «июня» is the sixth month everywhere.

* :mod:`~opora.core.russian.morph` — the one ``pymorphy3.MorphAnalyzer`` of the process;
* :mod:`~opora.core.russian.lemmas` — the content lemmas of a text («наставничеству» →
  «наставничество»), stop-words and synonyms folded;
* :mod:`~opora.core.russian.meaning` — whether a text does what it names (refusals, bare lists
  of keywords);
* :mod:`~opora.core.russian.vectors` — how near in meaning two words are (navec's vectors, shipped
  inside the ``natasha`` wheel);
* :mod:`~opora.core.russian.matcher` — the one meaning matcher: which texts address a query
  (the pre-check's coverage, the suggestions of events) and which say the same thing (the
  grouping of the recommendation catalogue);
* :mod:`~opora.core.russian.dates` — month names («июня» → 6) and dates as documents write them;
* :mod:`~opora.core.russian.inflect` — declension of names, positions and kinds of documents;
* :mod:`~opora.core.russian.plurals` — «1 школа», «3 школы», «68 школ».
* :mod:`~opora.core.russian.search` — the one form of a text for a search: lower case, «ё»
  as «е», no quotes («МКОУ «Ёлочка»» → «мкоу елочка»).
"""
