"""No template shows a date as ISO (issue 16): a reader sees «17 июня 2020 г.» or «17.06.2020»
through the filters of ``core/templatetags/ru.py``; ``Y-m-d`` is only the value of a date input."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

ISO_FORMAT = re.compile(r"""\|date:(["'])Y-m-d\1""")
INPUT_VALUE = re.compile(r"""value=["']\{\{[^}]*\|date:(["'])Y-m-d\1\s*\}\}""")
ISOFORMAT = re.compile(r"\.isoformat\b|\|isoformat")


def test_no_template_prints_a_date_in_iso():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            shown = INPUT_VALUE.sub("", line)
            if ISO_FORMAT.search(shown) or ISOFORMAT.search(shown):
                found.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert not found, "даты в ISO на страницах: " + ", ".join(found)
