"""Russian pages for 400 and 405, which Django otherwise answers with an empty or English
body. Issue 9.
"""

from django.urls import reverse

from opora.testing.factories import UserFactory


def test_a_get_to_a_post_only_action_gets_a_russian_405_page(db, client):
    client.force_login(UserFactory(username="region", role="region"))
    response = client.get(reverse("assessment:batch_delete", args=[1]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    body = response.content.decode()
    assert "Так это действие не выполнить" in body
    assert "<html" in body


def test_a_class_based_view_answers_405_in_russian_too(db, client):
    client.force_login(UserFactory(username="school"))
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert "Так это действие не выполнить" in response.content.decode()


def test_a_bad_request_gets_a_russian_400_page(db, client):
    response = client.get(reverse("login"), HTTP_HOST="чужой.example.com")
    assert response.status_code == 400
    assert "Неверный запрос" in response.content.decode()
