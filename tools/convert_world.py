"""Convert tests from the old dict world to the typed one (``opora.testing.world``).

    python tools/convert_world.py [--name NAME ...] [PATH ...]   # default: opora/, conftest.py

(``--name team`` also converts a fixture named ``team`` that returns the world.)

Rewrites, in place, every ``.py`` file under the paths:

    world["home_school"]              → world.home_school
    world["users"]["municipal"]       → world.users.municipal
    world["users"][role]              → world.users[role]      (Users.__getitem__)
    dict(world["users"])              → world.users.by_name()

and the imports of the helpers that moved to ``opora.testing`` (``from conftest import …``,
``opora.registry.tests.factories``, ``opora.core.tests.racing`` …). It prints what it could not
convert (an assignment into the world, which is frozen now) for a person to finish; then run
``ruff check --fix`` to sort the imports.
"""

import re
import sys
from pathlib import Path

KEY = r"""\b({names})\[(["'])(\w+)\2\]"""
USER = r"""\b({names})\.users\[(["'])(\w+)\2\]"""
MODULES = {
    r"opora\.core\.tests\.(racing|spreadsheets|bombs|ole|odf_files)\b": r"opora.testing.\1",
    r"opora\.(registry|people)\.tests\.factories\b": "opora.testing.factories",
    r"opora\.registry\.tests\.files\b": "opora.testing.registry_files",
    r"opora\.development\.tests\.helpers\b": "opora.testing.development",
    r"opora\.interviews\.tests\.builders\b": "opora.testing.interviews",
    r"opora\.surveys\.tests\.builders\b": "opora.testing.surveys",
    r"opora\.surveys\.tests\.live\b": "opora.testing.live_survey",
    r"opora\.assessment\.tests\.conftest\b": "opora.testing.assessment",
    r"^(\s*)from conftest import ": r"\1from opora.testing import ",
}
LEFT_OVER = re.compile(r"""\bworld(\.\w+)+(\[[^\]]+\])? = |\bworld\[|\bworld\.get\(""")


def convert(text: str, names: tuple[str, ...] = ("world",)) -> str:
    alternatives = "|".join(re.escape(n) for n in names)
    text = re.sub(rf"""dict\(({alternatives})\[(["'])users\2\]\)""", r"\1.users.by_name()", text)
    text = re.sub(KEY.format(names=alternatives), r"\1.\3", text)
    text = re.sub(USER.format(names=alternatives), r"\1.users.\3", text)
    for pattern, replacement in MODULES.items():
        text = re.sub(pattern, replacement, text, flags=re.M)
    return text


def main(args: list[str]) -> int:
    names, paths = ["world"], []
    while args:
        arg = args.pop(0)
        if arg == "--name":
            names.append(args.pop(0))
        else:
            paths.append(arg)
    files = []
    for name in paths or ["opora", "conftest.py"]:
        path = Path(name)
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    changed = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        new = convert(text, tuple(names))
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
        for number, line in enumerate(new.splitlines(), start=1):
            if LEFT_OVER.search(line):
                print(f"{path}:{number}: convert by hand: {line.strip()}")
    print(f"{changed} file(s) converted", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
