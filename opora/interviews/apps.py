from django.apps import AppConfig


def _not_school(user) -> bool:
    from opora.accounts.models import Role

    return user.role != Role.SCHOOL


class InterviewsConfig(AppConfig):
    name = "opora.interviews"
    label = "interviews"
    verbose_name = "Собеседования"

    def ready(self):
        from opora.core import contributions as c
        from opora.interviews import demo

        c.add(
            c.MenuEntry(
                group="control",
                order=20,
                label="Протоколы собеседований",
                url_name="interviews:protocol_list",
                visible=_not_school,
            ),
            c.DemoLoader(order=30, load=lambda d: demo.load(d.year)),
        )
