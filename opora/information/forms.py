from django import forms

from opora.information.models import MaterialKind


class NewsForm(forms.Form):
    title = forms.CharField(label="Заголовок", max_length=500)
    url = forms.URLField(label="Ссылка на новость", max_length=1000, assume_scheme="https")
    published_on = forms.DateField(
        label="Дата публикации", widget=forms.DateInput(attrs={"type": "date"})
    )
    public = forms.BooleanField(label="Показать на открытой странице программы", required=False)


class SiteSectionForm(forms.Form):
    url = forms.URLField(
        label="Ссылка на раздел о программе", max_length=1000, assume_scheme="https"
    )


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label="Вид", choices=MaterialKind.choices)
    title = forms.CharField(label="Название", max_length=500)
    description = forms.CharField(
        label="Описание", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.CharField(
        label="Метки", required=False, help_text="Через запятую: наставничество, ШНОР, ВПР"
    )
    url = forms.URLField(label="Ссылка", required=False, max_length=1000, assume_scheme="https")
    file = forms.FileField(label="Файл", required=False, help_text="PDF, Word, Excel, изображение")
    public = forms.BooleanField(label="Показать на открытой странице программы", required=False)
