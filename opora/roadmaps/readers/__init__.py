"""Parts of the roadmap reader (:mod:`opora.roadmaps.table_reader` is its entry point).

``parsed`` — what a roadmap file gives; ``text`` — cell and paragraph normalisation;
``header`` — finding the table by its header (or a user's column mapping); ``rows`` — rows into
sections and events; ``preamble`` — goal, tasks, indicators and the title above the table.
The files themselves are opened by ``core.intake``.
"""
