"""Production settings: ``check --deploy`` is clean, passwords are hashed with argon2, and
repeated failed logins lock the account. Issue 3, «Set-up» and «Roles, scopes, audit».
"""

import importlib
import os
import secrets
import string
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils.module_loading import import_string

from opora.testing import PASSWORD
from opora.testing.factories import UserFactory

OPORA = str(Path(__file__).resolve().parents[3] / ".venv" / "bin" / "opora")


def _production_env(tmp_path, **overrides) -> dict:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        **os.environ,
        "OPORA_ENV": "production",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "ALLOWED_HOSTS": "opora.example.ru",
        "OPORA_DATA_DIR": str(tmp_path),
    }
    # The test run's own switches (conftest) are not a production server's.
    for name in (
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "OPORA_DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    ):
        env.pop(name, None)
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _opora(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [OPORA, *args], env=env, cwd=env["OPORA_DATA_DIR"], capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    done = _opora(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output
    assert "security.W" not in output


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    done = _opora(_production_env(tmp_path, SECRET_KEY=None), "check", "--deploy")
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def test_passwords_are_hashed_with_argon2():
    """The real settings, not the fast hasher the test fixture puts in their place."""
    real = importlib.import_module("opora.settings")
    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hasher = import_string(real.PASSWORD_HASHERS[0])()
    encoded = make_password("opora-demo-2026", hasher=hasher)
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("opora-demo-2026", encoded)


@pytest.fixture
def axes(settings):
    settings.AXES_ENABLED = True
    from axes.models import AccessAttempt

    return AccessAttempt


def _login(client, password):
    return client.post(reverse("login"), {"username": "school", "password": password})


def test_five_failed_logins_lock_the_account(db, client, axes):
    UserFactory(username="school")
    for attempt in range(4):
        response = _login(client, f"wrong-{attempt}")
        assert response.status_code == 200
        assert "Неверное имя пользователя или пароль." in response.content.decode()
    locked = _login(client, "wrong-5")
    assert locked.status_code == 429
    assert axes.objects.filter(username="school").exists()

    refused = _login(client, PASSWORD)
    assert refused.status_code == 429
    assert "Слишком много неудачных попыток входа" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failed_logins_still_let_the_right_password_in(db, client, axes):
    UserFactory(username="school")
    for attempt in range(4):
        _login(client, f"wrong-{attempt}")
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
