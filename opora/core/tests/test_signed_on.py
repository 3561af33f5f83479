"""The date of a signed document is never after today."""

from datetime import timedelta

import pytest
from django import forms
from django.utils import timezone

from opora.core.forms import SignedOnField
from opora.core.russian.dates import day_text


class _Approval(forms.Form):
    day = SignedOnField(label="Дата")


def test_today_and_earlier_pass_a_later_day_is_refused_in_russian():
    today = timezone.localdate()
    assert _Approval({"day": today.isoformat()}).is_valid()
    assert _Approval({"day": (today - timedelta(days=400)).isoformat()}).is_valid()
    form = _Approval({"day": (today + timedelta(days=1)).isoformat()})
    assert not form.is_valid()
    assert form.errors["day"] == [
        f"Дата документа позже сегодняшней ({day_text(today)}): проверьте её — "
        "утверждают документом, который уже подписан."
    ]


@pytest.mark.parametrize("value", ["", "31.02.2026", "завтра"])
def test_an_empty_or_impossible_date_gets_the_usual_message(value):
    form = _Approval({"day": value})
    assert not form.is_valid() and "позже сегодняшней" not in str(form.errors)
