"""Russian text, in one place: the morphological analyser, the lemma matcher, dates, inflection
and plurals.

Every module here is pure (standard library and ``pymorphy3``, no Django, no app), so readers,
management commands and documents share the same rules: a synonym taught to the lemma matcher
is known to every caller, and «июня» is the sixth month everywhere.

* :mod:`~opora.core.russian.morph` — the one ``pymorphy3.MorphAnalyzer`` of the process;
* :mod:`~opora.core.russian.lemmas` — the content lemmas of a text («наставничеству» →
  «наставничество»), stop-words and synonyms folded;
* :mod:`~opora.core.russian.dates` — month names («июня» → 6) and dates as documents write them;
* :mod:`~opora.core.russian.inflect` — declension of names, positions and kinds of documents;
* :mod:`~opora.core.russian.plurals` — «1 школа», «3 школы», «68 школ».
"""
