"""Test support lives in ``opora.testing``; tests and production code keep to their side.

* No module imports a test module (``opora.<app>.tests…``) or a ``conftest``: a helper that two
  tests share is in ``opora.testing``, a fixture in the app's ``tests/conftest.py``.
* Production code never imports ``opora.testing`` nor a dev-only package (factory_boy,
  pytest, Playwright): the app runs without them installed.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TEST_MODULE = re.compile(r"^(conftest($|\.)|opora\.\w+\.tests($|\.))")
DEV_ONLY = re.compile(r"^(opora\.testing|factory|pytest|pytest_django|playwright|hypothesis)($|\.)")
# Test code outside a tests/ package: the fixtures pytest loads by name.
TEST_SUPPORT = {"opora/browser_fixtures.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _sources():
    for folder in ("opora", "bench", "tools"):
        yield from sorted((ROOT / folder).rglob("*.py"))
    yield ROOT / "conftest.py"


def _is_production(name: str) -> bool:
    parts = name.split("/")
    return not (
        "tests" in parts
        or parts[:2] == ["opora", "testing"]
        or parts[-1] == "conftest.py"
        or name in TEST_SUPPORT
        or parts[0] != "opora"
    )


def test_no_module_imports_a_test_module_or_a_conftest():
    offences = {}
    for path in _sources():
        found = sorted(m for m in _imports(path) if TEST_MODULE.match(m))
        if found:
            offences[path.relative_to(ROOT).as_posix()] = found
    assert offences == {}


def test_production_code_imports_no_test_support():
    offences = {}
    for path in _sources():
        name = path.relative_to(ROOT).as_posix()
        if not _is_production(name):
            continue
        found = sorted(m for m in _imports(path) if DEV_ONLY.match(m))
        if found:
            offences[name] = found
    assert offences == {}


def test_the_conversion_script_turns_the_old_dict_world_into_the_typed_one():
    import importlib.util

    spec = importlib.util.spec_from_file_location("convert_world", ROOT / "tools/convert_world.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    old = (
        "from conftest import FOREIGN_PK\n"
        "from opora.registry.tests.factories import UserFactory\n"
        'user = world["users"]["municipal"] or world["users"][role]\n'
        'school = team["home_school"]; users = dict(world["users"])\n'
    )
    assert script.convert(old, ("world", "team")) == (
        "from opora.testing import FOREIGN_PK\n"
        "from opora.testing.factories import UserFactory\n"
        "user = world.users.municipal or world.users[role]\n"
        "school = team.home_school; users = world.users.by_name()\n"
    )
