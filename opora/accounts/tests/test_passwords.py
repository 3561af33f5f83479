"""Passwords: Django's full validators, a change by the signed-in user and a reset by e-mail,
all in Russian. Issue 9.
"""

import re

from django.core import mail
from django.urls import reverse

from opora.testing import PASSWORD
from opora.testing.factories import UserFactory

NEW = "Крепкий-пароль-2026"


def test_the_user_menu_and_the_login_page_link_to_the_password_pages(db, client):
    login = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login
    assert "Забыли пароль?" in login
    client.force_login(UserFactory(username="school"))
    assert reverse("password_change") in client.get(reverse("home")).content.decode()


def test_a_signed_in_user_changes_the_password(db, client):
    user = UserFactory(username="school")
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert "Смена пароля" in page.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW)
    # The session survives the change (Django updates its hash).
    assert client.get(reverse("password_change_done")).status_code == 200


def test_weak_new_passwords_are_refused_in_russian(db, client):
    user = UserFactory(username="school", first_name="Школа")
    client.force_login(user)
    cases = {
        "12345678901": "состоит только из цифр",
        "Короткий1": "слишком короткий",
        "password1234": "слишком широко распространён",
        "school1234": "слишком похож",
    }
    for weak, message in cases.items():
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200
        assert message in response.content.decode(), weak
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_forgotten_password_is_reset_by_e_mail(db, client):
    user = UserFactory(username="school", email="school@example.ru")
    response = client.post(reverse("password_reset"), {"email": "school@example.ru"})
    assert response.status_code == 302
    assert "отправлено письмо" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.subject == "Опора: восстановление пароля"
    assert "school" in letter.body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", letter.body).group(1)

    form = client.get(link, follow=True)
    assert "Новый пароль" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW)

    # The link works once.
    again = client.get(link, follow=True)
    assert "Ссылка для восстановления пароля недействительна" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_letter(db, client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.ru"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
