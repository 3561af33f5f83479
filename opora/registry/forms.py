from django import forms

from opora.core.forms import InvisibleCharactersMixin, StyledFormMixin
from opora.registry.models import Municipality, School, SchoolPassport, SchoolStatus


class SchoolFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label="Поиск",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Название, код или адрес", "type": "search"}),
    )
    municipality = forms.ModelChoiceField(
        label="Муниципалитет",
        queryset=Municipality.objects.none(),
        required=False,
        empty_label="Все муниципалитеты",
    )
    kind = forms.ChoiceField(label="Вид ОО", required=False)
    status = forms.ChoiceField(
        label="Статус",
        required=False,
        choices=[
            ("", "Любой статус"),
            ("any", "ШНОР или ШНСУ"),
            ("low_results", "ШНОР"),
            ("unfavourable", "ШНСУ"),
            ("none", "Не в списках"),
        ],
    )
    year = forms.IntegerField(label="Год списка", required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        from opora.registry.models import SchoolKind

        self.fields["municipality"].queryset = municipalities
        self.fields["kind"].choices = [("", "Любой вид"), *SchoolKind.choices]


class SchoolForm(InvisibleCharactersMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = School
        fields = [
            "code",
            "full_name",
            "short_name",
            "number",
            "kind",
            "municipality",
            "address",
            "head_name",
            "head_phone",
            "head_email",
            "website",
            "is_active",
        ]

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities


class PassportForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SchoolPassport
        fields = [
            "pupils",
            "teachers",
            "part_time_ratio",
            "share_special_needs",
            "share_non_native",
            "share_low_income",
            "share_single_parent",
            "is_rural",
            "is_small",
            "is_remote",
            "material_base",
            "external_factors",
        ]
        # «0,125» as Russians type it (and shown back with a comma), «0.125» accepted too.
        localized_fields = [
            "part_time_ratio",
            "share_special_needs",
            "share_non_native",
            "share_low_income",
            "share_single_parent",
        ]
        widgets = {
            "material_base": forms.Textarea(attrs={"rows": 3}),
            "external_factors": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            f: "Доля от 0 до 1, например 0,125 = 12,5 %."
            for f in (
                "share_special_needs",
                "share_non_native",
                "share_low_income",
                "share_single_parent",
            )
        }

    def clean(self):
        data = super().clean()
        for name in (
            "share_special_needs",
            "share_non_native",
            "share_low_income",
            "share_single_parent",
        ):
            value = data.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, "Доля должна быть от 0 до 1.")
        return data


class StatusForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SchoolStatus
        fields = [
            "year",
            "kind",
            "source",
            "basis_kind",
            "basis_number",
            "basis_date",
            "ended_on",
            "note",
        ]
        widgets = {
            "basis_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class RegistryUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="Файл реестра (.xlsx или .csv)")
    year = forms.IntegerField(
        label="Учебный год паспорта (год начала)", min_value=2000, max_value=2100
    )
