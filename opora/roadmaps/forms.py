from django import forms

from opora.core.forms import SignedOnField, StyledFormMixin
from opora.roadmaps.models import ProgressStatus, RoadmapEvent, RoadmapLevel
from opora.roadmaps.periods import PeriodError, read_period


class DateInput(forms.DateInput):
    """A browser date picker: it reads and writes ISO dates only, whatever the language.

    With the Russian format («24.11.2026») the initial value would be dropped by the browser.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="Файл дорожной карты",
        help_text="Word (.docx, .doc, .rtf), Excel (.xlsx, .xls), OpenDocument (.odt, .ods) "
        "или PDF с текстом (не скан).",
    )
    level = forms.ChoiceField(label="Уровень", choices=RoadmapLevel.choices)
    municipality = forms.ModelChoiceField(
        label="Муниципалитет", queryset=None, required=False, empty_label="— не выбран —"
    )
    school = forms.ModelChoiceField(
        label="Школа", queryset=None, required=False, empty_label="— не выбрана —"
    )
    owner_name = forms.CharField(label="Орган (как в документе)", required=False, max_length=300)
    title = forms.CharField(
        label="Наименование",
        required=False,
        max_length=1000,
        help_text="Если пусто — берётся заголовок из документа.",
    )
    period = forms.CharField(
        label="Период",
        required=False,
        max_length=20,
        help_text="Год или годы: 2023, 2020-2021. Если пусто — из заголовка документа.",
    )

    def __init__(self, *args, municipalities, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["school"].queryset = schools

    def clean_period(self):
        """(start, end) of what was typed, None when empty; «2020-2999» is refused, not guessed."""
        try:
            return read_period(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level == "municipality" and not data.get("municipality"):
            self.add_error("municipality", "Выберите муниципалитет.")
        if level == "school" and not data.get("school"):
            self.add_error("school", "Выберите школу.")
        return data


class EventForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = RoadmapEvent
        fields = [
            "number",
            "text",
            "deadline_text",
            "executors_text",
            "indicator_text",
            "evidence_text",
            "section",
            "target_quantity",
            "target_unit",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "indicator_text": forms.Textarea(attrs={"rows": 2}),
            "evidence_text": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roadmap = self.instance.roadmap
        self.fields["section"].queryset = roadmap.sections.all()
        self.fields["section"].empty_label = "— без раздела —"
        self.fields["text"].required = True


class ParentEventForm(StyledFormMixin, forms.Form):
    parent_event = forms.ModelChoiceField(
        label="Мероприятие региональной карты",
        queryset=None,
        required=False,
        empty_label="— не связано —",
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_event"].queryset = events
        self.fields["parent_event"].label_from_instance = lambda e: f"{e.number} {e.text[:120]}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(StyledFormMixin, forms.Form):
    period = forms.ModelChoiceField(
        label="Отчётный период", queryset=None, required=False, empty_label="— всё мероприятие —"
    )
    status = forms.ChoiceField(label="Состояние", choices=ProgressStatus.choices)
    done_on = forms.DateField(label="Дата", required=False, widget=DateInput())
    comment = forms.CharField(
        label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(
        label="Подтверждающие файлы (PDF, Word, Excel, изображения; до 20 МБ каждый)",
        required=False,
    )
    links = forms.CharField(
        label="Ссылки (по одной в строке)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://…"}),
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["period"].label_from_instance = lambda p: (
            f"{p.start:%d.%m.%Y} – {p.end:%d.%m.%Y}"
        )
        if not periods.exists():
            del self.fields["period"]


class CommentForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(label="Комментарий", widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(StyledFormMixin, forms.Form):
    kind = forms.CharField(
        label="Вид документа",
        initial="приказ",
        max_length=100,
        help_text="Например: «распоряжение ДОО ТО», «приказ УООиП».",
    )
    number = forms.CharField(label="Номер", max_length=50)
    day = SignedOnField(label="Дата", widget=DateInput())
    file = forms.FileField(
        label="Файл документа",
        required=False,
        help_text="PDF, Word или скан (изображение), не больше 20 МБ.",
    )


class CopyForm(StyledFormMixin, forms.Form):
    years = forms.IntegerField(
        label="Сдвиг периода, лет",
        initial=1,
        min_value=1,
        max_value=5,
        error_messages={
            "invalid": "Сдвиг периода — целое число лет от 1 до 5.",
            "min_value": "Сдвиг периода — целое число лет от 1 до 5.",
            "max_value": "Сдвиг периода — целое число лет от 1 до 5.",
        },
    )


class CreateForm(StyledFormMixin, forms.Form):
    """A roadmap written in the app: empty, or from another one as a template."""

    title = forms.CharField(label="Наименование", max_length=1000)
    level = forms.ChoiceField(label="Уровень", choices=RoadmapLevel.choices)
    municipality = forms.ModelChoiceField(
        label="Муниципалитет", queryset=None, required=False, empty_label="— не выбран —"
    )
    school = forms.ModelChoiceField(
        label="Школа", queryset=None, required=False, empty_label="— не выбрана —"
    )
    owner_name = forms.CharField(label="Орган (как в документе)", required=False, max_length=300)
    period = forms.CharField(
        label="Период", max_length=20, help_text="Год или годы: 2024, 2024-2025."
    )
    template = forms.ModelChoiceField(
        label="Образец",
        queryset=None,
        required=False,
        empty_label="— пустая карта —",
        help_text="Разделы, мероприятия, цель, задачи и показатели копируются в выбранный период, "
        "а не в период образца: годы в сроках и текстах мероприятий сдвигаются на разницу "
        "периодов (образец 2023 года в карте 2024 года: «май 2023» → «май 2024»), а срок, "
        "который и после сдвига выходит за период карты, очищается — его нужно указать заново. "
        "Мероприятия региональной карты связываются с копиями.",
    )

    def __init__(self, *args, municipalities, schools, roadmaps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["school"].queryset = schools
        self.fields["template"].queryset = roadmaps
        self.fields["template"].label_from_instance = lambda r: (
            f"{r.title} ({r.owner_label}, {r.get_status_display()})"
        )

    def clean_period(self):
        try:
            period = read_period(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(exc.message) from exc
        if period is None:
            raise forms.ValidationError("Укажите период: год или годы.")
        return period

    def clean(self):
        data = super().clean()
        if data.get("level") == "municipality" and not data.get("municipality"):
            self.add_error("municipality", "Выберите муниципалитет.")
        if data.get("level") == "school" and not data.get("school"):
            self.add_error("school", "Выберите школу.")
        return data


class NewEventForm(StyledFormMixin, forms.Form):
    section = forms.ModelChoiceField(
        label="Раздел", queryset=None, required=False, empty_label="— без раздела —"
    )
    number = forms.CharField(label="№", max_length=20, required=False)
    text = forms.CharField(label="Мероприятие", widget=forms.Textarea(attrs={"rows": 2}))
    deadline_text = forms.CharField(
        label="Сроки", max_length=500, required=False, help_text="Как в документе: «май 2024»."
    )
    executors_text = forms.CharField(label="Исполнители", max_length=1000, required=False)
    indicator_text = forms.CharField(label="Показатель реализации", required=False)
    evidence_text = forms.CharField(label="Результат (документ)", required=False)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
