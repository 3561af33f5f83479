"""Forms of the criteria editor and of the expertise."""

from django import forms

from opora.core.calendar import current_year
from opora.core.forms import StyledFormMixin
from opora.expertise.models import CriteriaPurpose, CriteriaSet, Criterion
from opora.expertise.precheck import SECTION_PREFIX


class CriteriaSetForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CriteriaSet
        fields = ["name", "purpose", "year", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError("Укажите год, например 2026.")
        return year


class CopySetForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="Год нового набора", min_value=2000, max_value=2100)
    name = forms.CharField(
        label="Название", max_length=300, required=False, help_text="Если пусто — как у исходного."
    )

    def __init__(self, *args, source: CriteriaSet | None = None, **kwargs):
        if source is not None:
            kwargs.setdefault("initial", {"year": max(source.year + 1, current_year())})
        super().__init__(*args, **kwargs)


class DefaultSetsForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="Год", min_value=2000, max_value=2100)


class GroupForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="Название группы", max_length=300)
    order = forms.IntegerField(label="Порядок", min_value=0, max_value=999, required=False)


class CriterionForm(StyledFormMixin, forms.ModelForm):
    """A criterion; a topic that needs a whole section is stored as «Раздел: …»."""

    needs_section = forms.BooleanField(
        label="Тема требует отдельного раздела карты",
        required=False,
        help_text="Предпроверка сообщит, если в карте нет раздела на эту тему.",
    )

    class Meta:
        model = Criterion
        fields = ["text", "guidance", "scale_max", "weight", "topic", "order"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"scale_max": "Шкала: от 0 до", "order": "Порядок в группе"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        topic = (self.instance.topic or "") if self.instance.pk else ""
        if topic.lower().startswith(SECTION_PREFIX):
            self.initial["topic"] = topic[len(SECTION_PREFIX) :].strip()
            self.initial["needs_section"] = True
        self.fields["scale_max"].min_value = 1
        self.fields["scale_max"].widget.attrs.update({"min": 1, "max": 10})
        self.fields["weight"].widget.attrs.update({"min": 0, "step": "0.5"})
        self.fields["order"].required = False
        if not self.instance.pk:
            self.initial["order"] = None  # a new criterion goes to the end of its group

    def clean_scale_max(self):
        value = self.cleaned_data["scale_max"]
        if not 1 <= value <= 10:
            raise forms.ValidationError("Шкала — от 0–1 до 0–10.")
        return value

    def clean_weight(self):
        value = self.cleaned_data["weight"]
        if value is None or value < 0:
            raise forms.ValidationError("Вес не может быть отрицательным.")
        return value

    def clean(self):
        data = super().clean()
        topic = (data.get("topic") or "").strip()
        if data.get("needs_section"):
            if not topic:
                self.add_error("topic", "Укажите тему раздела.")
            else:
                data["topic"] = f"Раздел: {topic}"
        else:
            data["topic"] = topic
        return data

    def values(self) -> dict:
        d = self.cleaned_data
        return {k: d.get(k) for k in ("text", "guidance", "scale_max", "weight", "topic", "order")}


class ExpertiseForm(StyledFormMixin, forms.Form):
    roadmap = forms.ModelChoiceField(label="Программа (дорожная карта)", queryset=None)
    criteria_set = forms.ModelChoiceField(label="Набор критериев", queryset=None)
    experts = forms.ModelMultipleChoiceField(
        label="Эксперты",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Каждый эксперт оценивает независимо.",
    )
    due_date = forms.DateField(
        label="Срок", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, roadmaps, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roadmap"].queryset = roadmaps
        self.fields["roadmap"].label_from_instance = lambda r: (
            f"{r.owner_label}: {r.title[:110]} ({r.period_start.year}–{r.period_end.year})"
        )
        self.fields["criteria_set"].queryset = CriteriaSet.objects.filter(is_active=True).order_by(
            "-year", "purpose"
        )
        self.fields["criteria_set"].label_from_instance = lambda s: (
            f"{s.year}: {s.name} ({s.get_purpose_display()})"
        )
        self.fields["experts"].queryset = experts
        self.fields["experts"].label_from_instance = lambda u: u.display_name
        self.fields["experts"].widget.attrs["class"] = "form-check-input"

    def initial_set_for(self, roadmap) -> None:
        purpose = (
            CriteriaPurpose.SCHOOL_MONITORING
            if roadmap.level == "school"
            else CriteriaPurpose.MUNICIPAL_EXPERTISE
        )
        found = self.fields["criteria_set"].queryset.filter(purpose=purpose).first()
        if found:
            self.initial["criteria_set"] = found.pk


class AssignForm(StyledFormMixin, forms.Form):
    expert = forms.ModelChoiceField(label="Эксперт", queryset=None)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["expert"].label_from_instance = lambda u: u.display_name


class ScoreForm(StyledFormMixin, forms.Form):
    value = forms.TypedChoiceField(label="Балл", coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Комментарий",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, criterion: Criterion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [(i, str(i)) for i in range(criterion.scale_max + 1)]
        self.fields["value"].widget.attrs["class"] = "form-check-input"
        self.fields["value"].error_messages["required"] = "Выберите балл."
        self.fields["value"].error_messages["invalid_choice"] = (
            f"Балл — от 0 до {criterion.scale_max}."
        )


class CloseForm(StyledFormMixin, forms.Form):
    conclusion = forms.CharField(
        label="Заключение", widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    recommendations = forms.CharField(
        label="Рекомендации (по одной в строке)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Каждая строка станет рекомендацией муниципалитету, которую можно отслеживать.",
    )
