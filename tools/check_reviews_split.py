"""Check that a database made before the split of «reviews» migrates forward without loss.

Builds a database with the main branch of before the split (a commit given as ``--base``,
default a716a51): ``migrate`` then ``demo``, in a temporary git worktree; counts the rows of
every ``reviews_*`` table and notes the content types; then migrates the same database with
this working tree and checks that every table kept its rows, that the moved models' content
types now carry the new app labels with the same ids (so permissions, history and documents
follow), and that the moved models read their rows through the new apps.

    python tools/check_reviews_split.py                       # SQLite (a temporary file)
    python tools/check_reviews_split.py --database-url postgres://postgres@127.0.0.1:5432/opora_h

The PostgreSQL database is dropped and created anew. Exit code 0 when everything holds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
NEW_APPS = {
    "expertise": [
        "criteriaset", "criteriongroup", "criterion", "expertise", "expertassignment", "score",
    ],
    "interviews": ["interviewprotocol", "interview", "protocolassignment"],
    "recommendations": ["recommendationtemplate", "recommendation"],
    "monitoring": [
        "checklisttemplate", "checklistitem", "monitoringcampaign", "campaignschool",
        "checklistanswer",
    ],
}  # fmt: skip

PROBE = r"""
import json, sys
import django
django.setup()
from django.db import connection
from django.contrib.contenttypes.models import ContentType
from django.contrib.auth.models import Permission
with connection.cursor() as cursor:
    tables = sorted(t for t in connection.introspection.table_names(cursor) if t.startswith("reviews_"))
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
types = {f"{c.app_label}.{c.model}": c.pk for c in ContentType.objects.all()}
perms = {f"{p.content_type.app_label}.{p.codename}": p.pk for p in Permission.objects.select_related("content_type")}
print(json.dumps({"counts": counts, "types": types, "perms": perms}))
"""

READ_BACK = r"""
import json
import django
django.setup()
from django.apps import apps
out = {}
for label in ("expertise", "interviews", "recommendations", "monitoring"):
    for model in apps.get_app_config(label).get_models():
        out[model._meta.db_table] = model.objects.count()
        history = getattr(model, "history", None)
        if history is not None:
            out[history.model._meta.db_table] = history.model.objects.count()
print(json.dumps(out))
"""


def run(cmd, cwd, env, capture=False):
    result = subprocess.run(cmd, cwd=cwd, env=env, text=True, capture_output=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"не удалось: {' '.join(cmd)} (в {cwd})")
    return result.stdout if capture else None


def _compare(before: dict, after: dict, read: dict) -> list[str]:
    """Print the table of rows and what moved; the problems found."""
    problems = []
    print(f"\n{'таблица':45} {'до':>7} {'после':>7} {'через модель':>13}")
    for table, count in before["counts"].items():
        now = after["counts"].get(table)
        through = read.get(table, "—")
        print(f"{table:45} {count:>7} {now if now is not None else '—':>7} {through:>13}")
        if now != count:
            problems.append(f"{table}: было {count}, стало {now}")
        if table in read and read[table] != count:
            problems.append(f"{table}: модель читает {read[table]} из {count}")
    missing = sorted(set(read) - set(before["counts"]))
    if missing:
        problems.append(f"модели без прежних таблиц: {', '.join(missing)}")
    if not any(before["counts"].values()):
        problems.append("демо не записало ни одной строки в reviews_*")
    moved = 0
    for app, models in NEW_APPS.items():
        for model in models + [f"historical{m}" for m in models]:
            old = before["types"].get(f"reviews.{model}")
            new = after["types"].get(f"{app}.{model}")
            if old is None:
                continue
            moved += 1
            if new != old:
                problems.append(f"тип {model}: был reviews #{old}, стал {app} #{new}")
            if f"reviews.{model}" in after["types"]:
                problems.append(f"тип reviews.{model} остался")
    perms_kept = sum(
        1
        for key, pk in before["perms"].items()
        if key.startswith("reviews.")
        and any(after["perms"].get(f"{app}.{key.split('.', 1)[1]}") == pk for app in NEW_APPS)
    )
    perms_before = sum(1 for key in before["perms"] if key.startswith("reviews."))
    print(f"\nтипов содержимого перенесено с прежними id: {moved}")
    print(f"разрешений перешло вместе с типами: {perms_kept} из {perms_before}")
    if perms_kept != perms_before:
        problems.append("не все разрешения перешли к новым приложениям")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="a716a51", help="commit of main before the split")
    parser.add_argument("--database-url", default="", help="PostgreSQL; SQLite when empty")
    args = parser.parse_args()
    python = sys.executable
    tmp = Path(tempfile.mkdtemp(prefix="opora-split-"))
    base = tmp / "base"
    run(["git", "worktree", "add", "--detach", str(base), args.base], HERE, os.environ)
    try:
        nm = HERE / "node_modules"
        if nm.exists():
            (base / "node_modules").symlink_to(nm.resolve())
        env = dict(
            os.environ, OPORA_DATA_DIR=str(tmp / "data"), DJANGO_SETTINGS_MODULE="opora.settings"
        )
        env.pop("DATABASE_URL", None)
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
            name = args.database_url.rsplit("/", 1)[1]
            server = args.database_url.rsplit("/", 1)[0] + "/postgres"
            run(["psql", server, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], HERE, env)
            run(["psql", server, "-qc", f'CREATE DATABASE "{name}"'], HERE, env)
        backend = "PostgreSQL" if args.database_url else "SQLite"
        print(f"{backend}: база по {args.base}: migrate и demo…", flush=True)
        run([python, "manage.py", "migrate", "-v", "0"], base, env)
        run([python, "manage.py", "demo"], base, env)
        before = json.loads(run([python, "-c", PROBE], base, env, capture=True))
        print(f"{backend}: миграции этой ветки…", flush=True)
        run([python, "manage.py", "migrate", "-v", "0"], HERE, env)
        after = json.loads(run([python, "-c", PROBE], HERE, env, capture=True))
        read = json.loads(run([python, "-c", READ_BACK], HERE, env, capture=True))
    finally:
        run(["git", "worktree", "remove", "--force", str(base)], HERE, os.environ)

    problems = _compare(before, after, read)
    if problems:
        print("\nОШИБКИ:\n- " + "\n- ".join(problems))
        return 1
    print(f"\n{backend}: всё на месте.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
