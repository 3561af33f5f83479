from django.apps import AppConfig


def _anyone(user) -> bool:
    return True


def _builds(user) -> bool:
    return user.has_perm("surveys.view_questionnaire")


class SurveysConfig(AppConfig):
    name = "opora.surveys"
    label = "surveys"
    verbose_name = "Анкетирование"

    def ready(self):
        from opora.core import contributions as c
        from opora.surveys import demo, inbox

        c.add(
            c.MenuEntry(
                group="support",
                order=82,
                label="Анкетирование",
                url_name="surveys:campaign_list",
                visible=_anyone,
            ),
            c.MenuEntry(
                group="support",
                order=84,
                label="Конструктор анкет",
                url_name="surveys:questionnaire_list",
                visible=_builds,
            ),
            c.DemoLoader(order=72, load=lambda d: demo.load(d)),
            c.InboxSource(order=52, items=inbox.items_for),
        )
