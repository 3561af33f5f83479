from django.apps import AppConfig


class InformationConfig(AppConfig):
    name = "opora.information"
    label = "information"
    verbose_name = "Информационное сопровождение"

    def ready(self):
        from opora.core import contributions as c
        from opora.information import demo, inbox, selectors

        c.add(
            c.MenuEntry(order=870, label="Информация", url_name="information:overview"),
            c.RoadmapPanel(
                order=57,
                template="information/_roadmap_panel.html",
                context=selectors.roadmap_panel,
            ),
            c.InboxSource(order=57, items=inbox.items_for),
            c.DemoLoader(order=77, load=lambda d: demo.load(d)),
        )
