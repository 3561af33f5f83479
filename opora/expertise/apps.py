from django.apps import AppConfig


def _not_school(user) -> bool:
    from opora.accounts.models import Role

    return user.role != Role.SCHOOL


def _reads_analytics(user) -> bool:
    from opora.accounts.models import Role

    region_wide = user.role in (Role.REGION, Role.OPERATOR, Role.OBSERVER) or user.is_superuser
    return region_wide and _not_school(user)


class ExpertiseConfig(AppConfig):
    name = "opora.expertise"
    label = "expertise"
    verbose_name = "Экспертиза программ"

    def ready(self):
        from opora.core import contributions as c
        from opora.expertise import demo, inbox, selectors

        entries = [
            (40, "Экспертизы программ", "expertise:expertise_list", _not_school),
            (50, "Критерии экспертизы", "expertise:criteria_list", _not_school),
            (55, "Итоги экспертиз", "expertise:expertise_analytics", _reads_analytics),
        ]
        c.add(
            *(
                c.MenuEntry(group="control", order=o, label=t, url_name=u, visible=v)
                for o, t, u, v in entries
            ),
            c.DemoLoader(order=40, load=lambda d: demo.load(d.year)),
            c.InboxSource(order=20, items=inbox.items_for, count=inbox.count_for),
            c.HomePanel(
                order=200,
                template="expertise/_home_mine.html",
                context=selectors.home_panel,
                first=True,
            ),
            c.SchoolPanel(order=30, template="expertise/_card.html", context=selectors.school_card),
            c.MunicipalityPanel(
                order=40, template="expertise/_card.html", context=selectors.municipality_card
            ),
            c.RoadmapPanel(
                order=10,
                template="expertise/_roadmap_precheck.html",
                context=selectors.precheck_panel,
            ),
        )
