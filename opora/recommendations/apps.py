from django.apps import AppConfig


def _not_school(user) -> bool:
    from opora.accounts.models import Role

    return user.role != Role.SCHOOL


def _version_in_force(sender, roadmap, to_status, **kwargs):
    from opora.recommendations import services
    from opora.roadmaps.models import RoadmapStatus

    if to_status == RoadmapStatus.APPROVED and roadmap.previous_id:
        services.carry_links_to_version(roadmap)


class RecommendationsConfig(AppConfig):
    name = "opora.recommendations"
    label = "recommendations"
    verbose_name = "Рекомендации"

    def ready(self):
        from opora.core import contributions as c
        from opora.recommendations import inbox, selectors
        from opora.roadmaps import signals as roadmap_signals

        # A version in force carries the links of its unchanged events (issue 16).
        roadmap_signals.roadmap_moved.connect(
            _version_in_force, dispatch_uid="recommendations-carry-links"
        )

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
            c.InboxSource(
                order=40, items=inbox.items_for, count=inbox.count_for, first=inbox.first_for
            ),
            c.EventPanel(
                order=204,
                template="recommendations/_event_card.html",
                context=selectors.event_card,
            ),
            c.SchoolPanel(
                order=203,
                template="recommendations/_school_card.html",
                context=selectors.school_card,
            ),
            c.MunicipalityPanel(
                order=30,
                template="recommendations/_municipality_card.html",
                context=selectors.municipality_card,
            ),
        )
