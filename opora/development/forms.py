from django import forms

from opora.core.forms import InvisibleCharactersMixin, StyledFormMixin
from opora.development.models import (
    CompetenceArea,
    Offer,
    ParticipantRole,
    StepStatus,
    SupportEvent,
)
from opora.registry.models import Municipality


class DiagnosticsUploadForm(StyledFormMixin, forms.Form):
    title = forms.CharField(
        label="Название диагностики",
        max_length=300,
        initial="Диагностика профессиональных компетенций",
    )
    year = forms.IntegerField(label="Год", min_value=2000, max_value=2100)
    file = forms.FileField(label="Файл (.xlsx или .csv)")


class CatalogueUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="Каталог (.xlsx или .csv)")


class OfferForm(InvisibleCharactersMixin, StyledFormMixin, forms.ModelForm):
    areas = forms.ModelMultipleChoiceField(
        label="Области компетенций",
        queryset=CompetenceArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Offer
        fields = [
            "kind",
            "title",
            "provider",
            "hours",
            "starts_on",
            "ends_on",
            "format",
            "topics",
            "for_management",
            "is_active",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "topics": forms.Textarea(attrs={"rows": 2}),
        }


class EventForm(InvisibleCharactersMixin, StyledFormMixin, forms.ModelForm):
    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities if municipalities is not None else Municipality.objects
        field.empty_label = "региональное (для всех)"
        self.fields["offer"].queryset = Offer.objects.filter(is_active=True)

    class Meta:
        model = SupportEvent
        fields = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "link",
            "audience",
            "municipality",
            "offer",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }


class StepAddForm(StyledFormMixin, forms.Form):
    offer = forms.ModelChoiceField(label="Предложение каталога", queryset=Offer.objects.none())
    area = forms.ModelChoiceField(
        label="Дефицит", queryset=CompetenceArea.objects.all(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = Offer.objects.filter(is_active=True)


class TrackForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label="Ход", choices=StepStatus.choices)
    completed_on = forms.DateField(
        label="Дата завершения",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    certificate = forms.FileField(label="Удостоверение (файл)", required=False)


class RegisterForm(StyledFormMixin, forms.Form):
    person = forms.ModelChoiceField(label="Педагог", queryset=None)
    role = forms.ChoiceField(label="Участие", choices=ParticipantRole.choices)
    topic = forms.CharField(label="Тема выступления", max_length=500, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = people
        # A teacher registers only oneself: the one choice is made, not left blank to pick
        # (a required blank choice stopped the form in the browser without a word).
        first_two = list(people[:2])
        if len(first_two) == 1:
            field.empty_label = None
            field.initial = first_two[0].pk


class OutcomeForm(StyledFormMixin, forms.Form):
    outcome = forms.CharField(label="Итоги", widget=forms.Textarea(attrs={"rows": 3}))


class MaterialForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="Материал (файл)")
