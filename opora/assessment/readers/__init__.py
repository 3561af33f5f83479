"""Parsers of the files the assessment app takes in: results files (``results_file`` reads them
through these: the columns and their values, the checks of the rows)."""
