"""Fixtures for every app under ``opora/``: the browser ones live in ``browser_fixtures``."""

from opora.browser_fixtures import (  # noqa: F401  (pytest finds fixtures and hooks by name)
    _playwright,
    browser,
    page,
    pytest_runtest_makereport,
)
