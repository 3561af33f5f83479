"""Fixtures for every test: the typed test world (``opora.testing.world``) and fast hashing.

Helpers shared by tests live in ``opora.testing``, never here: a test imports no conftest.
"""

import os

import pytest

os.environ.setdefault("OPORA_YEAR", "2026")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + live_server


@pytest.fixture(autouse=True, scope="session")
def _results_store_of_the_session(tmp_path_factory):
    """The results store (Parquet files: the foreign batch's cells, a demo's results) in a
    folder of the session, never the data folder; a test that imports results sets its own."""
    from django.conf import settings

    settings.OPORA_RESULTS_DIR = tmp_path_factory.mktemp("results")


@pytest.fixture
def world(db):
    from opora.testing import world

    return world.build()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def without_libreoffice(monkeypatch):
    """A server without LibreOffice (the default install): old .doc/.xls/.rtf files are refused
    with the advice to save them anew, whether or not this machine has LibreOffice."""
    monkeypatch.setattr("opora.core.intake.convert.libreoffice", lambda: None)


@pytest.fixture
def samples_dir():
    from opora.testing import shared_dir

    return shared_dir() / "samples"
