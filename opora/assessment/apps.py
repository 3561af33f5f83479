from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "opora.assessment"
    label = "assessment"
    verbose_name = "Оценочные процедуры и выявление ШНОР"
