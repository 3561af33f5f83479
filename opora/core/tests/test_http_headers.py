"""Headers that protect personal data in the browser: a strict Content-Security-Policy (all
assets are local) and ``Cache-Control: no-store`` on signed-in pages and downloads. Issue 9.
"""

import re
from pathlib import Path

from django.urls import reverse

from opora.testing import FOREIGN_PK

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_carry_a_strict_content_security_policy(client, world):
    client.force_login(world.users.region)
    policy = _policy(client.get(reverse("home")))
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("http" in source for sources in policy.values() for source in sources)


def test_the_login_page_carries_it_too(client, db):
    assert "default-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]


def test_no_template_has_inline_handlers_or_scripts_without_a_nonce():
    """The policy blocks them: a handler here would silently stop working in the browser."""
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(TEMPLATES)
        for match in re.finditer(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", text):
            problems.append(f"{name}: {match.group(1)}=")
        for match in re.finditer(r"<(script|style)\b([^>]*)>", text):
            attrs = match.group(2)
            if "src=" not in attrs and "csp_nonce" not in attrs and "json" not in attrs:
                problems.append(f"{name}: <{match.group(1)}> без nonce")
        if "javascript:" in text:
            problems.append(f"{name}: javascript: URL")
    assert problems == []


def test_signed_in_pages_are_not_stored(client, world):
    client.force_login(world.users.municipal)
    for url in (
        reverse("home"),
        reverse("people:people_list"),
        reverse("people:people_detail", args=[world.foreign_person.pk + 10**6]),  # a 404
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_downloads_are_not_stored(client, world):
    client.force_login(world.users.region)
    response = client.get(reverse("roadmaps:evidence", args=[FOREIGN_PK]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
