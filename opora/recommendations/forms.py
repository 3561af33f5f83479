"""Forms of the recommendation tracker: status and evidence, a linked event, the filter."""

from __future__ import annotations

from django import forms

from opora.core.forms import DATE_INPUT, StyledFormMixin
from opora.recommendations.models import RecommendationStatus


class TrackForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label="Состояние", choices=RecommendationStatus.choices)
    evidence = forms.CharField(
        label="Подтверждение",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Документ, приказ, ссылка, что сделано; для «неприменима» — причина.",
    )
    due_date = forms.DateField(label="Срок", required=False, widget=DATE_INPUT)

    def __init__(self, *args, can_change_due_date: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_change_due_date:
            del self.fields["due_date"]


class LinkEventForm(StyledFormMixin, forms.Form):
    """The choice of an event among those already read for the page (no query to render)."""

    event = forms.TypedChoiceField(label="Мероприятие дорожной карты", coerce=int)

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", "— выберите мероприятие —")] + [
            (event.pk, _event_label(event)) for event in events
        ]


def _event_label(event) -> str:
    text = " ".join(event.text.split())
    text = text if len(text) <= 110 else text[:109] + "…"
    number = event.number.rstrip(".")
    owner = event.roadmap.owner_label if event.roadmap_id else ""
    return f"№ {number} {text} — {owner}" if number else f"{text} — {owner}"


class TrackerFilterForm(forms.Form):
    """The tracker's filters (GET); invalid values are ignored, never an error page."""

    municipality = forms.ModelChoiceField(queryset=None, required=False)
    status = forms.ChoiceField(
        choices=[("", "Все состояния"), *RecommendationStatus.choices], required=False
    )
    overdue = forms.BooleanField(required=False)
    closable = forms.BooleanField(required=False)
    protocol = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    q = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, municipalities, protocols, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.protocols = list(protocols)
        self.fields["protocol"].choices = [("", "")] + [(p.pk, p.title) for p in self.protocols]
