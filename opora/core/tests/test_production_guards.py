"""Production refuses what is only for development: the published SECRET_KEY and the demo
region with its published passwords. Issue 9.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opora.accounts.models import User

ROOT = Path(__file__).resolve().parents[3]


def _production(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "OPORA_ENV": "production",
        "ALLOWED_HOSTS": "opora.example.ru",
        "OPORA_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "opora.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "opora.cli", *args],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_published_development_key(tmp_path):
    from opora.settings import DEVELOPMENT_SECRET_KEY

    done = _production(tmp_path, "check", SECRET_KEY=DEVELOPMENT_SECRET_KEY)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "нельзя использовать ключ разработки" in done.stderr


def test_production_refuses_the_demo_with_exit_code_1(tmp_path):
    done = _production(tmp_path, "demo", SECRET_KEY="x" * 30 + "-production-key-" + "y" * 30)
    assert done.returncode == 1, done.stderr
    assert "Демонстрационные данные нельзя загружать в рабочую базу" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_demo_writes_nothing_on_a_production_database(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="нельзя загружать в рабочую базу"):
        call_command("demo", "--schools", "5")
    assert not User.objects.exists()
