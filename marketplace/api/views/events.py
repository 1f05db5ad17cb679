"""/api/v1/events: the published events upcoming or happening now, and one published event with its participants."""

from flask import url_for

from marketplace.api.schemas.common import PageArgs
from marketplace.api.schemas.events import EventDetailSchema, EventPageSchema
from marketplace.api.views.base import bp, endpoint, page_of_list
from marketplace.api.views.catalog import product_json
from marketplace.events import clock
from marketplace.events.models import Event
from marketplace.events.queries import participants, public_event_or_404, public_events
from marketplace.timeutil import JAKARTA


def event_json(event: Event) -> dict:
    return {"slug": event.slug, "title": event.title, "kind": event.kind.value,
            "host_region_code": event.host_region_code, "venue": event.venue_name, "venue_address": event.venue_address,
            "starts_at": event.starts_at.astimezone(JAKARTA), "ends_at": event.ends_at.astimezone(JAKARTA),
            "url": url_for("events.show", slug=event.slug, _external=True),
            "ics_url": url_for("events.calendar_file", slug=event.slug, _external=True)}


@endpoint("/events", EventPageSchema)
@bp.arguments(PageArgs, location="query")
def events(args: dict):
    """Published events upcoming or happening now, soonest first."""
    coming, _past = public_events(clock.now())
    return page_of_list(coming, args, event_json)


@endpoint("/events/<slug>", EventDetailSchema, not_found=True)
def event(slug: str):
    """One published event (also a past one) with its participants and their public products; a draft is a 404."""
    item = public_event_or_404(slug)
    return {**event_json(item), "description": item.description, "participants": [
        {"name": a.business.name, "slug": a.business.slug,
         "url": url_for("businesses.public", slug=a.business.slug, _external=True),
         "products": [product_json(p) for p in a.products if p.public]} for a in participants(item)]}
