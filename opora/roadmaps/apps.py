from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "opora.roadmaps"
    label = "roadmaps"
    verbose_name = "Дорожные карты"

    def ready(self):
        from opora.accounts.scopes import works_on_programme
        from opora.core import contributions as c
        from opora.roadmaps import demo, home, inbox, selectors

        c.add(
            c.MenuGroup(
                key="roadmaps", label="Дорожные карты", order=250, visible=works_on_programme
            ),
            c.MenuEntry(
                group="roadmaps", order=10, label="Дорожные карты", url_name="roadmaps:list"
            ),
            c.MenuEntry(group="roadmaps", order=20, label="Мои задачи", url_name="roadmaps:tasks"),
            c.MenuEntry(
                group="roadmaps",
                order=30,
                label="Контроль сроков",
                url_name="roadmaps:overdue",
            ),
            c.DemoLoader(order=20, load=demo.load),
            c.DemoLoader(order=70, load=demo.load_day),
            c.InboxSource(
                order=10, items=inbox.items_for, count=inbox.count_for, first=inbox.first_for
            ),
            c.HomePanel(
                order=201,
                template="roadmaps/_home_programme.html",
                context=home.school_programme,
                first=True,
            ),
            c.HomePanel(
                order=202,
                template="roadmaps/_home_curator.html",
                context=home.curator_schools,
                first=True,
            ),
            c.SchoolPanel(
                order=20, template="roadmaps/_school_card.html", context=selectors.school_card
            ),
            c.MunicipalityPanel(
                order=20,
                template="roadmaps/_municipality_card.html",
                context=selectors.municipality_card,
            ),
        )
