"""Forms of risk profiles: a rule of the region (the priorities are read in the view)."""

from django import forms

from opora.core.forms import StyledFormMixin
from opora.risks.models import Direction, Source


class RuleForm(StyledFormMixin, forms.Form):
    source = forms.ChoiceField(label="источник", choices=Source.choices)
    key = forms.CharField(
        label="что берётся",
        max_length=50,
        help_text="Код вопроса анкеты (equipment), поле паспорта (part_time_ratio, "
        "share_special_needs, share_non_native …) или показатель результатов (share_2, mean_mark).",
    )
    option = forms.CharField(
        label="доля ответа",
        max_length=300,
        required=False,
        help_text="Для анкеты: вариант ответа, долю которого считать; пусто — среднее по шкале.",
    )
    direction = forms.ChoiceField(label="направление", choices=Direction.choices)
    high = forms.DecimalField(label="порог высокого", max_digits=10, decimal_places=4)
    medium = forms.DecimalField(label="порог среднего", max_digits=10, decimal_places=4)
    low = forms.DecimalField(label="порог низкого", max_digits=10, decimal_places=4)
