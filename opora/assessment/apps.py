from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "opora.assessment"
    label = "assessment"
    verbose_name = "Оценочные процедуры и выявление ШНОР"

    def ready(self) -> None:
        from django.tasks.signals import task_started

        from opora.assessment.tasks import recover_on_task_start

        # django-tasks-db's worker has no start signal; its first task (and every one after)
        # is the earliest moment it runs our code: batches a killed worker left are ended.
        task_started.connect(recover_on_task_start, dispatch_uid="assessment-recover-imports")
