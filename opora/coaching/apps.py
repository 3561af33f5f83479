from django.apps import AppConfig


def _sees_analyses(user) -> bool:
    from opora.accounts.models import Role

    return user.role == Role.SCHOOL or user.has_perm("coaching.view_overview")


class CoachingConfig(AppConfig):
    name = "opora.coaching"
    label = "coaching"
    verbose_name = "Самоанализ школ и работа кураторов"

    def ready(self):
        from opora.coaching import demo, inbox, panels
        from opora.coaching.indicators import ensure_indicators
        from opora.core import contributions as c

        c.add(
            c.MenuEntry(
                group="support",
                order=90,
                label="Самоанализ школ",
                url_name="coaching:analyses",
                visible=_sees_analyses,
            ),
            c.MenuEntry(
                group="support",
                order=92,
                label="Работа кураторов",
                url_name="coaching:plans",
                visible=panels.sees_overview,
            ),
            c.SchoolPanel(
                order=64, template="coaching/_school_panel.html", context=panels.school_panel
            ),
            c.RoadmapPanel(
                order=60, template="coaching/_thread.html", context=panels.roadmap_thread
            ),
            c.ReportPanel(
                order=230, template="coaching/_report_thread.html", context=panels.report_threads
            ),
            c.InboxSource(order=54, items=inbox.items_for),
            c.DemoLoader(order=76, load=demo.load),
            c.ReferenceData(
                order=40, label="показатели самоанализа", load=lambda: ensure_indicators()
            ),
        )
