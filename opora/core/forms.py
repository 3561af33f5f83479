"""Form styling shared by all apps: Bootstrap classes on every widget."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from opora.core.intake.encodings import strip_invisible

# A date typed in the browser's own date picker (ISO on the wire, Russian on the screen).
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SignedOnField(forms.DateField):
    """The date of a document already signed (an order approving a list or a roadmap, an
    interview's protocol): never after today — a later date is a slip of the year or the month,
    and it would stand in the basis of every status and in the orders that cite it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        today = timezone.localdate()
        if value and value > today:
            from opora.core.russian.dates import day_text

            raise ValidationError(
                f"Дата документа позже сегодняшней ({day_text(today)}): проверьте её — "
                "утверждают документом, который уже подписан.",
                code="future",
            )


class StyledFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class InvisibleCharactersMixin:
    """Zero-width characters and soft hyphens are dropped from every value typed or pasted,
    before the fields are cleaned: a code or a name with one inside looks the same and is not.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            return
        data = self.data.copy()
        if hasattr(data, "setlist"):
            for key in list(data):
                data.setlist(key, [_visible(v) for v in data.getlist(key)])
        else:
            data = {key: _visible(value) for key, value in data.items()}
        self.data = data


def _visible(value):
    return strip_invisible(value) if isinstance(value, str) else value
