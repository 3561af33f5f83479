"""Forms of mentoring and professional contests."""

from django import forms

from opora.core.forms import InvisibleCharactersMixin, StyledFormMixin
from opora.development.models import ActivityKind, Contest, ContestResult, ContestStage

_DATE = {"type": "date"}


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} — {obj.school.short_name}" if obj.school_id else obj.full_name


class MentorPairForm(InvisibleCharactersMixin, StyledFormMixin, forms.Form):
    mentor = _PersonChoice(label="Наставник", queryset=None)
    mentee = _PersonChoice(label="Педагог", queryset=None)
    focus = forms.CharField(label="Направление работы", max_length=500, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = people
        self.fields["mentee"].queryset = people


class ActivityForm(InvisibleCharactersMixin, StyledFormMixin, forms.Form):
    held_on = forms.DateField(label="Дата", widget=forms.DateInput(attrs=_DATE))
    kind = forms.ChoiceField(label="Вид", choices=ActivityKind.choices)
    topic = forms.CharField(label="Тема", max_length=500)
    outcome = forms.CharField(
        label="Результат", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label="Файл (необязательно)", required=False)


class ContestForm(InvisibleCharactersMixin, StyledFormMixin, forms.ModelForm):
    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities
        field.empty_label = "— (региональный или федеральный)"

    class Meta:
        model = Contest
        fields = ["title", "level", "year", "municipality", "organiser", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class StageForm(InvisibleCharactersMixin, StyledFormMixin, forms.Form):
    title = forms.CharField(label="Этап", max_length=300)
    starts_on = forms.DateField(label="Начало", widget=forms.DateInput(attrs=_DATE))
    ends_on = forms.DateField(label="Окончание", widget=forms.DateInput(attrs=_DATE))


class EntryForm(InvisibleCharactersMixin, StyledFormMixin, forms.Form):
    person = _PersonChoice(label="Педагог", queryset=None)
    topic = forms.CharField(label="Тема (представляемый опыт)", max_length=500, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ResultForm(forms.Form):
    result = forms.ChoiceField(label="Результат", choices=ContestResult.choices)
    reached = forms.ModelChoiceField(
        label="Дошёл до этапа", queryset=ContestStage.objects.none(), required=False
    )

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reached"].queryset = stages
