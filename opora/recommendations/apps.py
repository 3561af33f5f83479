from django.apps import AppConfig


def _not_school(user) -> bool:
    from opora.accounts.models import Role

    return user.role != Role.SCHOOL


class RecommendationsConfig(AppConfig):
    name = "opora.recommendations"
    label = "recommendations"
    verbose_name = "Рекомендации"

    def ready(self):
        from opora.core import contributions as c
        from opora.recommendations import inbox, selectors

        c.add(
            c.MenuEntry(
                group="control",
                order=30,
                label="Выполнение рекомендаций",
                url_name="recommendations:recommendation_list",
                visible=_not_school,
            ),
            c.HomePanel(
                order=10,
                template="recommendations/_overdue_widget.html",
                context=selectors.home_panel,
            ),
            c.InboxSource(order=40, items=inbox.items_for, count=inbox.count_for),
            c.MunicipalityPanel(
                order=30,
                template="recommendations/_municipality_card.html",
                context=selectors.municipality_card,
            ),
        )
