"""Walks every link a user can reach from the home page and reports what a reader would find wrong.

Runs in-process with Django's test client against the database named by ``DATABASE_URL`` (the
demo: ``opora migrate && opora demo``)::

    DATABASE_URL=sqlite:////path/var/walk.sqlite3 PYTHONPATH=. .venv/bin/python tools/crawl.py \
        region curator school --limit 400

For each role it follows every ``href`` of the pages it reaches (same site, GET only, at most
``--per-pattern`` addresses of one shape, e.g. ``/registry/schools/N/``) and prints:

- an answer of 4xx or 5xx to a link the page offered (with the page that offered it);
- an ISO date (``2026-06-17``) in the visible text of a page;
- English leftovers of Django («This field is required», «None», «True») in the visible text.

Exit code 1 when anything was found. ``opora.testing.crawling`` holds the checks (the suite's
crawl test uses them on the test world).
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from opora.accounts.models import User
    from opora.testing.crawling import crawl

    setup_test_environment()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roles", nargs="*", help="логины (по умолчанию — все демо-роли)")
    parser.add_argument("--limit", type=int, default=600, help="страниц на роль")
    parser.add_argument("--per-pattern", type=int, default=3, help="адресов одного вида")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    roles = args.roles or [
        "region",
        "operator",
        "curator",
        "kargasok",
        "tomsk",
        "school",
        "school28",
        "expert",
        "observer",
        "teacher",
    ]
    found = 0
    for name in roles:
        user = User.objects.get(username=name)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        started, cpu = time.perf_counter(), time.process_time()
        result = crawl(client, limit=args.limit, per_pattern=args.per_pattern)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"== {name}: страниц {len(result.visited)}, замечаний {len(result.problems)}"
            f" ({wall:.1f} с, CPU {cpu:.1f} с)"
        )
        if args.verbose:
            for url in result.visited:
                print("   ", url)
        for problem in result.problems:
            print("  ", problem)
        found += len(result.problems)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
