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
        from opora.development import demo, demo_mentoring, inbox, selectors

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


def _anyone(user) -> bool:
    return True
