"""Django's password forms in the project's Bootstrap look."""

from django import forms
from django.contrib.auth import forms as auth_forms

from opora.core.forms import StyledFormMixin


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(StyledFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(StyledFormMixin, auth_forms.SetPasswordForm):
    pass


class AccessLogFilterForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label="Пользователь", required=False, max_length=150)
    what = forms.ChoiceField(label="Что смотрели", required=False)
    since = forms.DateField(
        label="С", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="По", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = [("", "всё"), *((k, k) for k in kinds)]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("Начало периода позже его конца.")
        return data
