from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "opora.people"
    label = "people"
    verbose_name = "Люди программы"

    def ready(self):
        from opora.core import contributions as c
        from opora.people import demo, executors, selectors

        c.add(
            # Under the registry's menu, where users have always found them.
            c.MenuEntry(
                group="registry", order=10, label="Сотрудники", url_name="people:people_list"
            ),
            c.MenuEntry(
                group="registry",
                order=20,
                label="Рабочие группы и координаторы",
                url_name="people:groups",
            ),
            c.MenuEntry(
                group="registry",
                order=30,
                label="Кураторы и пары школ",
                url_name="people:curators",
            ),
            c.SchoolPanel(
                order=5, template="people/_school_panel.html", context=selectors.school_panel
            ),
            c.MunicipalityPanel(
                order=10,
                template="people/_municipality_panel.html",
                context=selectors.municipality_panel,
            ),
            # The roadmap import links the people a plan names and offers to add one.
            c.PersonDirectory(
                order=240, entries=executors.entries, can_add=executors.can_add, add=executors.add
            ),
            # After the region's part: its schools, organisations and logins are needed here.
            c.DemoLoader(order=11, load=demo.load),
            c.DemoLoader(order=1001, load=demo.count_people),
        )
