"""Forms of methodical visits and lesson observations."""

from django import forms

from opora.core.forms import DATE_INPUT, InvisibleCharactersMixin, StyledFormMixin
from opora.development.models import RUBRIC_LEVELS, CompetenceArea, Offer, RubricItem


class VisitForm(InvisibleCharactersMixin, StyledFormMixin, forms.Form):
    school = forms.ModelChoiceField(label="школа", queryset=None)
    visit_on = forms.DateField(label="дата", widget=DATE_INPUT)
    aim = forms.CharField(label="цель десанта", max_length=500, required=False)
    team = forms.ModelMultipleChoiceField(
        label="команда (из реестра)",
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    team_others = forms.CharField(
        label="другие участники",
        max_length=500,
        required=False,
        help_text="Через запятую: педагоги школ-наставников, методисты.",
    )

    def __init__(self, *args, schools, people, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["team"].queryset = people
        if editing:
            del self.fields["school"]


class LessonForm(InvisibleCharactersMixin, StyledFormMixin, forms.Form):
    teacher = forms.ModelChoiceField(label="педагог", queryset=None)
    grade = forms.CharField(label="класс", max_length=20)
    subject = forms.CharField(label="предмет", max_length=200)
    topic = forms.CharField(label="тема урока", max_length=500, required=False)

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers


class ReportForm(InvisibleCharactersMixin, StyledFormMixin, forms.Form):
    held_on = forms.DateField(label="дата проведения", widget=DATE_INPUT)
    consultations = forms.CharField(
        label="проведённые консультации",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="С кем и о чём: «Заместитель директора — план внутришкольного контроля».",
    )
    findings = forms.CharField(
        label="выводы", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendations = forms.CharField(
        label="рекомендации школе",
        required=False,
        max_length=5000,
        help_text="Каждая — с новой строки. Они и рекомендации наблюдений уроков попадут "
        "в трекер рекомендаций и школе в «Ждут меня».",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_date = forms.DateField(
        label="срок выполнения рекомендаций", required=False, widget=DATE_INPUT
    )


class ObservationForm(InvisibleCharactersMixin, StyledFormMixin, forms.Form):
    """The lesson and the analysis; the levels per rubric item come as ``item-<pk>``."""

    teacher = forms.ModelChoiceField(label="педагог", queryset=None)
    observed_on = forms.DateField(label="дата урока", widget=DATE_INPUT)
    grade = forms.CharField(label="класс", max_length=20)
    subject = forms.CharField(label="предмет", max_length=200)
    topic = forms.CharField(label="тема урока", max_length=500, required=False)
    analysis = forms.CharField(
        label="краткий анализ урока", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendation = forms.CharField(
        label="рекомендация",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, teachers, items: list[RubricItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.items = items

    def levels(self) -> dict[int, int | None]:
        """The level chosen for each item (None where none was chosen)."""
        chosen = {}
        for item in self.items:
            raw = str(self.data.get(f"item-{item.pk}", ""))
            chosen[item.pk] = int(raw) if raw.isdigit() and int(raw) in RUBRIC_LEVELS else None
        return chosen


class RouteStepForm(StyledFormMixin, forms.Form):
    offer = forms.ModelChoiceField(
        label="предложение каталога", queryset=Offer.objects.filter(is_active=True)
    )
    area = forms.ModelChoiceField(
        label="дефицит", queryset=CompetenceArea.objects.all(), required=False
    )


class RubricItemForm(InvisibleCharactersMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = RubricItem
        fields = ["order", "title", "level0", "level1", "level2", "level3", "is_active"]
        widgets = {f"level{n}": forms.Textarea(attrs={"rows": 2}) for n in RUBRIC_LEVELS}
