"""Forms for people, working groups, coordinators, curators and school pairs.

Every choice of a related object is limited to what the acting user may see, so a foreign id
posted by hand fails validation («Выберите корректный вариант»).
"""

from django import forms

from opora.core.forms import InvisibleCharactersMixin, StyledFormMixin
from opora.people.models import (
    Coordinator,
    CuratorAssignment,
    GroupRole,
    Level,
    Person,
    SchoolPair,
    WorkingGroup,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_YEAR = {"min_value": 2000, "max_value": 2100}


class _Scoped(StyledFormMixin):
    """Sets the querysets of the named choice fields from keyword arguments."""

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, qs in (choices or {}).items():
            if name in self.fields:
                self.fields[name].queryset = qs

    def validate_constraints(self, exclude=None):
        # Each clean() below says it in Russian; the models' checks would repeat it in English
        # (the services still run them through full_clean()).
        pass


class PeopleSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label="Поиск",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": "Фамилия, должность, e-mail", "type": "search"}
        ),
    )


class PersonForm(InvisibleCharactersMixin, _Scoped, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "initials",
            "position",
            "organisation",
            "school",
            "email",
            "phone",
        ]

    def clean(self):
        data = super().clean()
        if not (data.get("first_name") or data.get("initials")) and "last_name" in data:
            self.add_error("first_name", "Укажите имя или инициалы.")
        return data


class WorkingGroupForm(InvisibleCharactersMixin, _Scoped, forms.ModelForm):
    year = forms.IntegerField(label="Год", **_YEAR)

    class Meta:
        model = WorkingGroup
        fields = [
            "level",
            "municipality",
            "year",
            "title",
            "basis_kind",
            "basis_number",
            "basis_date",
        ]
        widgets = {"basis_date": _DATE}

    def clean(self):
        data = super().clean()
        level, municipality = data.get("level"), data.get("municipality")
        if level == Level.REGION and municipality is not None:
            self.add_error("municipality", "У региональной группы муниципалитет не указывается.")
        if level == Level.MUNICIPALITY and municipality is None and "municipality" in data:
            self.add_error("municipality", "Укажите муниципалитет муниципальной группы.")
        return data


class MemberForm(_Scoped, forms.Form):
    person = forms.ModelChoiceField(label="Сотрудник", queryset=Person.objects.none())
    role = forms.ChoiceField(
        label="Роль в группе", choices=GroupRole.choices, initial=GroupRole.MEMBER
    )
    position_text = forms.CharField(
        label="Должность (как в документе)", max_length=500, required=False
    )


class MemberEditForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label="Роль в группе", choices=GroupRole.choices)
    position_text = forms.CharField(
        label="Должность (как в документе)", max_length=500, required=False
    )


class CoordinatorForm(_Scoped, forms.ModelForm):
    year = forms.IntegerField(label="Год", **_YEAR)

    class Meta:
        model = Coordinator
        fields = ["level", "municipality", "person", "year"]

    def clean(self):
        data = super().clean()
        level, municipality = data.get("level"), data.get("municipality")
        if level == Level.REGION and municipality is not None:
            self.add_error(
                "municipality", "У регионального координатора муниципалитет не указывается."
            )
        if level == Level.MUNICIPALITY and municipality is None and "municipality" in data:
            self.add_error("municipality", "Укажите муниципалитет координатора.")
        return data


class CuratorForm(_Scoped, forms.ModelForm):
    year = forms.IntegerField(label="Год", **_YEAR)

    class Meta:
        model = CuratorAssignment
        fields = ["person", "year", "municipality", "school"]
        help_texts = {"school": "Либо муниципалитет, либо одна школа."}

    def clean(self):
        data = super().clean()
        if "municipality" not in data or "school" not in data:
            return data
        if (data["municipality"] is None) == (data["school"] is None):
            raise forms.ValidationError("Укажите либо муниципалитет, либо школу.")
        return data


class PairForm(_Scoped, forms.ModelForm):
    year = forms.IntegerField(label="Год", **_YEAR)

    class Meta:
        model = SchoolPair
        fields = ["year", "kind", "mentor_school", "supported_school", "mentor_person", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        mentor, supported = data.get("mentor_school"), data.get("supported_school")
        if mentor is not None and mentor == supported:
            self.add_error(
                "supported_school", "Школа-наставник и поддерживаемая школа должны различаться."
            )
        return data
