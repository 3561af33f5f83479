"""A running server and respondents' browsers for the concurrency test and bench/surveys.py.

``Server`` starts gunicorn (from the lock file) on a database given by its URL; ``Browser``
holds one respondent's cookies and fills the anonymous form as a phone would post it.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

#: The checkout this code is in: gunicorn runs it (not whatever another install points at).
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving Opora on the test database, stopped on exit."""

    def __init__(self, database_url: str, tmp_path: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "OPORA_DATA_DIR": str(tmp_path),
            "OPORA_SURVEY_ANSWERS_PER_ADDRESS": "100000",
            "DJANGO_SETTINGS_MODULE": "opora.settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "opora.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "3",
                "--worker-class",
                "gthread",
                "--threads",
                "8",
                "--backlog",
                "1024",
                "--timeout",
                "120",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start in 60 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Browser:
    """One respondent's browser: its own cookies (CSRF, the «answered» mark)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect,
        )

    def form(self, path: str) -> dict:
        with self.opener.open(self.base + path, timeout=120) as page:
            html = page.read().decode()
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|receipt)" value="([^"]+)"', html))
        questions = re.findall(r'name="(q\d+)" id="q\d+-1" value="([^"]+)"', html)
        scale = re.search(r'name="(q\d+)" id="q\d+-3" value="3"', html)
        # A number question: its smallest allowed value (or 0), e.g. «от 0 до 300» → 0.
        numbers = {
            name: low or "0"
            for name, low in re.findall(
                r'inputmode="decimal" name="(q\d+)"[^>]*>\s*(?:<div class="form-text">от (-?\d+))?',
                html,
            )
        }
        return {**fields, **dict(questions), **numbers, scale.group(1): "3"}

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=300) as answer:
                return answer.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def csrf(self) -> str:
        jar = next(
            h for h in self.opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)
        )
        return next(c.value for c in jar.cookiejar if c.name == "csrftoken")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def send_at_once(
    server_url: str, path: str | list[str], n: int
) -> tuple[list[int], list[dict], float]:
    """``n`` browsers open the form, then post it together: (statuses, forms, seconds).
    Several paths (the links of several audiences): browser ``i`` takes path ``i`` modulo
    their number."""
    paths = [path] if isinstance(path, str) else path
    browsers = [Browser(server_url) for _ in range(n)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        forms = list(pool.map(lambda i: browsers[i].form(paths[i % len(paths)]), range(n)))
    barrier = threading.Barrier(n, timeout=120)

    def answer(i: int) -> int:
        barrier.wait()
        return browsers[i].post(paths[i % len(paths)], forms[i])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:
        statuses = list(pool.map(answer, range(n)))
    return statuses, forms, time.perf_counter() - started


def resend(server_url: str, path: str, forms: list[dict]) -> list[int]:
    """The same forms posted again from fresh browsers (a retry that lost its cookie)."""
    browsers = [Browser(server_url) for _ in forms]
    for b in browsers:
        b.form(path)  # its own CSRF cookie
    barrier = threading.Barrier(len(forms), timeout=120)

    def retry(i: int) -> int:
        barrier.wait()
        return browsers[i].post(path, {**forms[i], "csrfmiddlewaretoken": browsers[i].csrf()})

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        return list(pool.map(retry, range(len(forms))))
