from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "opora.notifications"
    label = "notifications"
    verbose_name = "Уведомления"

    def ready(self):
        from opora.core import contributions as c
        from opora.notifications import demo, receivers, selectors

        receivers.connect()
        c.add(
            c.MenuEntry(
                order=6,
                label="Уведомления",
                url_name="notifications:list",
                badge=selectors.unread_count,
                corner=True,
            ),
            # After every app's history, before the demo's working day (roadmaps, order 70).
            c.DemoLoader(order=65, load=demo.load),
        )
