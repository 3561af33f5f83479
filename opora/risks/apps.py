from django.apps import AppConfig


def _anyone(user) -> bool:
    return True


def _reference() -> None:
    from opora.risks.defaults import ensure_defaults

    ensure_defaults()


class RisksConfig(AppConfig):
    name = "opora.risks"
    label = "risks"
    verbose_name = "Риски и антирисковые меры"

    def ready(self):
        from opora.core import contributions as c
        from opora.risks import demo, panels

        c.add(
            c.ReferenceData(order=30, label="факторы риска", load=_reference),
            c.MenuEntry(
                group="support",
                order=86,
                label="Рисковые профили школ",
                url_name="risks:overview",
                visible=_anyone,
            ),
            c.MenuEntry(
                group="support",
                order=88,
                label="Правила уровней риска",
                url_name="risks:rules",
                visible=panels.edits_rules,
            ),
            c.SchoolPanel(
                order=62, template="risks/_school_panel.html", context=panels.school_panel
            ),
            c.DemoLoader(order=74, load=lambda d: demo.load(d)),
        )
