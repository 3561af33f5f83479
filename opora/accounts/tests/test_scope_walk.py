"""Every URL of the project, requested by users of every role from another scope.

The `world` fixture gives every foreign object pk 9001 and «Чуж…» in its name. Each URL
pattern is reversed with pk=9001 (and the like for other integer parameters), requested with
GET and POST, and must neither show the foreign marker — in the body or in a header such as
the file name of a download — nor change a foreign object. New pages join this test by
existing: nothing to register.

The roadmap pages are walked a second time with pk=9002: a regional roadmap every role may
read, whose event carries a report and a file of the foreign school.
"""

import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from opora.testing import FOREIGN_MARK, FOREIGN_PK

# «teacher»: the home school's teacher (own data only), `world.users.teacher`.
SCOPED_ROLES = ["curator", "municipal", "school", "teacher"]
READ_ONLY_ROLES = ["expert", "observer"]
SKIP_NAMESPACES = {"admin"}
# The regional roadmap of the `world` (visible to all), its event, the foreign school's report
# on it and that report's file all have this pk.
REGIONAL_PK = FOREIGN_PK + 1
# Namespaces walked with REGIONAL_PK as well.
REGIONAL_NAMESPACES = ("roadmaps:",)
INT_VALUES = {"year": 2026}
# Values tried for string parameters: every action and format a view accepts.
STR_VALUES = {
    "action": [
        "submit",
        "return",
        "approve",
        "archive",
        "copy",
        "version",
        # roadmaps written in the app: sections and events
        "rename",
        "remove",
        "up",
        "down",
    ],
    "fmt": ["docx", "xlsx"],
    # The anonymous link of a questionnaire: a token of the right shape nobody was given, and
    # one of the wrong shape. (A real token is a key: whoever holds it may answer — that is
    # tested in surveys/tests, not here.)
    "token": ["nobody-was-given-this-token-0001", "x"],
    # whom a questionnaire of a campaign asks (one answering page per staff audience)
    "audience": ["head", "teachers", "x"],
    # the computed indicators of professional development
    "measure": ["courses", "practice", "enrolled"],
}


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in SKIP_NAMESPACES:
                continue
            yield from _walk(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def _kwargs_variants(pattern: URLPattern, pk: int = FOREIGN_PK) -> list[dict]:
    variants = [{}]
    for name, converter in pattern.pattern.converters.items():
        if type(converter).__name__ == "IntConverter":
            values = [INT_VALUES.get(name, pk)]
        else:
            values = STR_VALUES.get(name, ["x"])
        variants = [{**v, name: value} for v in variants for value in values]
    return variants


def all_urls() -> list[tuple[str, str]]:
    urls = []
    for name, pattern in _walk(get_resolver().url_patterns):
        if name in {"login", "logout"}:
            continue
        pks = [FOREIGN_PK]
        if name.startswith(REGIONAL_NAMESPACES) and pattern.pattern.converters:
            pks.append(REGIONAL_PK)
        for pk in pks:
            for kwargs in _kwargs_variants(pattern, pk):
                url = reverse(name, kwargs=kwargs)
                if (name, url) not in urls:
                    urls.append((name, url))
    return urls


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            content = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    return content.decode("utf-8", errors="replace")


_EXTENDED_PARAMETER = re.compile(r"\*=([\w-]+)'[^']*'([^;\s]+)")


def _headers(response) -> str:
    """Every header as sent, and RFC 5987 values decoded: ``filename*=utf-8''%D0%A7…`` names
    a file «Ч…» that a browser shows to the user."""
    lines = []
    for name, value in response.items():
        lines.append(f"{name}: {value}")
        for charset, encoded in _EXTENDED_PARAMETER.findall(value):
            lines.append(unquote(encoded, encoding=charset, errors="replace"))
    return "\n".join(lines)


def _leaks(response) -> bool:
    return FOREIGN_MARK in _headers(response) or FOREIGN_MARK in _text(response)


def _foreign_snapshot() -> str:
    """Every row with a foreign pk, in every model of the project's apps."""
    rows = []
    for model in apps.get_models():
        if not model.__module__.startswith("opora.") or model.__name__.startswith("Historical"):
            continue
        objs = model.objects.filter(pk__in=[FOREIGN_PK, FOREIGN_PK + 1])
        rows.append(serializers.serialize("json", objs))
    return "\n".join(rows)


# Reading personal data is recorded (accounts.AccessRecord): a record of a read, not a change.
READ_RECORDS = {"accounts.AccessRecord"}
# Pages for those who cannot sign in: the password reset by e-mail.
PUBLIC_NAMES = {
    # a calendar program fetches the feed by its secret address, without signing in
    "development:calendar_feed",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # Pupils and parents answer a questionnaire through the school's link, without signing in.
    "surveys:answer_by_link",
    "surveys:thanks",
    # The programme's open page: only what the region published (information/public_views.py).
    "public:home",
    "public:roadmap",
    "public:material_file",
}


def _counts() -> dict:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m.__module__.startswith("opora.") and m._meta.label not in READ_RECORDS
    }


POST_DATA = {
    "municipality": FOREIGN_PK,
    "school": FOREIGN_PK,
    "code": "999999",
    "full_name": "Школа из POST-запроса",
    "short_name": "Школа из POST",
    "kind": "sosh",
    "year": 2026,
    "pupils": 1,
    "teachers": 1,
    "source": "regional",
    "status": "done",
    "is_active": "on",
    "comment": "Комментарий из POST",
    "decision": "accept",
    "number": "1",
    "day": "2026-01-01",
    "text": "Текст из POST",
    "deadline_text": "март 2026",
    "level": "municipality",
    "period": "2026",
    "years": 1,
}


def test_the_walk_covers_the_registry_pages():
    names = {name for name, _ in all_urls()}
    assert {"home", "registry:school", "registry:schools", "registry:municipality"} <= names


def test_the_walk_covers_the_regional_event_and_its_evidence():
    urls = {url for _, url in all_urls()}
    assert reverse("roadmaps:event", args=[REGIONAL_PK]) in urls
    assert reverse("roadmaps:evidence", args=[REGIONAL_PK]) in urls


def test_the_header_check_reads_an_encoded_file_name():
    from django.http import HttpResponse

    response = HttpResponse(b"")
    response["Content-Disposition"] = (
        "attachment; filename*=utf-8''%D0%A7%D1%83%D0%B6%D0%BE%D0%B9.pdf"
    )
    assert _leaks(response)


@pytest.mark.parametrize("role", SCOPED_ROLES)
def test_a_foreign_report_on_a_regional_event_stays_hidden(client, world, role):
    """The regional event is everybody's; the foreign school's report and file are not."""
    client.force_login(world.users[role])
    page = client.get(reverse("roadmaps:event", args=[REGIONAL_PK]))
    assert page.status_code == 200
    assert "Региональное мероприятие для школ" in _text(page)
    assert not _leaks(page), f"{role} sees the foreign report on the regional event"
    download = client.get(reverse("roadmaps:evidence", args=[REGIONAL_PK]))
    assert download.status_code == 404
    assert not _leaks(download)


@pytest.mark.parametrize("role", SCOPED_ROLES + READ_ONLY_ROLES)
def test_no_url_shows_or_changes_what_is_outside_the_scope(client, world, role):
    user = world.users[role]
    client.force_login(user)
    before = _foreign_snapshot()
    counts_before = _counts()
    for name, url in all_urls():
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404, 405), (name, response.status_code)
        if role in SCOPED_ROLES:
            assert not _leaks(response), f"{role} sees foreign data at {url}"
        response = client.post(url, POST_DATA)
        assert response.status_code in (200, 302, 403, 404, 405), (name, response.status_code)
        if role in SCOPED_ROLES:
            assert not _leaks(response), f"{role} sees foreign data after POST {url}"
    assert _foreign_snapshot() == before, f"{role} changed a foreign object"
    if role in READ_ONLY_ROLES:
        assert _counts() == counts_before, f"read-only {role} changed something"


def test_anonymous_users_are_sent_to_login_everywhere(client, world):
    for name, url in all_urls():
        if name in PUBLIC_NAMES:
            continue
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_region_sees_the_foreign_school(client, world):
    """The control: the marker is found when the scope does include it."""
    client.force_login(world.users.region)
    response = client.get(reverse("registry:school", args=[FOREIGN_PK]))
    assert response.status_code == 200
    assert FOREIGN_MARK in _text(response)


def test_region_sees_the_foreign_report_and_its_file(client, world):
    """The control of the regional event: the report, its file and the file's name."""
    client.force_login(world.users.region)
    page = client.get(reverse("roadmaps:event", args=[REGIONAL_PK]))
    assert FOREIGN_MARK in _text(page)
    download = client.get(reverse("roadmaps:evidence", args=[REGIONAL_PK]))
    assert download.status_code == 200
    assert FOREIGN_MARK in _headers(download)
