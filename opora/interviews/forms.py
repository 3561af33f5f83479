"""Forms of the interviews: upload, a protocol by hand, an interview, a recommendation given
at it (the tracker's forms are in ``recommendations.forms``)."""

from __future__ import annotations

import re

from django import forms

from opora.core.forms import DATE_INPUT, SignedOnField, StyledFormMixin
from opora.recommendations.models import RecommendationTemplate

_INITIAL_AT_END_RE = re.compile(r"\b[А-ЯЁA-Z]\.$")


_NUMBER_AT_START_RE = re.compile(r"^\d{1,2}\s*[.)]\s*")


def _lines(text: str) -> list[str]:
    """One item per line, its number and trailing «;» / «.» removed (the period of an initial
    stays: «Замятина О.М.»): the participants, the agenda."""
    items = []
    for line in (text or "").splitlines():
        line = _NUMBER_AT_START_RE.sub("", " ".join(line.split())).rstrip(" ;,")
        if line.endswith(".") and not _INITIAL_AT_END_RE.search(line):
            line = line[:-1].rstrip()
        if line:
            items.append(line)
    return items


class ProtocolUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="Протокол (Word, .docx)",
        help_text="Таблица «п/п | Муниципальное образование | Рекомендации в рамках "
        "собеседования» со строками дат; письмо-сопровождение перед протоколом тоже читается.",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )


class ImportConfirmForm(StyledFormMixin, forms.Form):
    revision_due = forms.DateField(
        label="Срок исполнения рекомендаций",
        required=False,
        widget=DATE_INPUT,
        help_text="По умолчанию — срок представления доработанных дорожных карт из письма.",
    )


class ProtocolForm(StyledFormMixin, forms.Form):
    title = forms.CharField(
        label="Заголовок",
        initial="ПРОТОКОЛ проведения индивидуальных собеседований с руководителями органов "
        "местного самоуправления, осуществляющих управление в сфере образования",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    place = forms.CharField(label="Место", required=False, max_length=300)
    chairman = forms.CharField(label="Председатель", required=False, max_length=300)
    secretary = forms.CharField(label="Секретарь", required=False, max_length=300)
    participants = forms.CharField(
        label="Участники",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="По одному на строку: «Вторина Е.В., заместитель начальника ДОО ТО».",
    )
    agenda = forms.CharField(
        label="Повестка",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="По одному вопросу на строку.",
    )
    document_number = forms.CharField(label="Номер документа", required=False, max_length=50)
    document_date = SignedOnField(label="Дата документа", required=False, widget=DATE_INPUT)
    revision_due = forms.DateField(
        label="Срок исполнения рекомендаций",
        required=False,
        widget=DATE_INPUT,
        help_text="Срок представления доработанных муниципальных дорожных карт.",
    )

    def clean_participants(self):
        return _lines(self.cleaned_data["participants"])

    def clean_agenda(self):
        return _lines(self.cleaned_data["agenda"])


class InterviewForm(StyledFormMixin, forms.Form):
    municipality = forms.ModelChoiceField(label="Муниципалитет", queryset=None)
    day = forms.DateField(label="Дата собеседования", widget=DATE_INPUT)
    participants = forms.CharField(label="Участники от муниципалитета", required=False)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        text = obj.text if len(obj.text) <= 140 else obj.text[:139] + "…"
        used = getattr(obj, "municipality_count", 0)
        return f"{text} ({used} мун.)" if used else text


class RecommendationAddForm(StyledFormMixin, forms.Form):
    template = TemplateChoiceField(
        label="Из каталога",
        queryset=RecommendationTemplate.objects.none(),
        required=False,
        empty_label="— выберите рекомендацию —",
        help_text="В скобках — у скольких муниципалитетов она уже есть.",
    )
    text = forms.CharField(
        label="Или новая рекомендация",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Введённый текст попадёт в каталог; такая же рекомендация не повторится.",
    )
    due_date = forms.DateField(label="Срок", required=False, widget=DATE_INPUT)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates

    def clean(self):
        data = super().clean()
        if not data.get("template") and not (data.get("text") or "").strip():
            raise forms.ValidationError("Выберите рекомендацию из каталога или введите её текст.")
        return data
