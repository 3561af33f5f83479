from django.apps import AppConfig


# The scope walk's foreign objects are test code: imported when the walk builds its world.
def _foreign_interviews(world: dict) -> None:
    from opora.reviews.tests import foreign_interviews

    foreign_interviews.create(world)


def _foreign_expertise(world: dict) -> None:
    from opora.reviews.tests import foreign_expertise

    foreign_expertise.create(world)


def _foreign_monitoring(world: dict) -> None:
    from opora.reviews.tests import foreign_monitoring

    foreign_monitoring.create(world)


def _anyone(user) -> bool:
    return True


def _not_school(user) -> bool:
    from opora.accounts.models import Role

    return user.role != Role.SCHOOL


def _reads_analytics(user) -> bool:
    from opora.accounts.models import Role

    region_wide = user.role in (Role.REGION, Role.OPERATOR, Role.OBSERVER) or user.is_superuser
    return region_wide and _not_school(user)


class ReviewsConfig(AppConfig):
    name = "opora.reviews"
    label = "reviews"
    verbose_name = "Экспертиза и контроль"

    def ready(self):
        from opora.core import contributions as c
        from opora.reviews import demo_expertise, demo_interviews, demo_monitoring, interviews

        control = [
            (20, "Протоколы собеседований", "reviews:protocol_list", _not_school),
            (30, "Выполнение рекомендаций", "reviews:recommendation_list", _not_school),
            (40, "Экспертизы программ", "reviews:expertise_list", _not_school),
            (50, "Критерии экспертизы", "reviews:criteria_list", _not_school),
            (55, "Итоги экспертиз", "reviews:expertise_analytics", _reads_analytics),
            (60, "Мониторинг реализации", "reviews:campaign_list", _anyone),
            (70, "Чек-листы мониторинга", "reviews:checklist_list", _not_school),
        ]
        c.add(
            *(
                c.MenuEntry(group="control", order=o, label=t, url_name=u, visible=v)
                for o, t, u, v in control
            ),
            c.HomePanel(
                order=10,
                template="reviews/interviews/_overdue_widget.html",
                context=interviews.home_panel,
            ),
            c.DemoLoader(order=30, load=lambda d: demo_interviews.load(d.year)),
            c.DemoLoader(order=40, load=lambda d: demo_expertise.load(d.year)),
            c.DemoLoader(order=50, load=lambda d: demo_monitoring.load(d.year)),
            c.ForeignBuilder(order=10, build=_foreign_interviews),
            c.ForeignBuilder(order=20, build=_foreign_expertise),
            c.ForeignBuilder(order=30, build=_foreign_monitoring),
        )
