"""/admin/ answers only administrators from the administrators' network, and can be switched
off; everyone else gets the ordinary 404 page. Issue 9.
"""

import pytest
from django.urls import reverse

from opora.accounts.models import Role
from opora.testing.factories import UserFactory

ADMIN = "/admin/"


@pytest.fixture
def staff(db):
    return UserFactory(username="admin", role=Role.REGION, is_staff=True, is_superuser=True)


def test_an_administrator_from_the_administrators_network_gets_the_admin(client, staff, settings):
    settings.OPORA_ADMIN_NETWORKS = ["10.20.0.0/16"]
    client.force_login(staff)
    assert client.get(ADMIN, REMOTE_ADDR="10.20.3.4").status_code == 200


@pytest.mark.parametrize("role", [Role.REGION, Role.SCHOOL, Role.MUNICIPAL])
def test_non_administrators_get_404(client, db, role):
    client.force_login(UserFactory(username=f"u-{role}", role=role))
    response = client.get(ADMIN)
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 404


def test_anonymous_visitors_get_404_not_the_admin_login_form(client, db):
    assert client.get(ADMIN).status_code == 404
    assert client.get("/admin/login/").status_code == 404


def test_an_administrator_from_another_network_gets_404(client, staff, settings):
    settings.OPORA_ADMIN_NETWORKS = ["10.20.0.0/16"]
    client.force_login(staff)
    assert client.get(ADMIN, REMOTE_ADDR="203.0.113.7").status_code == 404
    # A forged header from the outside does not help while no proxy is trusted.
    forged = client.get(ADMIN, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.20.3.4")
    assert forged.status_code == 404


def test_the_admin_can_be_switched_off(client, staff, settings):
    settings.OPORA_ADMIN_ENABLED = False
    client.force_login(staff)
    assert client.get(ADMIN).status_code == 404


def test_a_wrong_network_in_the_environment_is_refused_in_russian(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from opora.settings import _env_networks

    monkeypatch.setenv("OPORA_ADMIN_NETWORKS", "10.0.0.0/8, офис")
    with pytest.raises(ImproperlyConfigured, match="«офис» — не адрес и не сеть"):
        _env_networks("OPORA_ADMIN_NETWORKS", "")
