from django.apps import AppConfig


def _teacher(user) -> bool:
    from opora.accounts.models import Role

    return user.role == Role.TEACHER


def _not_teacher(user) -> bool:
    return not _teacher(user)


class DevelopmentConfig(AppConfig):
    name = "opora.development"
    label = "development"
    verbose_name = "Профессиональное развитие"

    def ready(self):
        from opora.core import contributions as c
        from opora.development import demo, demo_mentoring, inbox, selectors, summaries

        summaries.follow_deletions()

        entries = [
            (10, "Дефициты и команды", "development:overview", _not_teacher),
            (20, "Маршруты (ИОМ)", "development:routes", _not_teacher),
            (30, "Каталог повышения квалификации", "development:catalogue", _anyone),
            (40, "Календарь поддержки", "development:events", _anyone),
            (50, "Расчётные показатели", "development:indicators", _not_teacher),
            (220, "Наставничество", "development:mentoring", _anyone),
            (221, "Профессиональные конкурсы", "development:contests", _anyone),
        ]
        c.add(
            c.MenuGroup(key="development", label="Педагоги", order=850),
            c.MenuEntry(order=3, label="Мой маршрут", url_name="development:me", visible=_teacher),
            *(
                c.MenuEntry(group="development", order=o, label=t, url_name=u, visible=v)
                for o, t, u, v in entries
            ),
            c.HomePanel(
                order=15, template="development/_home_panel.html", context=selectors.home_panel
            ),
            c.SchoolPanel(
                order=34, template="development/_school_panel.html", context=selectors.school_panel
            ),
            c.RoadmapPanel(
                order=50,
                template="development/_roadmap_panel.html",
                context=selectors.roadmap_panel,
            ),
            c.DemoLoader(order=68, load=lambda d: demo.load(d)),
            c.DemoLoader(order=220, load=demo_mentoring.load),
            c.InboxSource(order=50, items=inbox.items_for, count=inbox.count_for),
        )
        self._visits()

    def _visits(self):
        """Methodical visits and lesson observation: contributions 210–219."""
        from opora.core import contributions as c
        from opora.development import visits_demo, visits_selectors
        from opora.development.visits_defaults import ensure_rubric

        c.add(
            c.MenuEntry(
                group="development",
                order=210,
                label="Методические десанты",
                url_name="development:visits",
                visible=_not_teacher,
            ),
            c.MenuEntry(
                group="development",
                order=211,
                label="Наблюдения уроков",
                url_name="development:observations",
                visible=_anyone,
            ),
            c.SchoolPanel(
                order=212,
                template="development/visits/_school_panel.html",
                context=visits_selectors.school_panel,
            ),
            c.ReferenceData(
                order=213, label="карта наблюдения урока", load=lambda: ensure_rubric()
            ),
            c.DemoLoader(order=214, load=lambda d: visits_demo.load(d)),
        )


def _anyone(user) -> bool:
    return True
