"""Forms of the monitoring pages: campaign, a school's answer to an item, review, order."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from opora.core.calendar import current_year
from opora.core.forms import StyledFormMixin
from opora.documents.models import DocumentKind
from opora.monitoring.checklist import clean_details, detail_specs, document_lines
from opora.monitoring.links import pending
from opora.monitoring.models import (
    Answer,
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    DetailKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_TITLE = "Мониторинг выполнения программ повышения качества образования"


class SchoolChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        listed = []
        if getattr(obj, "is_listed", False):
            listed.append("в списке ШНОР/ШНСУ")
        return f"{obj.short_name}{' — ' + ', '.join(listed) if listed else ''}"


class CampaignForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="название", max_length=500, initial=DEFAULT_TITLE)
    municipality = forms.ModelChoiceField(label="муниципалитет", queryset=None)
    template = forms.ModelChoiceField(label="чек-лист", queryset=ChecklistTemplate.objects.none())
    period_text = forms.CharField(
        label="период",
        max_length=200,
        help_text="Как в распоряжении: «1 полугодие 2020-2021 учебного года».",
    )
    due_date = forms.DateField(label="срок заполнения школами", widget=DATE)
    schools = SchoolChoices(
        label="школы",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Если не выбрать ни одной — школы муниципалитета из списков ШНОР/ШНСУ этого года.",
    )

    def __init__(self, *args, municipalities, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["template"].queryset = ChecklistTemplate.objects.order_by("-is_default", "name")
        self.fields["schools"].queryset = schools
        self.fields["schools"].widget.attrs["class"] = "form-check-input"
        year = current_year()
        self.fields["period_text"].initial = f"1 полугодие {year - 1}-{year} учебного года"


class CampaignEditForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="название", max_length=500)
    period_text = forms.CharField(label="период", max_length=200)
    due_date = forms.DateField(label="срок заполнения школами", widget=DATE)
    schools = SchoolChoices(label="школы", queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools
        self.fields["schools"].widget.attrs["class"] = "form-check-input"


class ItemAnswerForm(StyledFormMixin, forms.Form):
    """A school's answer to one item: the answer, the typed details, a comment.

    ``cleaned_data["details"]`` holds the details as stored (links checked, dates parsed).
    """

    answer = forms.ChoiceField(
        label="ответ",
        choices=Answer.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "Выберите ответ."},
    )

    def __init__(self, *args, item: ChecklistItem, existing: ChecklistAnswer | None, **kwargs):
        kwargs.setdefault("prefix", f"i{item.pk}")
        details = (existing.details if existing else None) or {}
        initial = {"answer": existing.answer if existing else None}
        self.item, self.existing = item, existing
        self.detail_fields: list[str] = []
        super().__init__(*args, initial=initial, **kwargs)
        for spec in detail_specs(item):
            name = f"detail_{spec.kind}"
            self.detail_fields.append(name)
            if spec.kind == DetailKind.LEGAL_BASE:
                field = forms.BooleanField(label=spec.label, required=False)
                field.widget.attrs["class"] = "form-check-input"
                value = bool(details.get("legal_base"))
            elif spec.kind == DetailKind.GRADES:
                field = forms.CharField(label=spec.label, required=False, max_length=300)
                value = details.get("grades", "")
            else:
                field = forms.CharField(
                    label=spec.label,
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                value = {
                    DetailKind.TEXT: details.get("text", ""),
                    DetailKind.FORMS: "\n".join(details.get("forms") or []),
                    DetailKind.LINKS: "\n".join(
                        link.get("url", "") for link in details.get("links") or []
                    ),
                    DetailKind.DOCUMENT_DATE: document_lines(details.get("document_date") or []),
                }.get(spec.kind, "")
            field.help_text = spec.help
            field.widget.attrs.setdefault("class", "form-control")
            self.fields[name] = field
            self.initial[name] = value
        self.fields["comment"] = forms.CharField(
            label="комментарий для муниципалитета",
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        )
        self.initial["comment"] = existing.comment if existing else ""

    @property
    def links(self) -> list[dict]:
        return ((self.existing.details if self.existing else None) or {}).get("links") or []

    @property
    def links_pending(self) -> bool:
        return pending(self.existing.details if self.existing else None)

    def clean(self):
        data = super().clean()
        raw = {name.removeprefix("detail_"): data.get(name) for name in self.detail_fields}
        previous = (self.existing.details if self.existing else None) or {}
        try:
            data["details"] = clean_details(self.item, raw, previous)
        except ValidationError as exc:
            for kind, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(f"detail_{kind}", message)
        return data


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="решение",
        choices=[("accept", "принять"), ("return", "вернуть на доработку")],
    )
    comment = forms.CharField(
        label="замечания",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Обязательны, если чек-лист возвращается школе.",
    )


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="файл Excel (.xlsx) или CSV",
        help_text="В форме выгрузки «Excel»: строка на школу, столбец на пункт и рядом "
        "столбец комментария. Пустые ячейки ничего не меняют.",
    )


class OrderForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="вид документа",
        choices=[(DocumentKind.ORDER, "распоряжение"), (DocumentKind.DECREE, "приказ")],
    )
    organisation = forms.CharField(
        label="организация (шапка)",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Каждая строка шапки — с новой строки: «Администрация Города Томска», "
        "«Департамент образования».",
    )
    place = forms.CharField(label="место составления", required=False, max_length=100)
    title = forms.CharField(label="заголовок «О …»", widget=forms.Textarea(attrs={"rows": 4}))
    basis = forms.CharField(
        label="основание",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Начало первого абзаца: «В соответствии с распоряжением … от … № …».",
    )
    instructions = forms.MultipleChoiceField(
        label="поручения школам",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    instruction_due = forms.DateField(
        label="срок исполнения поручений", required=False, widget=DATE
    )
    report_to = forms.CharField(
        label="что и куда представить",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="«Предоставить в комитет по общему образованию Программы повышения качества "
        "образования»",
    )
    report_due = forms.DateField(label="срок представления", required=False, widget=DATE)
    control_person = forms.CharField(
        label="контроль возложить на",
        required=False,
        max_length=100,
        help_text="Фамилия и инициалы; пусто — «оставляю за собой».",
    )
    control_position = forms.CharField(
        label="его должность",
        required=False,
        max_length=300,
        help_text="В именительном падеже: «заместитель начальника департамента».",
    )
    signer_position = forms.CharField(label="должность подписывающего", required=False)
    signer_name = forms.CharField(label="подписывает (И.О. Фамилия)", required=False)
    executor = forms.CharField(
        label="исполнитель и телефон",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # Bootstrap columns of the requisites card, in the order of the fields.
    WIDTHS = {
        "kind": "col-md-4",
        "place": "col-md-8",
        "instruction_due": "col-md-6",
        "report_due": "col-md-6",
        "control_person": "col-md-4",
        "control_position": "col-md-8",
        "signer_position": "col-md-8",
        "signer_name": "col-md-4",
    }
    ORDER = [
        "kind",
        "place",
        "organisation",
        "title",
        "basis",
        "report_to",
        "instruction_due",
        "report_due",
        "control_person",
        "control_position",
        "signer_position",
        "signer_name",
        "executor",
        "instructions",
    ]

    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.ORDER)
        for name, field in self.fields.items():
            field.width = self.WIDTHS.get(name, "col-12")
        self.suggestions = suggestions
        self.fields["instructions"].choices = [
            (s.key, f"{f'{s.label}. ' if s.label else ''}{s.text} — {s.addressees}")
            for s in suggestions
        ]
        if not self.is_bound:
            self.initial.setdefault("instructions", [s.key for s in suggestions])


class ChecklistItemForm(StyledFormMixin, forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label="виды подробностей",
        choices=DetailKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = ChecklistItem
        fields = [
            "section",
            "order",
            "text",
            "finding",
            "partly_finding",
            "layout",
            "instruction",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "finding": forms.Textarea(attrs={"rows": 2}),
            "partly_finding": forms.Textarea(attrs={"rows": 2}),
            "instruction": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].label = "порядок"
        self.initial["kinds"] = [
            k.get("kind") if isinstance(k, dict) else k for k in self.instance.detail_kinds or []
        ]

    def save(self, commit=True):
        item = super().save(commit=False)
        labelled = {
            k["kind"]: k for k in item.detail_kinds or [] if isinstance(k, dict) and "kind" in k
        }
        item.detail_kinds = [labelled.get(k, k) for k in self.cleaned_data["kinds"]]
        if commit:
            item.save()
        return item
