"""Events: published ones only; times in Asia/Jakarta (+07:00)."""

from marshmallow import Schema, fields, validate

from marketplace.api.schemas.catalog import ProductSchema
from marketplace.api.schemas.common import PageSchema
from marketplace.events.models import EventKind


class EventSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([kind.value for kind in EventKind]))
    host_region_code = fields.String(required=True, metadata={"description": "The region hosting it (Kemendagri code)"})
    venue = fields.String(required=True)
    venue_address = fields.String(required=True)
    starts_at = fields.DateTime(required=True, metadata={"description": "ISO 8601 in Asia/Jakarta (+07:00)"})
    ends_at = fields.DateTime(required=True, metadata={"description": "ISO 8601 in Asia/Jakarta (+07:00)"})
    url = fields.Url(required=True, metadata={"description": "The event's page"})
    ics_url = fields.Url(required=True, metadata={"description": "The event as an iCalendar file"})


class EventPageSchema(PageSchema):
    items = fields.List(fields.Nested(EventSchema), required=True)


class ParticipantSchema(Schema):
    """A business with a confirmed booth, and the products it brings that are public."""

    name = fields.String(required=True)
    slug = fields.String(required=True)
    url = fields.Url(required=True, metadata={"description": "The business's page"})
    products = fields.List(fields.Nested(ProductSchema), required=True)


class EventDetailSchema(EventSchema):
    description = fields.String(required=True)
    participants = fields.List(fields.Nested(ParticipantSchema), required=True, metadata={"description": "By name"})
