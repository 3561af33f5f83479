"""A creation form is processed once per token (issue 9: double submits create no duplicates)."""

import re

import pytest
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from opora.core import once


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def test_a_token_is_claimed_once_and_released_for_a_form_shown_again():
    token = once.new_token()
    assert once.claim(token)
    assert not once.claim(token)
    once.release(token)
    assert once.claim(token)


def test_a_second_post_goes_where_the_first_one_led_without_running_the_view(rf: RequestFactory):
    calls = []

    @once.submit_once
    def create(request):
        calls.append(1)
        return HttpResponseRedirect(f"/made/{len(calls)}/")

    token = once.new_token()
    first = _post(rf, create, token)
    second = _post(rf, create, token)
    assert calls == [1]
    assert first["Location"] == second["Location"] == "/made/1/"
    # Another form (another token) is processed as usual.
    assert _post(rf, create, once.new_token())["Location"] == "/made/2/"


def test_a_form_shown_again_with_errors_can_be_sent_again(rf):
    calls = []

    @once.submit_once
    def create(request):
        calls.append(1)
        return HttpResponse("Исправьте ошибки", status=200)

    token = once.new_token()
    _post(rf, create, token)
    _post(rf, create, token)
    assert len(calls) == 2


def test_a_post_without_a_token_is_processed_as_before(rf):
    calls = []

    @once.submit_once
    def create(request):
        calls.append(1)
        return HttpResponseRedirect("/made/")

    for value in ("", "../../etc/passwd", "x" * 200):
        request = rf.post("/new/", {once.FIELD: value})
        create(request)
    assert len(calls) == 3


def test_the_tag_renders_a_fresh_token_each_time():
    from django.template import Context, Template

    html = Template("{% load once %}{% submit_once %}{% submit_once %}").render(Context())
    tokens = re.findall(r'name="submit_once" value="([^"]+)"', html)
    assert len(tokens) == 2 and tokens[0] != tokens[1]


def _post(rf, view, token):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    request = rf.post("/new/", {once.FIELD: token}, HTTP_REFERER="http://testserver/form/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return view(request)
