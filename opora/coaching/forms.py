"""Forms of coaching: the self-analysis's texts (the indicators' rows are read in the view),
a work plan, a visit planned and reported, a message."""

from django import forms

from opora.coaching.models import VisitKind
from opora.core.forms import StyledFormMixin

DATE = {"type": "date"}


class AnalysisForm(StyledFormMixin, forms.Form):
    internal_causes = forms.CharField(
        label="внутренние причины низких результатов",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    external_causes = forms.CharField(
        label="внешние причины низких результатов",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    goals = forms.CharField(
        label="реалистичные цели и задачи",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PlanForm(StyledFormMixin, forms.Form):
    municipality = forms.ModelChoiceField(label="муниципалитет", queryset=None)
    note = forms.CharField(
        label="направления работы",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    project_session = forms.IntegerField(
        label="выездных проектных сессий", min_value=0, max_value=100, initial=3
    )
    methodical = forms.IntegerField(
        label="методических выездов", min_value=0, max_value=100, initial=4
    )
    consultation = forms.IntegerField(label="консультаций", min_value=0, max_value=100, initial=0)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class SpanTargetForm(StyledFormMixin, forms.Form):
    """«4 методических выезда в Каргасокском и Парабельском районах»."""

    kind = forms.ChoiceField(label="вид работы", choices=VisitKind.choices)
    quantity = forms.IntegerField(label="сколько", min_value=1, max_value=100, initial=4)
    municipalities = forms.ModelMultipleChoiceField(
        label="в муниципалитетах",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Отметьте муниципалитеты цели."},
    )
    note = forms.CharField(label="уточнение", max_length=300, required=False)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = municipalities
        self.fields["municipalities"].widget.attrs["class"] = "form-check-input"


class TargetsForm(StyledFormMixin, forms.Form):
    project_session = forms.IntegerField(label="проектных сессий", min_value=0, max_value=100)
    methodical = forms.IntegerField(label="методических выездов", min_value=0, max_value=100)
    consultation = forms.IntegerField(label="консультаций", min_value=0, max_value=100)


class VisitForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="вид", choices=VisitKind.choices)
    planned_on = forms.DateField(
        label="дата", widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE)
    )
    school = forms.ModelChoiceField(
        label="школа", queryset=None, required=False, empty_label="весь муниципалитет"
    )
    topic = forms.CharField(label="тема", max_length=500, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class VisitReportForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(
        label="дата проведения", widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE)
    )
    findings = forms.CharField(
        label="что увидели", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendations = forms.CharField(
        label="рекомендации школе",
        required=False,
        max_length=5000,
        help_text="Каждая рекомендация — с новой строки; они попадут школе в «Ждут меня».",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_date = forms.DateField(
        label="срок выполнения рекомендаций",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE),
    )


class CommentForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label="комментарий", max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
