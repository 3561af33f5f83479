"""Forms of the builder and of the campaigns (the answer form is read by ``answering``)."""

from __future__ import annotations

from django import forms

from opora.core.forms import StyledFormMixin
from opora.surveys.models import Audience, Question, QuestionKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuestionnaireForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="название", max_length=500)
    audience = forms.ChoiceField(label="кому адресована", choices=Audience.choices)
    description = forms.CharField(
        label="обращение к респонденту",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Зачем анкета, сколько займёт времени; что ответы анонимны.",
    )


class SectionForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="название раздела", max_length=500)


class QuestionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="вид вопроса", choices=QuestionKind.choices)
    text = forms.CharField(label="вопрос", widget=forms.Textarea(attrs={"rows": 2}))
    hint = forms.CharField(label="подсказка", max_length=500, required=False)
    required = forms.BooleanField(label="обязательный", required=False, initial=True)
    options = forms.CharField(
        label="варианты ответа (каждый с новой строки)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Для матрицы — столбцы: «всегда», «иногда», «никогда».",
    )
    rows = forms.CharField(
        label="строки матрицы (каждая с новой строки)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scale_min = forms.IntegerField(
        label="от",
        required=False,
        min_value=-1000,
        max_value=1000,
        help_text="Шкала: 1; число: наименьшее.",
    )
    scale_max = forms.IntegerField(
        label="до",
        required=False,
        min_value=-1000,
        max_value=1000,
        help_text="Шкала: 5; число: наибольшее.",
    )
    code = forms.SlugField(
        label="код для правил рисков",
        required=False,
        max_length=50,
        help_text="Латиницей, например «equipment». Необязательно.",
    )
    show_if = forms.ModelChoiceField(
        label="показывать только если на вопрос",
        required=False,
        queryset=Question.objects.none(),
        empty_label="— показывать всегда —",
    )
    show_if_option = forms.CharField(label="ответили", required=False, max_length=300)

    def __init__(self, *args, conditions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show_if"].queryset = conditions
        self.fields["show_if"].label_from_instance = lambda q: q.text[:90]

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        d["options"] = d["options"] or ""
        d["rows"] = d["rows"] or ""
        return d


class CampaignForm(StyledFormMixin, forms.Form):
    """The period and the schools; the questionnaire goes to its own audience, and the same
    campaign may ask the other audiences too (``also_<audience>``: a questionnaire, the same
    one or another, or nothing)."""

    title = forms.CharField(label="название", max_length=500)
    starts_on = forms.DateField(label="начало", widget=DATE)
    ends_on = forms.DateField(label="окончание", widget=DATE)
    schools = forms.ModelMultipleChoiceField(
        label="школы",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Выберите хотя бы одну школу."},
    )

    def __init__(self, *args, schools, questionnaire, questionnaires, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools
        self.fields["schools"].widget.attrs["class"] = "form-check-input"
        self.fields["schools"].label_from_instance = lambda s: (
            f"{s.short_name} ({s.municipality.name})"
            + (" — в списке ШНОР/ШНСУ" if getattr(s, "is_listed", False) else "")
        )
        self.other_audiences = [a for a in Audience if a != questionnaire.audience]
        for audience in self.other_audiences:
            field = forms.ModelChoiceField(
                label=audience.label,
                required=False,
                queryset=questionnaires,
                empty_label="— не спрашивать —",
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            field.label_from_instance = lambda q: f"{q.title} (для: {q.get_audience_display()})"
            self.fields[f"also_{audience.value}"] = field

    def also_fields(self):
        return [self[f"also_{a.value}"] for a in self.other_audiences]

    def clean(self):
        d = super().clean()
        if d.get("starts_on") and d.get("ends_on") and d["ends_on"] < d["starts_on"]:
            self.add_error("ends_on", "Окончание раньше начала.")
        return d

    def values(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "starts_on": d["starts_on"],
            "ends_on": d["ends_on"],
            "schools": d["schools"],
            "also": {a.value: d.get(f"also_{a.value}") for a in self.other_audiences},
        }


class PeriodForm(StyledFormMixin, forms.Form):
    starts_on = forms.DateField(label="начало", widget=DATE)
    ends_on = forms.DateField(label="окончание", widget=DATE)
