"""Templates show what the code decided; they do not decide.

No template compares a role, a status, a kind or any other value with a string literal
(``{% if sheet.status == 'returned' %}``, ``{% if user.role != 'school' %}``): a typo there fails
silently and the rule is written twice. The view or ``rules.py`` hands the template a boolean
(``can_review``, ``mine``), the model a property (``sheet.is_returned``), and the colour of a
state comes from the one mapping of ``core/tones.py`` (``{{ sheet.status|badge_tone }}``).
"""

import re
from pathlib import Path

from django.utils.text import smart_split

ROOT = Path(__file__).resolve().parents[2]
TAG = re.compile(r"\{%\s*(?:if|elif)\s(.*?)%\}", re.S)
OPERATORS = {"==", "!=", "in"}
# Form mechanics, not domain values: which field of a form, which widget.
ALLOWED_OPERANDS = (re.compile(r"(^|\.)name$"), re.compile(r"\.widget\.input_type$"))


def _is_literal(token: str) -> bool:
    return token[:1] in ("'", '"')


def string_comparisons(text: str) -> list[str]:
    """The conditions of ``{% if %}`` / ``{% elif %}`` that compare with a string literal."""
    found = []
    for match in TAG.finditer(text):
        tokens = list(smart_split(match.group(1)))
        for index, token in enumerate(tokens):
            if token not in OPERATORS or index == 0 or index + 1 == len(tokens):
                continue
            left, right = tokens[index - 1], tokens[index + 1]
            if not (_is_literal(left) or _is_literal(right)):
                continue
            other = right if _is_literal(left) else left
            if any(p.search(other) for p in ALLOWED_OPERANDS):
                continue
            found.append(f"{left} {token} {right}")
    return found


def _templates():
    for path in sorted(ROOT.rglob("*.html")):
        if "templates" in path.parts:
            yield path


def test_the_check_sees_a_status_compared_with_a_string():
    assert string_comparisons("{% if sheet.status == 'returned' %}x{% endif %}") == [
        "sheet.status == 'returned'"
    ]
    assert string_comparisons('{% elif "school" in user.roles %}') == ['"school" in user.roles']
    assert (
        string_comparisons("{% if field.name == 'answer' %}{% if a|stringformat:'s' == b %}") == []
    )


def test_no_template_compares_a_value_with_a_string_literal():
    offences = {}
    for path in _templates():
        found = string_comparisons(path.read_text(encoding="utf-8"))
        if found:
            offences[path.relative_to(ROOT).as_posix()] = found
    assert offences == {}


def test_no_template_spells_a_decision_with_yesno():
    assert [p.name for p in _templates() if "|yesno" in p.read_text(encoding="utf-8")] == []
