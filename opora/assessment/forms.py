from django import forms

from opora.assessment.engine import COMPARISON_FILTERS, INDICATOR_LABELS, INDICATORS, Params
from opora.assessment.readers.results_columns import PROCEDURES, SUBJECTS
from opora.core.forms import SignedOnField, StyledFormMixin


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="Файл результатов (.csv или .xlsx)")
    valid_only = forms.BooleanField(
        label="Загрузить только корректные строки (ошибочные будут пропущены и перечислены)",
        required=False,
    )


def _ints(text: str) -> list[int] | None:
    text = (text or "").strip()
    if not text or text.lower() == "все":
        return None
    try:
        return sorted({int(x) for x in text.replace(";", ",").split(",") if x.strip()})
    except ValueError as exc:
        raise forms.ValidationError("Классы перечисляются числами через запятую: 4, 5, 6.") from exc


class MethodologyForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="Название методики", max_length=200)
    description = forms.CharField(
        label="Описание", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    procedures = forms.MultipleChoiceField(
        label="Процедуры", choices=[(p, p) for p in PROCEDURES], widget=forms.CheckboxSelectMultiple
    )
    grades = forms.CharField(label="Классы (пусто — все)", required=False)
    subjects = forms.MultipleChoiceField(
        label="Предметы (ничего не выбрано — все)",
        required=False,
        choices=[(s, s) for s in SUBJECTS],
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    min_participants = forms.IntegerField(label="Минимум участников в ячейке", min_value=1)
    percentile = forms.FloatField(label="Процентиль порога доли «2»", min_value=0, max_value=100)
    min_threshold = forms.FloatField(label="Порог не ниже (доля)", min_value=0, max_value=1)
    min_cells = forms.IntegerField(label="Минимум ячеек у школы в году", min_value=1)
    low_cell_share = forms.FloatField(
        label="Доля низких ячеек, не меньше", min_value=0.01, max_value=1
    )
    years_back = forms.IntegerField(
        label="Сколько предыдущих лет смотреть", min_value=0, max_value=5
    )
    low_years_required = forms.IntegerField(
        label="Лет с низкими результатами, не меньше", min_value=1
    )
    context_indicators = forms.MultipleChoiceField(
        label="Показатели индекса социального контекста",
        choices=[(i, INDICATOR_LABELS.get(i, i)) for i in INDICATORS],
        widget=forms.CheckboxSelectMultiple,
    )
    context_percentile = forms.FloatField(
        label="Процентиль индекса для ШНСУ", min_value=0, max_value=100
    )
    pool_small = forms.ChoiceField(
        label="Малые ячейки (меньше минимума участников)",
        choices=[
            ("", "не учитывать"),
            ("grades", "объединять по классам года"),
            ("years", "объединять по годам окна"),
        ],  # fmt: skip
        required=False,
    )
    bias_min_pupils = forms.IntegerField(
        label="Признак необъективности: минимум учеников в ячейке", min_value=1
    )
    bias_margin = forms.FloatField(
        label="…доля отметок ВПР выше журнальных больше доли региона и похожих школ на (доля)",
        min_value=0,
        max_value=1,
    )
    comparison_schools = forms.IntegerField(
        label="Школ в похожих условиях для сравнения", min_value=1, max_value=100
    )
    comparison_filters = forms.MultipleChoiceField(
        label="Школы для сравнения — также",
        choices=list(COMPARISON_FILTERS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    exclude_biased = forms.BooleanField(
        label="Исключать школы с признаками необъективности из списка ШНОР", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in INDICATORS:
            self.fields[f"weight_{indicator}"] = forms.FloatField(
                label=f"Вес: {INDICATOR_LABELS.get(indicator, indicator)}",
                min_value=0,
                initial=1.0,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.1"}),
            )
            self.fields[f"absolute_{indicator}"] = forms.FloatField(
                label=f"ШНСУ при пороге не ниже: {INDICATOR_LABELS.get(indicator, indicator)}",
                help_text="Пусто — порог не задан; если задан хоть один, ШНСУ определяется "
                "абсолютными порогами, а не верхней четвертью индекса.",
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
            )

    @staticmethod
    def initial_from(methodology) -> dict:
        p = Params.from_dict(methodology.params)
        data = {k: v for k, v in p.to_dict().items() if k not in ("grades", "context_weights")}
        data["grades"] = ", ".join(str(g) for g in p.grades) if p.grades else ""
        data["subjects"] = p.subjects or []
        data["name"] = methodology.name
        data["description"] = methodology.description
        for indicator in INDICATORS:
            data[f"weight_{indicator}"] = p.weight(indicator)
            data[f"absolute_{indicator}"] = p.context_absolute.get(indicator)
        return data

    def clean_grades(self):
        return _ints(self.cleaned_data["grades"])

    def params(self) -> dict:
        d = self.cleaned_data
        return {
            "procedures": d["procedures"],
            "grades": d["grades"],
            "subjects": d["subjects"] or None,
            "min_participants": d["min_participants"],
            "percentile": d["percentile"],
            "min_threshold": d["min_threshold"],
            "min_cells": d["min_cells"],
            "low_cell_share": d["low_cell_share"],
            "years_back": d["years_back"],
            "low_years_required": d["low_years_required"],
            "context_indicators": d["context_indicators"],
            "context_weights": {i: d[f"weight_{i}"] for i in INDICATORS},
            "context_percentile": d["context_percentile"],
            "context_absolute": {
                i: d[f"absolute_{i}"] for i in INDICATORS if d.get(f"absolute_{i}") is not None
            },
            "pool_small": d["pool_small"],
            "bias_min_pupils": d["bias_min_pupils"],
            "bias_margin": d["bias_margin"],
            "comparison_schools": d["comparison_schools"],
            "comparison_filters": d["comparison_filters"] or [],
            "exclude_biased": d["exclude_biased"],
        }


class RunForm(StyledFormMixin, forms.Form):
    methodology = forms.ModelChoiceField(label="Методика", queryset=None)
    year = forms.IntegerField(label="Год списка", min_value=2000, max_value=2100)

    def __init__(self, *args, methodologies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["methodology"].queryset = methodologies


class ApproveRunForm(StyledFormMixin, forms.Form):
    kind = forms.CharField(label="Вид документа", initial="распоряжение ДОО ТО", max_length=100)
    number = forms.CharField(label="Номер", max_length=50)
    day = SignedOnField(label="Дата")
