"""A small crawler for tests and ``tools/crawl.py``: every link a signed-in user can reach.

``crawl(client)`` starts at ``/`` and follows each ``href`` (and ``hx-get``) of the pages it gets,
staying on the site, GET only, at most ``per_pattern`` addresses of one shape (``/registry/
schools/N/`` with the same query keys), and returns what it visited and the problems a reader
would see:

- a link answered with 4xx or 5xx (``404 /x/ (ссылка со страницы /y/)``);
- an ISO date (``2026-06-17``) in a page's visible text — dates are «17 июня 2026 г.» or
  «17.06.2026»;
- a Django leftover in English («This field is required.», «None», «True») in the visible text.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout/", "/__")
ISO_DATE = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")
ENGLISH = re.compile(
    r"\b(?:None|True|False|This field|Enter a valid|Select a valid|Ensure this value|"
    r"Page not found|Forbidden|Server Error|Not Found|No results|Choose file|"
    r"January|February|March|April|June|July|August|September|October|November|December)\b"
)
TEMPLATE_LEFTOVER = re.compile(r"\{\{|\{%|%\}|\}\}")
HIDDEN_TAGS = {"script", "style", "template", "textarea", "option", "code", "pre"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("href", "hx-get"):
            if values.get(name):
                self.links.append(values[name])
        if tag in HIDDEN_TAGS:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.text.append(data.strip())


@dataclass
class CrawlResult:
    visited: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def pattern_of(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/N", parts.path)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return path + ("?" + "&".join(keys) if keys else "")


def _local(url: str, base: str) -> str | None:
    url = urldefrag(urljoin(base, url)).url
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


def page_problems(url: str, html: str) -> list[str]:
    """What a reader would find wrong in the visible text of one page."""
    page = _Page()
    page.feed(html)
    text = "\n".join(page.text)
    found = []
    for regex, what in (
        (ISO_DATE, "дата ISO"),
        (ENGLISH, "английский"),
        (TEMPLATE_LEFTOVER, "остаток шаблона"),
    ):
        hits = sorted({m.group(0) for m in regex.finditer(text)})
        if hits:
            found.append(f"{what} на {url}: {', '.join(hits[:5])}")
    return found


def crawl(client, start: str = "/", limit: int = 400, per_pattern: int = 3) -> CrawlResult:
    result = CrawlResult()
    queue: deque[tuple[str, str]] = deque([(start, "")])
    seen = {start}
    per: dict[str, int] = {}
    while queue and len(result.visited) < limit:
        url, source = queue.popleft()
        response = client.get(url)
        result.visited.append(url)
        where = f" (ссылка со страницы {source})" if source else ""
        if response.status_code >= 400:
            result.problems.append(f"{response.status_code} {url}{where}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            links = [response["Location"]]
        elif "text/html" in response.get("Content-Type", ""):
            html = response.content.decode(response.charset or "utf-8", "replace")
            result.problems.extend(page_problems(url, html))
            parser = _Page()
            parser.feed(html)
            links = parser.links
        else:
            continue
        for link in links:
            target = _local(link, url)
            if target is None or target in seen:
                continue
            shape = pattern_of(target)
            if per.get(shape, 0) >= per_pattern:
                continue
            per[shape] = per.get(shape, 0) + 1
            seen.add(target)
            queue.append((target, url))
    return result
