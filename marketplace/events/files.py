"""Files made from events: a booth's QR code (segno) and calendar files (icalendar) with Asia/Jakarta times.
The callers give the addresses (nothing here builds a URL)."""

from collections.abc import Callable
from io import BytesIO

import segno

from marketplace.events.models import Event
from marketplace.timeutil import JAKARTA

QR_KINDS = {"svg": "image/svg+xml", "png": "image/png"}


def qr_code(url: str, kind: str) -> bytes:
    """A QR code for url, large enough to print on a booth's sign (a medium error correction survives some dirt)."""
    buffer = BytesIO()
    segno.make(url, error="m").save(buffer, kind=kind, scale=10 if kind == "png" else 8, border=4)
    return buffer.getvalue()


def calendar(events: list[Event], url_of: Callable[[Event], str], host: str) -> bytes:
    """An iCalendar file of the events, their times in Asia/Jakarta (TZID with its VTIMEZONE)."""
    from icalendar import Calendar  # imported when first needed, not by every worker (docs/PERFORMANCE.md, memory)
    from icalendar import Event as CalendarEvent

    cal = Calendar()
    cal.add("prodid", "-//Etalase UMKM//Events//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-timezone", "Asia/Jakarta")
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.id}@{host}")
        entry.add("summary", event.title)
        entry.add("dtstart", event.starts_at.astimezone(JAKARTA))
        entry.add("dtend", event.ends_at.astimezone(JAKARTA))
        entry.add("dtstamp", event.created_at)
        entry.add("location", ", ".join(part for part in (event.venue_name, event.venue_address) if part))
        entry.add("description", "\n\n".join(part for part in (event.description, url_of(event)) if part))
        entry.add("url", url_of(event))
        cal.add_component(entry)
    cal.add_missing_timezones()
    return cal.to_ical()
