from django.apps import AppConfig


def _not_school(user) -> bool:
    from opora.accounts.models import Role

    return user.role != Role.SCHOOL


# The scope walk's foreign objects are test code: imported when the walk builds its world.
def _foreign_interviews(world: dict) -> None:
    from opora.interviews.tests import foreign_interviews

    foreign_interviews.create(world)


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
            c.ForeignBuilder(order=10, build=_foreign_interviews),
        )
