from django.apps import AppConfig


def _anyone(user) -> bool:
    return True


def _not_school(user) -> bool:
    from opora.accounts.models import Role

    return user.role != Role.SCHOOL


def _reference() -> None:
    from opora.monitoring.defaults import ensure_default_template

    ensure_default_template()


class MonitoringConfig(AppConfig):
    name = "opora.monitoring"
    label = "monitoring"
    verbose_name = "Мониторинг реализации программ"

    def ready(self):
        from opora.core import contributions as c
        from opora.monitoring import demo, inbox, selectors

        entries = [
            (60, "Мониторинг реализации", "monitoring:campaign_list", _anyone),
            (70, "Чек-листы мониторинга", "monitoring:checklist_list", _not_school),
        ]
        c.add(
            c.ReferenceData(order=10, label="чек-лист мониторинга", load=_reference),
            *(
                c.MenuEntry(group="control", order=o, label=t, url_name=u, visible=v)
                for o, t, u, v in entries
            ),
            c.DemoLoader(order=50, load=lambda d: demo.load(d.year)),
            c.InboxSource(order=30, items=inbox.items_for, count=inbox.count_for),
            c.SchoolPanel(
                order=40, template="monitoring/_school_card.html", context=selectors.school_card
            ),
            c.MunicipalityPanel(
                order=50,
                template="monitoring/_municipality_card.html",
                context=selectors.municipality_card,
            ),
        )
