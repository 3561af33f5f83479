"""The iCalendar feed (RFC 5545) of a user's support events, written with ``icalendar``:
line folding, escaping and UTC times are the library's job, not ours."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from opora.accounts.models import Role
from opora.development import selectors
from opora.development.models import SupportEvent

#: How far back the feed goes: last term's events stay in the calendar.
PAST = timedelta(days=120)


def events_of(user):
    """A teacher's feed has the events they are registered for; anyone else's, every event
    they may see (their region's and municipality's calendar)."""
    qs = selectors.events_for(user).filter(ends_at__gte=timezone.now() - PAST)
    if user.role == Role.TEACHER:
        qs = qs.filter(registrations__person_id=user.person_id)
    return qs.order_by("starts_at")[:1000]


def calendar_for(user, site: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Opora//Календарь методической поддержки//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Опора: методическая поддержка")
    for event in events_of(user):
        calendar.add_component(_event(event, site))
    return calendar.to_ical()


def _event(event: SupportEvent, site: str) -> Event:
    item = Event()
    item.add("uid", f"support-event-{event.pk}@opora")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", f"{event.get_kind_display().capitalize()}: {event.title}")
    where = event.place or event.link
    if where:
        item.add("location", where)
    url = site.rstrip("/") + reverse("development:event", args=[event.pk])
    item.add("url", url)
    description = [event.audience and f"Для кого: {event.audience}", event.link, url]
    item.add("description", "\n".join(d for d in description if d))
    return item
