"""The former «reviews» app, kept only as the holder of its historical migrations.

Its four domains now live in ``opora.expertise``, ``opora.interviews``,
``opora.recommendations`` and ``opora.monitoring``; their models keep the ``reviews_*`` tables.
The migrations here create those tables on a fresh database, and the last one hands the models
over to the new apps without touching the database (``SeparateDatabaseAndState``), so a fresh
database and one made before the split both migrate; ``tests/`` checks exactly that. Do not
add code here.
"""
