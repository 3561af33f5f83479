"""Test support: what the tests of several apps share, importable like any package.

Tests import helpers from here, never from another test module or the root ``conftest``:
``world`` (the typed test region), ``factories`` (factory_boy), ``foreign/`` (each app's
foreign objects for the scope walk), ``racing`` (threads against PostgreSQL), files as users
upload them (``spreadsheets``, ``bombs``, ``ole``, ``odf_files``, ``registry_files``) and
builders of one app's data that other apps' tests need (``interviews``, ``surveys``, …).
Fixtures stay in the ``conftest.py`` files; they call into this package.

Production code never imports it (``opora/core/tests/test_test_support.py`` checks), so it may
use dev-only packages such as factory_boy. This module itself imports nothing heavy.
"""

from pathlib import Path

#: The key of every object of the foreign scope (9002 where two are needed).
FOREIGN_PK = 9001
#: In the text of every foreign object: a page that shows it leaks.
FOREIGN_MARK = "Чуж"
#: The password of every user of the test world.
PASSWORD = "pass-Opora-1"


def shared_dir() -> Path:
    """The project's shared/ folder (the seeds and samples): beside the checkout, or /work/shared."""
    for candidate in (Path(__file__).resolve().parents[3] / "shared", Path("/work/shared")):
        if (candidate / "samples").is_dir():
            return candidate
    raise FileNotFoundError("Не найдена папка shared/ с образцами документов")
