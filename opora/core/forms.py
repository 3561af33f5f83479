"""Form styling shared by all apps: Bootstrap classes on every widget."""

from django import forms

from opora.core.intake.encodings import strip_invisible

# A date typed in the browser's own date picker (ISO on the wire, Russian on the screen).
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
