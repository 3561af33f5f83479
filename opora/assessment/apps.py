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

        from opora.accounts.scopes import works_on_programme
        from opora.assessment import demo, selectors
        from opora.assessment.defaults import ensure_default_methodology
        from opora.core import contributions as c

        c.add(
            c.MenuEntry(
                order=252,
                label="Результаты",
                url_name="assessment:overview",
                visible=works_on_programme,
            ),
            c.HomePanel(
                order=20, template="assessment/_home_widget.html", context=selectors.home_panel
            ),
            c.SchoolPanel(
                order=10, template="assessment/_school_panel.html", context=selectors.school_panel
            ),
            c.DemoLoader(order=60, load=lambda d: demo.load(d.year)),
            c.ReferenceData(
                order=20, label="методика по умолчанию", load=ensure_default_methodology
            ),
        )
